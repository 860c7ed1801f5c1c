/**
 * The chat client's input line as a pure function of (line, key): the usual readline keys over a text and a cursor.
 * The cursor moves by grapheme (so 👍🏽 or é written as e + accent is one step), words are runs of letters and
 * digits in any script, and nothing here knows about terminals: src/cli/tui/keys.ts maps key presses to
 * {@link EditKey}s.
 * @module
 */

/** The text being typed and where the cursor stands in it (a UTF-16 offset on a grapheme boundary). */
export interface EditLine {
  readonly text: string;
  readonly cursor: number;
}

/** What the editor can do; each is one key (or chord) in src/cli/tui/keys.ts. */
export type EditKey =
  | { readonly kind: 'insert'; readonly text: string }
  | { readonly kind: 'left' } // ←, Ctrl-B
  | { readonly kind: 'right' } // →, Ctrl-F
  | { readonly kind: 'home' } // Home, Ctrl-A
  | { readonly kind: 'end' } // End, Ctrl-E
  | { readonly kind: 'word-left' } // Alt-←, Alt-B
  | { readonly kind: 'word-right' } // Alt-→, Alt-F
  | { readonly kind: 'backspace' } // Backspace
  | { readonly kind: 'delete' } // Ctrl-D
  | { readonly kind: 'kill-word-back' } // Ctrl-W, Alt-Backspace
  | { readonly kind: 'kill-to-start' } // Ctrl-U
  | { readonly kind: 'kill-to-end' }; // Ctrl-K

/** An empty line. */
export const emptyLine: EditLine = { text: '', cursor: 0 };

/** A line holding `text` with the cursor at its end (a recalled line, a kept line after an error). */
export const lineOf = (text: string): EditLine => ({ text, cursor: text.length });

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

// Every look is local to the cursor (`containing()` asks the break iterator about one place), so a key costs the same
// on a 30,000-character pasted line as on a short one.

/** True when `at` is a grapheme boundary of `text` (0 and the end always are). */
const isBoundary = (text: string, at: number): boolean =>
  at <= 0 || at >= text.length || segmenter.segment(text).containing(at)?.index === at;

const previousBoundary = (text: string, at: number): number =>
  at <= 0 ? 0 : (segmenter.segment(text).containing(Math.min(at, text.length) - 1)?.index ?? 0);

const nextBoundary = (text: string, at: number): number => {
  if (at >= text.length) return text.length;
  const segment = segmenter.segment(text).containing(at);
  return segment === undefined ? text.length : segment.index + segment.segment.length;
};

const graphemeBefore = (text: string, at: number): string => text.slice(previousBoundary(text, at), at);
const graphemeAfter = (text: string, at: number): string => text.slice(at, nextBoundary(text, at));

const isWordChar = (grapheme: string): boolean => /[\p{L}\p{N}_]/u.test(grapheme);

/** Where Alt-← lands: the start of the word before the cursor (skipping the spaces and punctuation before it). */
const wordStartBefore = (text: string, from: number): number => {
  let at = from;
  while (at > 0 && !isWordChar(graphemeBefore(text, at))) at = previousBoundary(text, at);
  while (at > 0 && isWordChar(graphemeBefore(text, at))) at = previousBoundary(text, at);
  return at;
};

/** Where Alt-→ lands: the end of the word after the cursor. */
const wordEndAfter = (text: string, from: number): number => {
  let at = from;
  while (at < text.length && !isWordChar(graphemeAfter(text, at))) at = nextBoundary(text, at);
  while (at < text.length && isWordChar(graphemeAfter(text, at))) at = nextBoundary(text, at);
  return at;
};

/** Where Ctrl-W erases back to: like readline's unix-word-rubout, the whitespace-separated word before the cursor. */
const spaceWordStartBefore = (text: string, at: number): number => {
  let i = at;
  while (i > 0 && /\s/u.test(text[i - 1]!)) i -= 1;
  while (i > 0 && !/\s/u.test(text[i - 1]!)) i -= 1;
  return i;
};

// A cursor handed in from outside may sit anywhere: take it to the nearest boundary at or before it, within the text.
const clampCursor = (line: EditLine): EditLine => {
  const at = Math.max(0, Math.min(line.text.length, Math.floor(line.cursor)));
  if (isBoundary(line.text, at)) return at === line.cursor ? line : { text: line.text, cursor: at };
  return { text: line.text, cursor: previousBoundary(line.text, at) };
};

const cut = (line: EditLine, from: number, to: number, cursor: number): EditLine => ({
  text: line.text.slice(0, from) + line.text.slice(to),
  cursor,
});

/** The line after `key`. Total: any key on any line gives a line whose cursor is on a grapheme boundary. */
export const editLine = (input: EditLine, key: EditKey): EditLine => {
  const line = clampCursor(input);
  const { text, cursor } = line;
  switch (key.kind) {
    case 'insert':
      return key.text === '' ? line : { text: text.slice(0, cursor) + key.text + text.slice(cursor), cursor: cursor + key.text.length };
    case 'left':
      return { text, cursor: previousBoundary(text, cursor) };
    case 'right':
      return { text, cursor: nextBoundary(text, cursor) };
    case 'home':
      return { text, cursor: 0 };
    case 'end':
      return { text, cursor: text.length };
    case 'word-left':
      return { text, cursor: wordStartBefore(text, cursor) };
    case 'word-right':
      return { text, cursor: wordEndAfter(text, cursor) };
    case 'backspace': {
      const from = previousBoundary(text, cursor);
      return cursor === 0 ? line : cut(line, from, cursor, from);
    }
    case 'delete':
      return cursor === text.length ? line : cut(line, cursor, nextBoundary(text, cursor), cursor);
    case 'kill-word-back': {
      const from = spaceWordStartBefore(text, cursor);
      return cut(line, from, cursor, from);
    }
    case 'kill-to-start':
      return cut(line, 0, cursor, 0);
    case 'kill-to-end':
      return cut(line, cursor, text.length, cursor);
  }
};

/** The line split at the cursor, for drawing it: the text before, the grapheme under the cursor (or ''), the rest. */
export const splitAtCursor = (line: EditLine): { readonly before: string; readonly at: string; readonly after: string } => {
  const { text, cursor } = clampCursor(line);
  const end = nextBoundary(text, cursor);
  return { before: text.slice(0, cursor), at: text.slice(cursor, end), after: text.slice(end) };
};

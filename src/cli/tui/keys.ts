/**
 * The chat client's keyboard, as a pure function from a key press to view actions and at most one effect for the
 * engine. Keys: type and Enter to send to the open conversation; the readline keys edit the line (see
 * src/cli/edit/line-editor.ts); Tab / Shift-Tab switch conversations (Tab goes to unread ones first); ↑/↓ move the
 * cursor in the online list while the line is empty or a filter (`@bo`), and walk the lines sent before otherwise
 * (Ctrl-P / Ctrl-N always do); PgUp/PgDn scroll the conversation; Esc clears the line; Ctrl-C or /quit quits.
 * @module
 */
import { parseCommand } from '../commands.js';
import type { EditKey } from '../edit/line-editor.js';
import { textTooLong } from '../text-limit.js';
import { knowsList } from '../view/outage.js';
import { isOnline, listFilter, others } from '../view/chat-select.js';
import { chatReducer, type ChatAction, type ChatView } from '../view/chat-view.js';

/** Something only the engine can do. */
export type ChatEffect = { readonly kind: 'say'; readonly to: string; readonly text: string } | { readonly kind: 'quit' };

/** What a key press does. */
export interface KeyOutcome {
  readonly actions: readonly ChatAction[];
  readonly effect?: ChatEffect;
}

/** The flags of ink's `Key` that the chat client reads (all optional, so a test names only what it presses). */
export interface KeyFlags {
  readonly ctrl?: boolean;
  readonly meta?: boolean;
  readonly shift?: boolean;
  readonly tab?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly backspace?: boolean;
  readonly delete?: boolean;
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly leftArrow?: boolean;
  readonly rightArrow?: boolean;
  readonly home?: boolean;
  readonly end?: boolean;
  readonly pageUp?: boolean;
  readonly pageDown?: boolean;
}

/** The key help, in lines that fit 80 columns (the screen shows as many as it has room for; --help has the rest). */
export const KEY_HELP: readonly string[] = [
  'Enter send · Tab next chat · ↑/↓ + Enter open chat · @name filter list · /quit',
  'PgUp/PgDn scroll · ←/→ Home/End Ctrl-A/E/W/U/K edit · Ctrl-P/N sent lines',
];

const error = (text: string, offline?: string): KeyOutcome => ({
  actions: [{ type: 'status', status: offline === undefined ? { level: 'error', text } : { level: 'error', text, offline } }],
});

const say = (view: ChatView, to: string, text: string, open: boolean): KeyOutcome => {
  // Refused in characters, and the text stays in the line to be shortened.
  const tooLong = textTooLong(view.self, text);
  if (tooLong !== undefined) return error(tooLong);
  return {
    actions: [...(open ? [{ type: 'open', peer: to } as const] : []), { type: 'sent', text: view.input }, { type: 'clear-input' }],
    effect: { kind: 'say', to, text },
  };
};

// To someone offline the message waits in the outbox: say so, and the line goes once they are back. Before the first
// list nobody is known to be offline: it is this peer that is not in yet.
const queueNotice = (view: ChatView, to: string, outcome: KeyOutcome): KeyOutcome =>
  isOnline(view, to) || outcome.effect === undefined
    ? outcome
    : {
        ...outcome,
        actions: [
          ...outcome.actions,
          {
            type: 'status',
            status: {
              level: 'info',
              text: knowsList(view)
                ? `${to} is offline — the message waits (queued) and goes when ${to} is back`
                : `not logged in yet — the message waits (queued) and goes once ${to} is online`,
              offline: to,
            },
          },
        ],
      };

/** What Enter does with the input line. */
export const interpretSubmit = (view: ChatView): KeyOutcome => {
  if (view.input.startsWith('@')) {
    // A filter: Enter opens the chat with the user under the cursor, as on an empty line.
    return { actions: [{ type: 'open-selected' }, ...(view.selected === undefined ? [] : [{ type: 'clear-input' } as const])] };
  }
  const command = parseCommand(view.input);
  switch (command.kind) {
    case 'empty':
      return { actions: [{ type: 'open-selected' }] };
    case 'quit':
      return { actions: [{ type: 'clear-input' }], effect: { kind: 'quit' } };
    case 'users': {
      const names = view.users.map((user) => (user.name === view.self ? `${user.name} (you)` : user.name));
      return {
        actions: [
          { type: 'clear-input' },
          { type: 'status', status: { level: 'info', text: `online (${names.length}): ${names.join(', ')}` } },
        ],
      };
    }
    case 'bad':
      return error(command.message);
    case 'msg':
      if (command.to === view.self) return error('that is you — choose someone else to talk to');
      return queueNotice(view, command.to, say(view, command.to, command.text, true));
    case 'text':
      if (view.active === undefined) {
        return error(
          others(view).length === 0
            ? 'nobody else is online yet — wait for someone to log in'
            : 'no conversation is open — choose a user with ↑/↓ and press Enter first',
        );
      }
      return queueNotice(view, view.active, say(view, view.active, command.text, false));
  }
};

const edit = (key: EditKey): KeyOutcome => ({ actions: [{ type: 'edit', key }] });

// Ctrl-letter chords of readline, by the letter ink reports.
const CTRL_EDITS: ReadonlyMap<string, EditKey> = new Map([
  ['a', { kind: 'home' }],
  ['e', { kind: 'end' }],
  ['b', { kind: 'left' }],
  ['f', { kind: 'right' }],
  ['d', { kind: 'delete' }],
  ['w', { kind: 'kill-word-back' }],
  ['u', { kind: 'kill-to-start' }],
  ['k', { kind: 'kill-to-end' }],
  ['h', { kind: 'backspace' }],
]);

/** True when ↑/↓ belong to the online list rather than to the sent lines. */
const listTakesArrows = (view: ChatView): boolean => view.input === '' || listFilter(view) !== '' || view.input === '@';

/** What one key press does, given the view it was pressed on. */
export const interpretKey = (view: ChatView, input: string, key: KeyFlags): KeyOutcome => {
  if (key.ctrl === true && input === 'c') return { actions: [], effect: { kind: 'quit' } };
  if (key.return === true) return interpretSubmit(view);
  if (key.tab === true) return { actions: [{ type: 'cycle', direction: key.shift === true ? -1 : 1 }] };
  if (key.pageUp === true) return { actions: [{ type: 'scroll', pages: 1 }] };
  if (key.pageDown === true) return { actions: [{ type: 'scroll', pages: -1 }] };
  if (key.upArrow === true || key.downArrow === true) {
    const delta = key.upArrow === true ? -1 : 1;
    if (listTakesArrows(view) && view.recall === undefined) return { actions: [{ type: 'move-cursor', delta }] };
    return { actions: [{ type: 'recall', direction: delta === -1 ? -1 : 1 }] };
  }
  if (key.leftArrow === true) return edit({ kind: key.meta === true || key.ctrl === true ? 'word-left' : 'left' });
  if (key.rightArrow === true) return edit({ kind: key.meta === true || key.ctrl === true ? 'word-right' : 'right' });
  if (key.home === true) return edit({ kind: 'home' });
  if (key.end === true) return edit({ kind: 'end' });
  // Terminals send DEL (0x7f) for Backspace, which ink reports as `delete`, the same as the Delete key: both erase
  // backwards (Ctrl-D deletes forwards). Alt-Backspace erases a word.
  if (key.backspace === true || key.delete === true) return edit({ kind: key.meta === true ? 'kill-word-back' : 'backspace' });
  if (key.escape === true) return { actions: [{ type: 'clear-input' }] };
  if (key.ctrl === true) {
    if (input === 'p') return { actions: [{ type: 'recall', direction: -1 }] };
    if (input === 'n') return { actions: [{ type: 'recall', direction: 1 }] };
    const chord = CTRL_EDITS.get(input);
    return chord === undefined ? { actions: [] } : edit(chord);
  }
  if (key.meta === true) {
    if (input === 'b') return edit({ kind: 'word-left' });
    if (input === 'f') return edit({ kind: 'word-right' });
    return { actions: [] };
  }
  const text = input.replace(/\p{Cc}/gu, '');
  return text === '' ? { actions: [] } : { actions: [{ type: 'type', text }] };
};

/** Everything one chunk of input does: the view actions in order and the effects in order. */
export interface InputOutcome {
  readonly actions: readonly ChatAction[];
  readonly effects: readonly ChatEffect[];
}

/** The keys a terminal sends as one control character, as ink would report each alone. */
const CONTROL_KEYS: ReadonlyMap<string, { readonly input: string; readonly key: KeyFlags }> = new Map<string, { readonly input: string; readonly key: KeyFlags }>([
  ['\t', { input: '', key: { tab: true } }],
  ['\r\n', { input: '', key: { return: true } }],
  ['\r', { input: '', key: { return: true } }],
  ['\n', { input: '', key: { return: true } }],
  ['\x7f', { input: '', key: { backspace: true } }],
  ['\b', { input: '', key: { backspace: true } }],
  ['\x03', { input: 'c', key: { ctrl: true } }],
  ...[...CTRL_EDITS.keys(), 'p', 'n'].map(
    (letter) => [String.fromCharCode(letter.charCodeAt(0) - 96), { input: letter, key: { ctrl: true } }] as const,
  ),
]);

// Splits a chunk into runs of text and single control keys, in order; unknown control characters are dropped.
const splitChunk = (input: string): { readonly input: string; readonly key: KeyFlags }[] =>
  input
    .split(/(\r\n|\p{Cc})/u)
    .flatMap((part) => {
      const control = CONTROL_KEYS.get(part);
      if (control !== undefined) return [control];
      return part === '' || /^\p{Cc}$/u.test(part) ? [] : [{ input: part, key: {} }];
    });

/** A paste of several lines: a line break with more text after it. Its line breaks stay in the one message. */
export const isMultiLinePaste = (input: string): boolean => /[\r\n]+[^\r\n]/u.test(input.replace(/^[\r\n]+/u, ''));

/** The text a multi-line paste puts into the line: line breaks as `\n`, none at the ends, other control characters dropped. */
export const pastedText = (input: string): string =>
  input
    .replace(/\r\n|\r/gu, '\n')
    .replace(/[^\P{Cc}\n]/gu, '')
    .replace(/^\n+|\n+$/gu, '');

/**
 * What one chunk of terminal input does. Keys pressed faster than the program reads them (typing into the
 * terminal from a script, a fast typist) arrive as one string: ink reports it as text, so the Tabs, Enters and
 * Backspaces inside are split out here and each is judged on the view as it is after the keys before it. A paste
 * of several lines is not sent line by line: it goes into the input line as one message, for Enter to send.
 */
export const interpretInput = (view: ChatView, input: string, key: KeyFlags): InputOutcome => {
  if (isMultiLinePaste(input)) return { actions: [{ type: 'type', text: pastedText(input) }], effects: [] };
  const presses = [...input].length > 1 && /\p{Cc}/u.test(input) ? splitChunk(input) : [{ input, key }];
  const actions: ChatAction[] = [];
  const effects: ChatEffect[] = [];
  let current = view;
  for (const press of presses) {
    const outcome = interpretKey(current, press.input, press.key);
    for (const action of outcome.actions) {
      actions.push(action);
      current = chatReducer(current, action);
    }
    if (outcome.effect !== undefined) effects.push(outcome.effect);
  }
  return { actions, effects };
};

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editLine, emptyLine, lineOf, splitAtCursor, type EditKey, type EditLine } from '../../src/cli/edit/line-editor.js';

const runs = Number(process.env['IMSTATE_FUZZ_RUNS'] ?? 200);
const press = (line: EditLine, ...keys: EditKey['kind'][]): EditLine =>
  keys.reduce((l, kind) => editLine(l, kind === 'insert' ? { kind, text: '' } : ({ kind } as EditKey)), line);
const type = (line: EditLine, text: string): EditLine => editLine(line, { kind: 'insert', text });
const at = (text: string, cursor: number): EditLine => ({ text, cursor });

describe('the line editor', () => {
  it('inserts at the cursor and moves with ←/→, Home/End', () => {
    let line = type(emptyLine, 'helo');
    line = press(line, 'left');
    line = type(line, 'l');
    expect(line).toEqual(at('hello', 4));
    expect(press(line, 'home')).toEqual(at('hello', 0));
    expect(press(line, 'end')).toEqual(at('hello', 5));
    expect(press(at('hello', 0), 'left')).toEqual(at('hello', 0));
    expect(press(at('hello', 5), 'right')).toEqual(at('hello', 5));
  });

  it('moves over a grapheme as one step: CJK, an emoji with a skin tone, e + combining accent', () => {
    const text = '你👍🏽e\u0301!';
    const steps: number[] = [];
    let line = lineOf(text);
    while (line.cursor > 0) {
      line = press(line, 'left');
      steps.push(line.cursor);
    }
    expect(steps).toEqual([text.length - 1, 1 + 4, 1, 0]);
    expect(press(lineOf(text), 'backspace', 'backspace').text).toBe('你👍🏽');
    expect(press(at(text, 1), 'delete').text).toBe('你e\u0301!');
  });

  it('Backspace erases before the cursor, Delete (Ctrl-D) after it', () => {
    expect(press(at('abc', 2), 'backspace')).toEqual(at('ac', 1));
    expect(press(at('abc', 0), 'backspace')).toEqual(at('abc', 0));
    expect(press(at('abc', 1), 'delete')).toEqual(at('ac', 1));
    expect(press(at('abc', 3), 'delete')).toEqual(at('abc', 3));
  });

  it('Ctrl-W erases the word before the cursor, Ctrl-U to the start, Ctrl-K to the end', () => {
    expect(press(at('say hi there', 12), 'kill-word-back')).toEqual(at('say hi ', 7));
    expect(press(at('say hi   ', 9), 'kill-word-back')).toEqual(at('say ', 4));
    expect(press(at('say hi there', 6), 'kill-to-start')).toEqual(at(' there', 0));
    expect(press(at('say hi there', 6), 'kill-to-end')).toEqual(at('say hi', 6));
  });

  it('Alt-←/→ jump by words, punctuation and spaces between, in any script', () => {
    const text = 'hello, 世界 and-more';
    expect(press(lineOf(text), 'word-left').cursor).toBe(text.indexOf('more'));
    expect(press(lineOf(text), 'word-left', 'word-left').cursor).toBe(text.indexOf('and'));
    expect(press(lineOf(text), 'word-left', 'word-left', 'word-left').cursor).toBe(text.indexOf('世'));
    expect(press(at(text, 0), 'word-right').cursor).toBe(5);
    expect(press(at(text, 0), 'word-right', 'word-right').cursor).toBe(text.indexOf(' and'));
  });

  it('splits the line at the cursor for drawing', () => {
    expect(splitAtCursor(at('ab👍🏽c', 2))).toEqual({ before: 'ab', at: '👍🏽', after: 'c' });
    expect(splitAtCursor(lineOf('ab'))).toEqual({ before: 'ab', at: '', after: '' });
  });

  it('is total: any key on any line keeps the cursor within the text and on a grapheme boundary (property)', () => {
    const key: fc.Arbitrary<EditKey> = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', ' ', '你', '👍🏽', 'e\u0301', ',') , maxLength: 4 }).map((text) => ({ kind: 'insert' as const, text })),
      fc.constantFrom<EditKey>(
        { kind: 'left' }, { kind: 'right' }, { kind: 'home' }, { kind: 'end' }, { kind: 'word-left' }, { kind: 'word-right' },
        { kind: 'backspace' }, { kind: 'delete' }, { kind: 'kill-word-back' }, { kind: 'kill-to-start' }, { kind: 'kill-to-end' },
      ),
    );
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    fc.assert(
      fc.property(fc.array(key, { maxLength: 30 }), fc.integer({ min: -5, max: 50 }), (keys, start) => {
        let line: EditLine = { text: 'x 你', cursor: start };
        for (const k of keys) {
          const before = line;
          line = editLine(line, k);
          expect(line.cursor).toBeGreaterThanOrEqual(0);
          expect(line.cursor).toBeLessThanOrEqual(line.text.length);
          const points = [...segmenter.segment(line.text)].map((s) => s.index).concat(line.text.length);
          expect(points).toContain(line.cursor);
          // Only typing makes the text longer; movement never changes it.
          if (['left', 'right', 'home', 'end', 'word-left', 'word-right'].includes(k.kind)) expect(line.text).toBe(before.text);
        }
      }),
      { numRuns: runs },
    );
  });
});

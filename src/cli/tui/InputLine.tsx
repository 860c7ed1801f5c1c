/**
 * The input line with its cursor (inverse video, which NO_COLOR keeps). A line wider than the screen shows the part
 * around the cursor; line breaks from a paste show as ⏎.
 * @module
 */
import { Text } from 'ink';
import { splitAtCursor, type EditLine } from '../edit/line-editor.js';
import { columnsOf } from '../view/wrap.js';

/** Props of {@link InputLine}. */
export interface InputLineProps {
  readonly prompt: string;
  readonly line: EditLine;
  readonly columns: number;
}

const shown = (text: string): string => text.replace(/\n/gu, '⏎');

/** The longest end of `text` that fits in `width` columns. */
const tailFitting = (text: string, width: number): string => {
  const chars = [...text];
  let out = '';
  for (let i = chars.length - 1; i >= 0; i -= 1) {
    if (columnsOf(chars[i]! + out) > width) break;
    out = chars[i]! + out;
  }
  return out;
};

/** The input line. */
export const InputLine = ({ prompt, line, columns }: InputLineProps) => {
  const { before, at, after } = splitAtCursor(line);
  const room = Math.max(4, columns - columnsOf(prompt) - 2);
  const head = shown(before);
  const cursor = at === '' ? ' ' : shown(at);
  const left = columnsOf(head) + columnsOf(cursor) <= room ? head : `…${tailFitting(head, room - columnsOf(cursor) - 1)}`;
  return (
    <Text wrap="truncate-end">
      <Text bold>{prompt}</Text> {left}
      <Text inverse>{cursor}</Text>
      {shown(after)}
    </Text>
  );
};

/**
 * A conversation as the lines the pane draws at a given width: each message is `[time] who: text (status)` wrapped
 * to the pane, so the pane scrolls by lines (PgUp/PgDn) and knows how far back the conversation goes.
 * @module
 */
import type { ChatMessage, DeliveryStatus } from '../../engine/types.js';
import { statusLabel } from '../tui/theme.js';
import { columnsOf, wrapText } from './wrap.js';

/** One drawn line of a conversation. The first line of a message carries its head (time and sender) to style. */
export interface ConversationLine {
  /** Unique within the conversation (message id and line number). */
  readonly key: string;
  readonly head?: { readonly time: string; readonly who: string; readonly direction: ChatMessage['direction'] };
  /** The text of the line after the head, if any. */
  readonly text: string;
  /** The delivery status, on the message's last line. */
  readonly status?: { readonly label: string; readonly status: DeliveryStatus };
}

/** The lines of one message. */
export const messageLines = (message: ChatMessage, width: number): ConversationLine[] => {
  const who = message.direction === 'out' ? 'you' : message.from;
  const head = `[${message.time}] ${who}: `;
  const label = statusLabel(message.status, message.reason);
  const wrapped = wrapText(`${head}${message.text}`, width);
  const lines: ConversationLine[] = wrapped.map((text, i) => ({ key: `${message.id}:${i}`, text }));
  const first = lines[0];
  if (first !== undefined && first.text.startsWith(head.trimEnd())) {
    lines[0] = { ...first, head: { time: message.time, who, direction: message.direction }, text: first.text.slice(head.length) };
  }
  if (label !== '') {
    const last = lines[lines.length - 1]!;
    const lastWidth = columnsOf(last.head === undefined ? last.text : head + last.text);
    const suffix = { label: ` (${label})`, status: message.status };
    if (lastWidth + columnsOf(suffix.label) <= width) lines[lines.length - 1] = { ...last, status: suffix };
    else lines.push({ key: `${message.id}:s`, text: '', status: { label: `(${label})`, status: message.status } });
  }
  return lines;
};

/** Every line of `messages` at `width` columns, oldest first. */
export const conversationLines = (messages: readonly ChatMessage[], width: number): ConversationLine[] =>
  messages.flatMap((message) => messageLines(message, width));

/** The lines to draw: `height` lines ending `scroll` lines above the newest, and how far `scroll` can go. */
export const scrolledLines = (
  lines: readonly ConversationLine[],
  height: number,
  scroll: number,
): { readonly shown: readonly ConversationLine[]; readonly scroll: number; readonly maxScroll: number; readonly above: number } => {
  const rows = Math.max(1, height);
  const maxScroll = Math.max(0, lines.length - rows);
  const at = Math.max(0, Math.min(maxScroll, scroll));
  const end = lines.length - at;
  const start = Math.max(0, end - rows);
  return { shown: lines.slice(start, end), scroll: at, maxScroll, above: start };
};

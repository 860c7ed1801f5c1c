/**
 * How much text one message can hold, in characters, so that the chat client refuses an over-long line in a person's
 * words ("40,000 characters; one message holds at most 32,727") before anything is sent, and keeps it for editing.
 * @module
 */
import { defaultLimits } from '../protocol/index.js';

// The reliable form is the longest: `rtalk,<id>,<time>,<name>,<text>` in UTF-16LE. Room for a long id and time text.
const ID_ROOM = 24;
const TIME_ROOM = 16;

/** The most UTF-16 code units of text one message from `name` can carry (each character of most scripts is one). */
export const maxTextUnits = (name: string, maxDatagramBytes = defaultLimits.maxDatagramBytes): number =>
  Math.floor(maxDatagramBytes / 2) - 'rtalk,,,,'.length - ID_ROOM - TIME_ROOM - name.length;

const count = (n: number): string => n.toLocaleString('en-US');

/** Why `text` is too long to send as `name`, for a person; undefined when it fits. */
export const textTooLong = (name: string, text: string): string | undefined => {
  const max = maxTextUnits(name);
  if (text.length <= max) return undefined;
  return `that message is ${count(text.length)} characters; one message holds at most ${count(max)} — shorten it (the text is kept) or send it in parts`;
};

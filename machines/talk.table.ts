/**
 * The peer's reliable talks in flight, as one pure table: every outstanding `rtalk` follows the talk statechart
 * (./talk.machine.ts: `sending ──receipt──▶ delivered`, `sending ──timeout [triesLeft]──▶ sending`,
 * `sending ──timeout──▶ failed`), but as an entry in a Map the peer machine keeps in its context instead of an actor
 * of its own. An actor per message cost ~180 µs from `SAY` to `receipt` (spawning copies the parent's children,
 * stopping walks every delayed event); an entry costs a Map copy. test/machines/talk-table.test.ts runs random
 * histories through both and checks they agree, so the statechart stays the lifecycle's definition.
 *
 * Each step returns the new table and what the peer must do: `transmit` the datagram (and arm the message's receipt
 * timer again), or report the final `status` (and forget the message). The peer machine arms and cancels the timers
 * (a delayed `talk.timeout` event per message, named by {@link talkTimerId}); nothing here knows about time.
 *
 * The table is a new array on every change (the machine's context is immutable): O(messages in flight) per step, a
 * few dozen in practice. An array, not a Map: copying a 32-entry Map costs ~5 µs, slicing a 32-entry array ~0.1 µs,
 * and finding one of 32 ids by a linear scan is as quick as hashing.
 * @module
 */
import type { ReliableTalkMessage } from '../src/protocol/index.js';
import { sendCommand, type SendCommand } from './commands.js';
import type { TalkStatusReport, TalkTransmit } from './talk.machine.js';

/** One reliable message in flight: what to send again, and how many times it went. */
export interface TalkEntry {
  /** The message id (the engine made it; unique within the sender). */
  readonly id: string;
  /** The recipient's name. */
  readonly to: string;
  /** The recipient's UDP endpoint as the wire prints it. */
  readonly endpoint: string;
  /** The datagram to send (and resend). */
  readonly message: ReliableTalkMessage;
  /** Transmissions so far. */
  readonly sent: number;
  /** Transmissions before giving up (at least 1). */
  readonly tries: number;
}

/** Every reliable message in flight, oldest first (ids are unique in it). */
export type TalkTable = readonly TalkEntry[];

/** What starts a message: an entry without its count. */
export type TalkStart = Omit<TalkEntry, 'sent'>;

/** One step of the table: the new table and at most one thing to do. */
export interface TalkStep {
  readonly table: TalkTable;
  /** Send this datagram now and arm the message's receipt timer. */
  readonly transmit?: TalkTransmit;
  /** The message is done: report this (its timer is to be cancelled). */
  readonly status?: TalkStatusReport;
}

/** The delayed event that says message `id` waited its receipt timeout (the peer machine raises it to itself). */
export interface TalkTimeoutEvent {
  readonly type: 'talk.timeout';
  readonly id: string;
}

/** The id of the delayed `talk.timeout` event that guards message `id` (to cancel it on the receipt). */
export const talkTimerId = (id: string): string => `talk:${id}`;

/** An empty table. */
export const emptyTalkTable = (): TalkTable => [];

/** The entry of message `id`, if it is in flight. */
export const talkEntry = (table: TalkTable, id: string): TalkEntry | undefined => table.find((entry) => entry.id === id);

/** True while message `id` is in flight. */
export const talkInFlight = (table: TalkTable, id: string): boolean => table.some((entry) => entry.id === id);

const transmitOf = (entry: TalkEntry): TalkTransmit => ({ type: 'talk.transmit', id: entry.id, to: entry.endpoint, message: entry.message });

const replaced = (table: TalkTable, entry: TalkEntry): TalkTable => table.map((old) => (old.id === entry.id ? entry : old));

const without = (table: TalkTable, id: string): TalkTable => table.filter((entry) => entry.id !== id);

/**
 * Starts message `start.id` (entry of `sending`: count the try, transmit). A message of an id already in flight
 * changes nothing: the peer refuses a duplicate id before it gets here.
 */
export const startTalk = (table: TalkTable, start: TalkStart): TalkStep => {
  if (talkInFlight(table, start.id)) return { table };
  const entry: TalkEntry = { ...start, tries: Math.max(1, Math.floor(start.tries)), sent: 1 };
  return { table: [...table, entry], transmit: transmitOf(entry) };
};

/** The receipt for `id` came (`sending ──receipt──▶ delivered`); a receipt for nothing in flight changes nothing. */
export const receiveTalkReceipt = (table: TalkTable, id: string): TalkStep => {
  const entry = talkEntry(table, id);
  if (entry === undefined) return { table };
  return { table: without(table, id), status: { type: 'talk.status', id, to: entry.to, status: 'delivered' } };
};

/** `id`'s receipt timeout passed: send again while tries are left, else fail with a reason for a person. */
export const talkTimedOut = (table: TalkTable, id: string): TalkStep => {
  const entry = talkEntry(table, id);
  if (entry === undefined) return { table };
  if (entry.sent < entry.tries) {
    const again: TalkEntry = { ...entry, sent: entry.sent + 1 };
    return { table: replaced(table, again), transmit: transmitOf(again) };
  }
  const reason = `no receipt from ${entry.to} after ${entry.sent} ${entry.sent === 1 ? 'try' : 'tries'}`;
  return { table: without(table, id), status: { type: 'talk.status', id, to: entry.to, status: 'failed', reason } };
};

/** What carrying out a step needs of `enqueueActions`' enqueue (method shorthand, so XState's own enqueue fits). */
export interface TalkEnqueue {
  assign(values: { talks: TalkTable }): void;
  emit(command: SendCommand | TalkStatusReport): void;
  raise(event: TalkTimeoutEvent, options: { id: string; delay: number }): void;
  cancel(id: string): void;
}

/** Carries out one step: the new table, then a transmission (its receipt timer armed) or the final status. */
export const takeTalkStep = (enqueue: TalkEnqueue, step: TalkStep, id: string, receiptTimeoutMs: number): void => {
  enqueue.assign({ talks: step.table });
  if (step.transmit !== undefined) {
    enqueue.emit(sendCommand(step.transmit.to, step.transmit.message));
    enqueue.raise({ type: 'talk.timeout', id }, { id: talkTimerId(id), delay: receiptTimeoutMs });
  }
  if (step.status !== undefined) {
    enqueue.cancel(talkTimerId(id));
    const { type, to, status, reason } = step.status;
    enqueue.emit({ type, id, to, status, ...(reason === undefined ? {} : { reason }) });
  }
};

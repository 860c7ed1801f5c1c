/**
 * One reliable talk message on its way: `rtalk` is sent, retransmitted until a `receipt` comes back, and reported
 * delivered, or failed after a number of tries (only when both ends advertised imstate; a classic recipient gets one
 * plain `talk`, as the original sends it). This statechart defines the lifecycle; the peer machine runs it for every
 * message in flight as an entry of its talk table (./talk.table.ts) rather than as an actor per message, which cost
 * ten times the datagrams' own work, and test/machines/talk-table.test.ts checks that the table does what this
 * machine does for any history. The machine still runs on its own (a driver may spawn it, reporting to `peer`).
 *
 * ## Contract
 * - **Input** {@link TalkInput}: the message, where it goes, the receipt timeout and the tries, and `peer`, the actor
 *   to report to (the spawning peer passes `self`; a child cannot emit to the engine, so it reports to its parent).
 * - **Events in**: `receipt` (the peer routes `receipt,<id>,<name>` datagrams here by message id).
 * - **Reports out** (sent to `peer`, which re-emits them to the engine): {@link TalkTransmit} for every transmission,
 *   {@link TalkStatusReport} once at the end (`delivered` or `failed` with a reason for a person).
 * - **Delays**: `receiptTimeout` (from the input). **Guards**: `triesLeft`.
 * - **Output**: `{ id, status }`.
 *
 * ```text
 * sending ──receipt──▶ delivered
 *    │ └─after receiptTimeout [triesLeft]─▶ sending (send again)
 *    └───after receiptTimeout─────────────▶ failed
 * ```
 * @module
 */
import { assign, sendTo, setup, type AnyActorRef } from 'xstate';
import type { ReliableTalkMessage } from '../src/protocol/index.js';

/** What the peer gives a talk machine. */
export interface TalkInput {
  /** The message id (the engine made it; unique within the sender). */
  readonly id: string;
  /** The recipient's name. */
  readonly to: string;
  /** The recipient's UDP endpoint as the wire prints it. */
  readonly endpoint: string;
  /** The datagram to send (and resend). */
  readonly message: ReliableTalkMessage;
  readonly receiptTimeoutMs: number;
  /** Transmissions before giving up (at least 1). */
  readonly tries: number;
  /** Where reports go: the peer actor. */
  readonly peer: AnyActorRef;
}

/** Report to the peer: send this datagram (the peer emits it as a `send` command). */
export interface TalkTransmit {
  readonly type: 'talk.transmit';
  readonly id: string;
  readonly to: string;
  readonly message: ReliableTalkMessage;
}

/** Report to the peer: the message's final status. */
export interface TalkStatusReport {
  readonly type: 'talk.status';
  readonly id: string;
  /** The recipient's name. */
  readonly to: string;
  readonly status: 'delivered' | 'failed';
  readonly reason?: string;
}

/** A `receipt` for this message reached the peer. */
export interface TalkReceiptEvent {
  readonly type: 'receipt';
  /** The name in the receipt (the recipient). */
  readonly name: string;
}

/** The talk machine's context: its input plus what happened so far. */
export interface TalkContext extends TalkInput {
  /** Transmissions so far. */
  readonly sent: number;
  /** Set on reaching a final state. */
  readonly status?: 'delivered' | 'failed';
}

/** The reliable talk machine. See the module comment for its contract. */
export const talkMachine = setup({
  types: {
    context: {} as TalkContext,
    events: {} as TalkReceiptEvent,
    input: {} as TalkInput,
    output: {} as { id: string; status: 'delivered' | 'failed' },
  },
  actions: {
    countTry: assign({ sent: ({ context }) => context.sent + 1 }),
    markDelivered: assign({ status: 'delivered' as const }),
    markFailed: assign({ status: 'failed' as const }),
    transmit: sendTo(
      ({ context }) => context.peer,
      ({ context }): TalkTransmit => ({ type: 'talk.transmit', id: context.id, to: context.endpoint, message: context.message }),
    ),
    reportDelivered: sendTo(
      ({ context }) => context.peer,
      ({ context }): TalkStatusReport => ({ type: 'talk.status', id: context.id, to: context.to, status: 'delivered' }),
    ),
    reportFailed: sendTo(
      ({ context }) => context.peer,
      ({ context }): TalkStatusReport => ({
        type: 'talk.status',
        id: context.id,
        to: context.to,
        status: 'failed',
        reason: `no receipt from ${context.to} after ${context.sent} ${context.sent === 1 ? 'try' : 'tries'}`,
      }),
    ),
  },
  guards: {
    triesLeft: ({ context }) => context.sent < context.tries,
  },
  delays: {
    receiptTimeout: ({ context }) => context.receiptTimeoutMs,
  },
}).createMachine({
  id: 'talk',
  context: ({ input }) => ({ ...input, tries: Math.max(1, Math.floor(input.tries)), sent: 0 }),
  initial: 'sending',
  states: {
    sending: {
      entry: ['countTry', 'transmit'],
      on: {
        receipt: { target: 'delivered' },
      },
      after: {
        receiptTimeout: [{ guard: 'triesLeft', target: 'sending', reenter: true }, { target: 'failed' }],
      },
    },
    delivered: { type: 'final', entry: ['markDelivered', 'reportDelivered'] },
    failed: { type: 'final', entry: ['markFailed', 'reportFailed'] },
  },
  output: ({ context }) => ({ id: context.id, status: context.status ?? 'failed' }),
});

/**
 * The peer machine's vocabulary: its input, the events it takes, the commands it emits and its context. Shared by
 * peer.setup.ts (the implementations) and peer.machine.ts (the states), and by the engine.
 * @module
 */
import type { Replica } from '../src/presence/index.js';
import type { Endpoint } from '../src/protocol/index.js';
import type { DatagramEvent, LogCommand, RejectedCommand, SendCommand } from './commands.js';
import type { PeerOptions } from './peer.options.js';
import type { AcceptInfo } from './peer.wire.js';
import type { TalkTable, TalkTimeoutEvent } from './talk.table.js';

/** What the engine gives a peer machine. */
export interface PeerInput {
  readonly name: string;
  /** The index server's UDP endpoint as printed (`127.0.0.1:9000`). */
  readonly server: string;
  /** This login's session id (the engine makes it). */
  readonly session: string;
  readonly options?: Partial<PeerOptions>;
}

/** The user asks to send `text` to `to`; `id` and `time` come from the engine. */
export interface SayEvent {
  readonly type: 'SAY';
  readonly to: string;
  readonly text: string;
  readonly id: string;
  /** The wire's free-text time field (the sender's `ToLongTimeString()`). */
  readonly time: string;
}

/** Everything the peer machine reacts to. */
export type PeerEvent =
  | { readonly type: 'LOGIN' }
  | { readonly type: 'LOGOUT' }
  | SayEvent
  | DatagramEvent
  | TalkTimeoutEvent;

/** The online list may have changed: `replicaUsers(replica)` lists it. */
export interface UsersCommand {
  readonly type: 'users';
  readonly replica: Replica;
}

/** A talk message arrived (once per message id for `rtalk`). */
export interface TalkReceived {
  readonly type: 'talk.received';
  /** The sender's name, as the message says. */
  readonly from: string;
  readonly time: string;
  readonly text: string;
  /** The sender's message id (`rtalk` only; a classic `talk` has none). */
  readonly id?: string;
}

/** Where an outgoing talk stands. */
export interface TalkStatus {
  readonly type: 'talk.status';
  readonly id: string;
  readonly to: string;
  readonly status: 'sending' | 'sent' | 'delivered' | 'failed';
  readonly reason?: string;
}

/** Everything the peer machine emits for the engine. */
export type PeerEmitted = SendCommand | UsersCommand | TalkReceived | TalkStatus | LogCommand | RejectedCommand;

/** The peer machine's context. */
export interface PeerContext {
  readonly name: string;
  readonly server: string;
  readonly session: string;
  readonly options: PeerOptions;
  /** The peer's own UDP endpoint, once bound. */
  readonly endpoint?: Endpoint;
  /** `login`s sent in the current round (reset on each new login round). */
  readonly loginTries: number;
  /** Whether the peer has been online: a server lost after that is asked again (`reconnecting`), not given up on. */
  readonly wasOnline: boolean;
  /** What the last `Accept` said (cleared when logging in again). */
  readonly accept?: AcceptInfo;
  /** Whether the server advertised imstate; kept across a re-login, so a logout after it still carries the session. */
  readonly serverImstate?: boolean;
  /** List fetches in the current round. */
  readonly listTries: number;
  /** Why the last list fetch failed, for the final reason. */
  readonly listError?: string;
  readonly replica: Replica;
  /** `ping`s sent since the last `pong`. */
  readonly pings: number;
  /** Reliable talks in flight, each following the talk statechart (./talk.table.ts). */
  readonly talks: TalkTable;
  /** Recent `rtalk` ids per sender, newest last, to drop duplicates. */
  readonly recent: ReadonlyMap<string, readonly string[]>;
  /** Why the peer failed. */
  readonly reason?: string;
}

/**
 * The vocabulary of presence: who is online, the events that change it, and the log that orders them.
 * @module
 */

import type { LeaveReason } from '../protocol/message.js';

/** Why a user left the online list (the wire's `reason=`; declared once, in the codec). */
export type { LeaveReason };

/** One entry of the online list. */
export interface User {
  /** Unique among online users (the duplicate-name policy keeps it so). */
  readonly name: string;
  /** The user's UDP receive endpoint, exactly as the wire prints it (`127.0.0.1:5001`, `[::1]:5001`). */
  readonly endpoint: string;
  /** Identifies one login of this name: imstate peers send `session=<id>`; a classic peer's session is its endpoint. */
  readonly session: string;
  /** True when the user's peer advertised imstate's extensions (sequence numbers, receipts, heartbeats). */
  readonly imstate: boolean;
  /**
   * True when the user's imstate peer said `batch=1` in its login: the server sends it presence in batch datagrams.
   * Only the server needs it (absent elsewhere, and never set for a classic peer).
   */
  readonly batch?: boolean;
}

/** A user joined. `seq` is assigned by the server's log, starting at 1, without gaps. */
export interface JoinedEvent {
  readonly type: 'joined';
  readonly seq: number;
  readonly user: User;
}

/** A user left. Applies only to the session named (a stale leave for an older session changes nothing). */
export interface LeftEvent {
  readonly type: 'left';
  readonly seq: number;
  readonly name: string;
  readonly session: string;
  readonly reason: LeaveReason;
}

/** A change to the online list, as the server's log records it. */
export type PresenceEvent = JoinedEvent | LeftEvent;

/** A presence event before the log has given it a sequence number. */
export type PresenceChange = Omit<JoinedEvent, 'seq'> | Omit<LeftEvent, 'seq'>;

/** The online list at one point of the log: every user, and the last sequence number folded in (0 = empty log). */
export interface Snapshot {
  readonly seq: number;
  readonly users: readonly User[];
}

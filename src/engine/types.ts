/**
 * The embedding API's handle types: what `createIndexServer()` and `createPeer()` return.
 * @module
 */
import type { Observable } from 'rxjs';
import type { LoginRetry } from '../../machines/peer.retry.js';
import type { User } from '../presence/types.js';

export type { LoginRetry } from '../../machines/peer.retry.js';

/** One line of what happened, for consoles and logs. */
export interface LogEntry {
  /** Milliseconds since the epoch. */
  readonly at: number;
  readonly level: 'info' | 'warn' | 'error';
  /** What kind of thing happened, e.g. `login`, `logout`, `rejected`, `expired`, `talk`. */
  readonly kind: string;
  /** A sentence for a person. */
  readonly text: string;
}

/**
 * Where a talk message stands. Incoming messages are `received`; an outgoing one is `queued` while it waits in an
 * outbox for its recipient to come (back) online, then `sending`, then `delivered` (`sent` to a classic peer, which
 * sends no receipts) or `failed`.
 */
export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed' | 'received';

/** A talk message in or out, with its delivery status; the same `id` is emitted again as the status changes. */
export interface ChatMessage {
  readonly id: string;
  readonly direction: 'in' | 'out';
  readonly from: string;
  readonly to: string;
  readonly text: string;
  /** The wire's free-text time field (the sender's local time). */
  readonly time: string;
  readonly status: DeliveryStatus;
  /** For `failed`: why, for a person. */
  readonly reason?: string;
}

/** A lifecycle state as a plain value: the machine's state value and, for `failed`, the reason. */
export interface LifecycleState {
  /** e.g. `idle`, `awaitingAccept`, `online`, `reconnecting`, `failed`. */
  readonly value: string;
  readonly reason?: string;
  /**
   * A peer's unanswered login, once it is worth saying (from the second try of a first login, from the first try of
   * a reconnection): a new state is emitted at each try.
   */
  readonly retry?: LoginRetry;
}

/** Someone came online: `user` is now on the online list. */
export interface UserJoined {
  readonly type: 'joined';
  readonly user: User;
}

/**
 * Someone went offline: `user` (as it was listed) is no longer on the online list. A name that logs in again under a
 * new session leaves (the old session) and joins (the new one).
 */
export interface UserLeft {
  readonly type: 'left';
  readonly user: User;
}

/** What `presence$` carries: one change to the online list. */
export type PresenceUpdate = UserJoined | UserLeft;

/** The addresses an index server really listens on (ports resolved when 0 was asked for). */
export interface ServerAddress {
  readonly host: string;
  readonly udpPort: number;
  readonly tcpPort: number;
}

/** A running or stopped index server. */
export interface IndexServerHandle {
  /** The server machine's lifecycle (`idle`, `starting`, `running`, `stopping`, `stopped`, `failed`). */
  readonly state$: Observable<LifecycleState>;
  /**
   * Every change to the online list, from the moment of subscribing: who joined and who left, in the order the
   * server decided them (a replaced session leaves before its successor joins). Users a restart brings back from the
   * presence log join once `start()` has read it.
   */
  readonly presence$: Observable<PresenceUpdate>;
  /**
   * The online list: now, on subscribing, then after every change (`presence$` folded into it; one list per decision,
   * never a half-applied replacement). Each list costs O(users): follow `presence$` instead when that matters.
   */
  readonly users$: Observable<readonly User[]>;
  /** What happened: logins, logouts, expiries, rejected datagrams. */
  readonly log$: Observable<LogEntry>;
  /** Binds the sockets; resolves with the real ports, rejects with a readable error (e.g. port in use). */
  start(): Promise<ServerAddress>;
  /** Closes every socket and timer; resolves when nothing is left open. */
  stop(): Promise<void>;
  /** Counters: datagrams received and rejected, logins, etc. */
  stats(): Readonly<Record<string, number>>;
}

/** A peer: logs in to an index server and chats directly with other peers. */
export interface PeerHandle {
  /**
   * The peer machine's lifecycle (`idle`, `loggingIn`, `awaitingAccept`, `fetchingList`, `online`, `reconnecting`,
   * ...), with `retry` while a login goes unanswered.
   */
  readonly state$: Observable<LifecycleState>;
  /**
   * Every change to this peer's view of the online list (itself included), from the moment of subscribing. A fresh
   * list (the login's list fetch, a resync, a login again after a server restart) becomes the joins and leaves
   * that turn the previous view into it, so a user who stayed online is not reported again.
   */
  readonly presence$: Observable<PresenceUpdate>;
  /** This peer's view of the online list (itself included): now, then after every change (`presence$` folded in). */
  readonly users$: Observable<readonly User[]>;
  /** Talk in and out, with delivery status. */
  readonly messages$: Observable<ChatMessage>;
  readonly log$: Observable<LogEntry>;
  /** Binds the peer's UDP socket and logs in; resolves when online, rejects with the reason it failed. */
  login(): Promise<void>;
  /** Logs out and closes every socket. */
  logout(): Promise<void>;
  /**
   * Sends `text` to the online user `to`; resolves with the message id, whose progress `messages$` reports. Works
   * while `reconnecting` too, to the users the list held (peer to peer). Rejects with an `EngineError`: `not-online`
   * before login, while logging in again after a `reconnecting` got its `Accept`, or after logout; `bad-text` for text
   * no datagram can carry (an unpaired surrogate, or longer than a datagram holds).
   */
  say(to: string, text: string): Promise<string>;
  /** Same as logout(), safe to call twice. */
  stop(): Promise<void>;
  /** The peer's own UDP receive endpoint as the wire prints it, once bound. */
  readonly endpoint: string | undefined;
  stats(): Readonly<Record<string, number>>;
}

/**
 * Where a peer stands in asking the server to let it in: which `login` it sent last, how long it waits for the
 * `Accept` before the next one, and how many it will send. Read from the machine's state for the screens (`server
 * unreachable — retrying in 8 s (try 3)`), pure.
 * @module
 */
import { loginRetryDelay, reconnectRetryDelay } from './peer.options.js';
import type { PeerContext } from './peer.types.js';

/** A login that has not been answered yet: from the second try on, and every try of a reconnection. */
export interface LoginRetry {
  /** The `login`s sent so far in this round (from 2 on for a first login, whose first one can still be on its way). */
  readonly attempt: number;
  /** How long the peer waits for `Accept` before sending the next one (or giving up). */
  readonly inMs: number;
  /** How many it sends in all before giving up; absent when it never gives up. */
  readonly of?: number;
  /** True when the peer was online before and lost the server (it keeps chatting peer to peer meanwhile). */
  readonly reconnecting: boolean;
}

/** What a peer machine's snapshot needs for {@link loginRetryOf}. */
export interface RetrySnapshot {
  matches(state: 'awaitingAccept' | 'reconnecting'): boolean;
  readonly context: PeerContext;
}

/**
 * The unanswered login of `snapshot`, or undefined when it is not waiting for `Accept` (or at the first try of a first
 * login: a reconnection starts only once the server has been silent, so it says so from its first try).
 */
export const loginRetryOf = (snapshot: RetrySnapshot): LoginRetry | undefined => {
  const { loginTries, options } = snapshot.context;
  if (loginTries < 1) return undefined;
  if (snapshot.matches('reconnecting')) {
    const inMs = reconnectRetryDelay(options, loginTries);
    return Number.isFinite(options.reconnectTries)
      ? { attempt: loginTries, inMs, of: options.reconnectTries, reconnecting: true }
      : { attempt: loginTries, inMs, reconnecting: true };
  }
  if (snapshot.matches('awaitingAccept') && loginTries >= 2) {
    return { attempt: loginTries, inMs: loginRetryDelay(options, loginTries), of: options.loginTries, reconnecting: false };
  }
  return undefined;
};

/**
 * What the chat client says while its server does not answer: `server unreachable — retrying in 8 s (try 3)`, from
 * the second try of a first login and through a reconnection (the peer keeps chatting meanwhile), counting down to
 * the next try. Pure: the screen gives the time.
 * @module
 */
import type { LifecycleState } from '../../engine/types.js';
import { topState } from '../engine-api.js';

/**
 * The sentence for `state` entered at `since` (ms since the epoch), as of `now`; undefined while the server answers.
 * `of` is shown only when the tries are limited (`(try 3 of 5)`).
 */
export const outageText = (state: LifecycleState, since: number, now: number): string | undefined => {
  const retry = state.retry;
  if (retry === undefined) return undefined;
  const seconds = Math.max(0, Math.ceil((since + retry.inMs - now) / 1000));
  const when = seconds === 0 ? 'retrying now' : `retrying in ${seconds} s`;
  const tries = retry.of === undefined ? `try ${retry.attempt}` : `try ${retry.attempt} of ${retry.of}`;
  return `server unreachable — ${when} (${tries})`;
};

/** True while the peer has a list to show: online, or reconnecting with the list it had (then stale). */
export const hasList = (state: LifecycleState): boolean => {
  const top = topState(state.value);
  return top === 'online' || top === 'reconnecting';
};

/**
 * True when the peer knows who is online: it has a list now, or had one (its own name is always on it once in). Before
 * the first login an empty list says nothing: nobody is known to be offline, it is this peer that is not in yet.
 */
export const knowsList = (view: { readonly state: LifecycleState; readonly users: readonly unknown[] }): boolean =>
  hasList(view.state) || view.users.length > 0;

/** True while the list shown is the one from before the server was lost (it may have changed since). */
export const listIsStale = (state: LifecycleState): boolean => topState(state.value) === 'reconnecting';

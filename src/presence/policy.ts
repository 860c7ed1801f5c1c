/**
 * The server's presence decisions, pure: given the online list and what a datagram asked for, the changes to append to
 * the log. The reducer (./state.ts) enforces the same rules, so the server's list and every replica's agree.
 *
 * ## Duplicate names: the newer session replaces the older
 * At most one user is online per name. Following XMPP's default resource-conflict rule, a login under a name that is
 * already online under another session logs the older session out: the log records `left(old, 'replaced')` and
 * then `joined(new)`, in that order, so every replica sees the same two steps. A user who lost their connection can
 * therefore always log in again at once, without waiting for the old session to expire; the cost is that a second
 * person picking a name in use takes it over (the classic program had no authentication either, and accepted both).
 *
 * - A login with the same name, the same session and the same endpoint as the online entry is a retransmission (the
 *   peer missed our `Accept`): no change; the server only sends `Accept` again.
 * - The same session from a new endpoint (the peer's address changed) is a replacement too, so that the list carries
 *   the endpoint that works.
 * - A leave applies only to the session that is online: a late logout or expiry of a replaced session changes nothing.
 * - A classic peer has no session: its session is its endpoint string, so a classic re-login from the same endpoint is
 *   a retransmission and one from another endpoint replaces the older entry. A classic `logout` (no session) removes
 *   the name whatever the session, as the original server did.
 * @module
 */
import { findUser, type PresenceState } from './state.js';
import type { PresenceChange, User } from './types.js';

/**
 * What a login changes: `[]` (a retransmission of the online session), `[joined]` (a new name), or
 * `[left replaced, joined]` (the name was online under another session or endpoint, which the newcomer replaces).
 */
export const decideLogin = (state: PresenceState, user: User): PresenceChange[] => {
  const online = findUser(state, user.name);
  const joined: PresenceChange = { type: 'joined', user };
  if (online === undefined) return [joined];
  if (online.session === user.session && online.endpoint === user.endpoint && online.imstate === user.imstate) return [];
  return [{ type: 'left', name: online.name, session: online.session, reason: 'replaced' }, joined];
};

/**
 * What a logout changes: `[left logout]` if `name` is online and, when `session` is given, under that session;
 * otherwise `[]`. Without a session (a classic logout) the name is removed whatever its session.
 */
export const decideLogout = (state: PresenceState, name: string, session?: string): PresenceChange[] => {
  const online = findUser(state, name);
  if (online === undefined || (session !== undefined && online.session !== session)) return [];
  return [{ type: 'left', name, session: online.session, reason: 'logout' }];
};

/** What an expiry (no heartbeat in time) changes: `[left expired]` if that session is still online, otherwise `[]`. */
export const decideExpiry = (state: PresenceState, name: string, session: string): PresenceChange[] => {
  const online = findUser(state, name);
  if (online === undefined || online.session !== session) return [];
  return [{ type: 'left', name, session, reason: 'expired' }];
};

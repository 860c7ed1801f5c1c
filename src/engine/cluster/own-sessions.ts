/**
 * Which of the online sessions are this server's, when several servers share one presence log. Every server folds
 * every event (its list is the global list), but it fans out only to the peers that logged in to it, watches only
 * their heartbeats (a peer pings its own server), and so expires only them: a session is this server's when this
 * server decided its login (the joins of its own `presence.append` commands, or, at start, the sessions the log
 * already records under this server's id) and the log still records it as the name's owner. The session directory of the server machine is wrapped so that it opens only these sessions.
 * @module
 */
import { sessionDirectory } from '../../../machines/session.directory.js';
import type { PresenceChange, PresenceEvent, User } from '../../presence/types.js';

/** The sessions this server holds. */
export interface OwnSessions {
  /** Whether this server holds `session` (decided its login, and the log has not given the name to another since). */
  holds(session: string): boolean;
  /** The changes of one of this server's `presence.append` commands: its joins are this server's sessions. */
  claim(changes: readonly PresenceChange[]): void;
  /**
   * At start, before the machine reads the snapshot: the users the log records under this server's id are its own
   * (a server started again with its id, or its sessions written to the log before it started). Without this, such
   * sessions would stay online for good: their lease is renewed, yet nobody watches their heartbeats.
   */
  adopt(users: readonly User[]): void;
  /** After the machine folded `events`: forgets sessions that left or whose name another server now holds. */
  release(events: readonly PresenceEvent[]): void;
}

/** A server alone on its log holds every session (nothing is filtered). */
export const everySession: OwnSessions = { holds: () => true, claim: () => undefined, adopt: () => undefined, release: () => undefined };

/** The sessions of the server `serverId`, checked against the shared log's owners. */
export const createOwnSessions = (ownerOf: (name: string) => string | undefined, serverId: string): OwnSessions => {
  const held = new Set<string>();
  return {
    holds: (session) => held.has(session),
    claim(changes) {
      for (const change of changes) if (change.type === 'joined') held.add(change.user.session);
    },
    adopt(users) {
      for (const user of users) if (ownerOf(user.name) === serverId) held.add(user.session);
    },
    release(events) {
      for (const event of events) {
        if (event.type === 'left') held.delete(event.session);
        else if (held.has(event.user.session) && ownerOf(event.user.name) !== serverId) held.delete(event.user.session);
      }
    },
  };
};

/** The session directory's logic. */
type Directory = typeof sessionDirectory;

/**
 * The server machine's session directory (machines/session.directory.ts) holding only `own` sessions: an `open` for
 * another server's session, and the other servers' users in the snapshot the server started from, never reach it.
 * Everything else (close, heartbeat, sweep) goes through unchanged; a close or heartbeat for a session it does not
 * hold changes nothing there already.
 */
export const ownSessionDirectory = (own: OwnSessions): Directory => ({
  ...sessionDirectory,
  getInitialSnapshot: (scope, input) =>
    sessionDirectory.getInitialSnapshot(scope, { ...input, users: (input.users ?? []).filter((user) => own.holds(user.session)) }),
  transition: (snapshot, event, scope) =>
    event.type === 'open' && 'user' in event && !own.holds((event as { user: { session: string } }).user.session)
      ? snapshot
      : sessionDirectory.transition(snapshot, event, scope),
});

/**
 * The server machine's side of the presence log: decide → conditional append → apply. The machine decides from its
 * fold of the log at sequence number N and asks the engine to append the changes only if the log is still at N; the
 * log, not the machine, numbers them. Every event the log records (this server's and, on a shared log, any other
 * writer's) comes back through the log's `follow()` as `presence.events`, which the machine folds with the one
 * reducer (src/presence/state.ts `applyEvents`) and fans out: broadcasts, directory updates, replaced notices, log
 * lines. So what peers hear is driven by the log. Then `presence.appended` lets the machine answer what asked
 * (`Accept`, a logout confirmation), and `presence.conflict` makes it decide that again on the newer fold.
 *
 * ## Contract with the engine
 * - Command {@link PresenceAppendCommand} `presence.append { changes, at, cause, attempt }`: call
 *   `log.append(changes, at)`; then send {@link PresenceAppended} `presence.appended { cause, events }` on success or
 *   {@link PresenceConflict} `presence.conflict { cause, attempt, seq }` on a conflict (echoing `cause` and `attempt`).
 * - Event {@link PresenceEvents} `presence.events { events }`: every batch `log.follow(snapshot.seq)` emits, in order,
 *   starting from the snapshot the engine gave `START`.
 * This file is pure: the decisions and the fan-out as functions of the fold.
 * @module
 */
import {
  applyEvent,
  decideExpiry,
  decideLogin,
  decideLogout,
  findUser,
  presenceSeq,
  type PresenceChange,
  type PresenceEvent,
  type PresenceState,
  type User,
} from '../src/presence/index.js';
import { parseEndpoint, type Message } from '../src/protocol/index.js';
import { logLine, type DatagramEventOf, type LogCommand, type SendCommand } from './commands.js';
import type { SessionDirectoryEvent, SessionExpired } from './session.directory.js';
import { noteEvent, type TrustState } from './server.trust.js';
import { presenceForms } from './server.wire.js';

/**
 * Pending logins whose hosts proved they asked (./server.machine.ts): by a TCP list fetch from their IP (`list`: the
 * fetch to answer once they are listed) or, for an imstate peer, a `ping` carrying its secret (`ping`: the pinger).
 */
export interface LoginsProven {
  readonly type: 'login.proven';
  readonly users: readonly User[];
  /** The list fetch waiting for them (the engine's id for the connection). */
  readonly list?: number;
  /** The user whose `ping` proved it, to answer with a `pong`. */
  readonly ping?: User;
}

/**
 * What asked for a presence change: proven logins, a `logout` or an expiry. It is answered once the change is in the
 * log.
 */
export type PresenceCause = LoginsProven | DatagramEventOf<'logout'> | SessionExpired;

/** Append `changes` to the presence log if its last seq is still `at` (the fold the machine decided from). */
export interface PresenceAppendCommand {
  readonly type: 'presence.append';
  readonly changes: readonly PresenceChange[];
  /** The seq of the fold the changes were decided from: the log must still be there. */
  readonly at: number;
  /** The event that asked; the engine hands it back in {@link PresenceAppended} or {@link PresenceConflict}. */
  readonly cause: PresenceCause;
  /** 1 for the first decision, one more after each conflict (the machine gives up after {@link appendTries}). */
  readonly attempt: number;
}

/** The log recorded what `presence.append` asked, as these events (already delivered as `presence.events`). */
export interface PresenceAppended {
  readonly type: 'presence.appended';
  readonly cause: PresenceCause;
  readonly events: readonly PresenceEvent[];
}

/** The log had moved past `at` (to `seq`): every event up to `seq` was delivered first; decide `cause` again. */
export interface PresenceConflict {
  readonly type: 'presence.conflict';
  readonly cause: PresenceCause;
  readonly attempt: number;
  /** The log's last seq when it refused. */
  readonly seq: number;
}

/** Events the log recorded (from any writer), contiguous and in order: fold them and tell everyone. */
export interface PresenceEvents {
  readonly type: 'presence.events';
  readonly events: readonly PresenceEvent[];
}

/** Decisions made per cause before the machine gives up on it (each conflict means another writer got there first). */
export const appendTries = 5;

/**
 * What the cause asks of the online list at this fold (nothing: it is already so). Proven users have distinct names
 * (the machine keeps the newest login of each name).
 */
export const decide = (presence: PresenceState, cause: PresenceCause): PresenceChange[] => {
  switch (cause.type) {
    case 'login.proven':
      return cause.users.flatMap((user) => decideLogin(presence, user));
    case 'datagram.logout':
      return decideLogout(presence, cause.message.name, cause.message.session);
    case 'session.expired':
      return decideExpiry(presence, cause.name, cause.session);
  }
};

/** Send `extended` to imstate users and `classic` to the others, skipping the user named `except`. */
export interface BroadcastCommand {
  readonly type: 'broadcast';
  readonly classic: Message;
  readonly extended: Message;
  readonly except?: string;
}

/** What one event tells everyone: broadcasts, the notice to a replaced imstate peer, log lines, directory updates. */
export interface FanOut {
  readonly commands: (BroadcastCommand | SendCommand | LogCommand)[];
  readonly directory: SessionDirectoryEvent[];
}

/**
 * The fan-out of `event`, folded onto `before` (the list just before it): a broadcast (a `left` names the user's
 * old endpoint, a `joined` the new one), a log line, the directory's session update, and for an imstate user
 * replaced by a newer login of its name, the notice (or it would log in again and take the name back), naming the
 * replacing login's endpoint (`by`) when `next` is that login. A `left` for a session that is not online changes
 * nothing and tells nobody. Pure.
 */
export const fanOut = (before: PresenceState, event: PresenceEvent, into: FanOut, next?: PresenceEvent): void => {
  if (event.type === 'joined') {
    const { user } = event;
    const forms = presenceForms(event);
    if (forms !== undefined) into.commands.push({ type: 'broadcast', classic: forms.classic, extended: forms.extended, except: user.name });
    into.directory.push({ type: 'open', user });
    into.commands.push(logLine('info', 'login', `${user.name} logged in from ${user.endpoint}${user.imstate ? '' : ' (classic)'}`));
    return;
  }
  const leaver = findUser(before, event.name);
  if (leaver === undefined || leaver.session !== event.session) return;
  const forms = presenceForms(event, leaver.endpoint);
  if (forms !== undefined) into.commands.push({ type: 'broadcast', classic: forms.classic, extended: forms.extended, except: event.name });
  into.directory.push({ type: 'close', name: event.name, session: event.session, reason: event.reason });
  into.commands.push(logLine('info', event.reason, `${event.name} left (${event.reason})`));
  if (event.reason === 'replaced' && leaver.imstate && forms !== undefined) {
    const by = next?.type === 'joined' && next.user.name === event.name ? parseEndpoint(next.user.endpoint) : undefined;
    const message = by?.ok === true && forms.extended.type === 'logout' ? { ...forms.extended, by: by.value } : forms.extended;
    into.commands.push({ type: 'send', to: leaver.endpoint, message });
  }
};

/**
 * Folds the log's `events` onto the machine's `presence` (those at or below its sequence number are old news),
 * keeping the trust table in step; `out` (when given) collects each event's fan-out.
 */
export const foldEvents = (
  context: { readonly presence: PresenceState; readonly trust: TrustState },
  events: readonly PresenceEvent[],
  out?: FanOut,
): PresenceState => {
  let presence = context.presence;
  for (const [index, recorded] of events.entries()) {
    if (recorded.seq <= presenceSeq(presence)) continue;
    if (out !== undefined) fanOut(presence, recorded, out, events[index + 1]);
    noteEvent(context.trust, presence, recorded);
    presence = applyEvent(presence, recorded);
  }
  return presence;
};

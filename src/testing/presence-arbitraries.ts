/**
 * fast-check arbitraries for presence: users, the server's inputs (logins, logouts, expiries), the event logs the
 * server writes for them, raw event logs no server would write (for the reducer's invariants), and delivery schedules
 * that lose, duplicate, reorder and delay a log on its way to a replica. Re-exported by `imstate/testing`.
 *
 * Names and sessions come from small pools on purpose, so that duplicate names, replacements, retransmissions and
 * stale leaves happen in nearly every history; the pool holds names that share a hash leaf and names that are
 * `Object.prototype` keys.
 * @module
 */
import fc from 'fast-check';
import { formatEndpoint } from '../protocol/endpoint.js';
import { decideExpiry, decideLogin, decideLogout } from '../presence/policy.js';
import { applyEvents, emptyPresence, type PresenceState } from '../presence/state.js';
import type { LeaveReason, PresenceChange, PresenceEvent, User } from '../presence/types.js';
import { endpointArbitrary, nameArbitrary } from './arbitraries.js';

/**
 * The name pool: `user298`/`user1200` and `user299`/`user1201` share a leaf of the name index, `__proto__` and
 * `constructor` are keys of every plain object, 剑痴 and the emoji are outside ASCII.
 */
export const presenceNamePool: readonly string[] = Object.freeze([
  'alice',
  'bob',
  '剑痴',
  'user298',
  'user1200',
  'user299',
  'user1201',
  '__proto__',
  'constructor',
  'a👍',
]);

/** A name: mostly from {@link presenceNamePool} (so that names meet), sometimes any valid name. */
export function presenceNameArbitrary(): fc.Arbitrary<string> {
  return fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...presenceNamePool) }, { weight: 1, arbitrary: nameArbitrary({ maxLength: 8 }) });
}

/** An endpoint as the wire prints it: from a small pool (so that classic sessions meet), sometimes any. */
export function presenceEndpointArbitrary(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('127.0.0.1:5001', '127.0.0.1:5002', '[::1]:5001', '10.0.0.7:40000') },
    { weight: 1, arbitrary: endpointArbitrary().map(formatEndpoint) },
  );
}

/** A session id from a small pool, so that retransmissions and stale leaves happen. */
export function presenceSessionArbitrary(): fc.Arbitrary<string> {
  return fc.constantFrom('s1', 's2', 's3', 'b4c1f0e2-5a1d-4c8e-9f3a-2d7e6b1a0c55');
}

/** A user: an imstate peer (`session=` id) or a classic peer (session = endpoint, not imstate). */
export function presenceUserArbitrary(): fc.Arbitrary<User> {
  const imstate = fc.record({
    name: presenceNameArbitrary(),
    endpoint: presenceEndpointArbitrary(),
    session: presenceSessionArbitrary(),
    imstate: fc.constant(true),
  });
  const classic = fc
    .record({ name: presenceNameArbitrary(), endpoint: presenceEndpointArbitrary() })
    .map(({ name, endpoint }): User => ({ name, endpoint, session: endpoint, imstate: false }));
  return fc.oneof(imstate, classic);
}

/** What the server is asked: a login, a logout (classic ones carry no session), or an expiry of a session. */
export type PresenceCommand =
  | { readonly type: 'login'; readonly user: User }
  | { readonly type: 'logout'; readonly name: string; readonly session?: string }
  | { readonly type: 'expiry'; readonly name: string; readonly session: string };

/** One server input. Logins come twice as often, so that lists grow. */
export function presenceCommandArbitrary(): fc.Arbitrary<PresenceCommand> {
  const session = fc.oneof(presenceSessionArbitrary(), presenceEndpointArbitrary());
  return fc.oneof(
    { weight: 4, arbitrary: presenceUserArbitrary().map((user): PresenceCommand => ({ type: 'login', user })) },
    {
      weight: 2,
      arbitrary: fc
        .record({ name: presenceNameArbitrary(), session: fc.option(session, { nil: undefined }) })
        .map(({ name, session: s }): PresenceCommand => (s === undefined ? { type: 'logout', name } : { type: 'logout', name, session: s })),
    },
    { weight: 1, arbitrary: fc.record({ name: presenceNameArbitrary(), session }).map((c): PresenceCommand => ({ type: 'expiry', ...c })) },
  );
}

/** The changes the server's policy decides for one command. */
export function decidePresence(state: PresenceState, command: PresenceCommand): PresenceChange[] {
  if (command.type === 'login') return decideLogin(state, command.user);
  if (command.type === 'logout') return decideLogout(state, command.name, command.session);
  return decideExpiry(state, command.name, command.session);
}

/** What a server run left: the log it wrote and the list it ended with. */
export interface PresenceHistory {
  readonly commands: readonly PresenceCommand[];
  readonly events: readonly PresenceEvent[];
  readonly state: PresenceState;
}

/**
 * Runs commands through the policy and the reducer as the server does (synchronously: the same as a memory log),
 * numbering the events from 1.
 */
export function runPresenceCommands(commands: readonly PresenceCommand[]): PresenceHistory {
  let state = emptyPresence();
  const events: PresenceEvent[] = [];
  for (const command of commands) {
    // A replacement is two events, numbered in order.
    const added = decidePresence(state, command).map((change, i) => ({ ...change, seq: events.length + 1 + i }) as PresenceEvent);
    events.push(...added);
    state = applyEvents(state, added);
  }
  // The state is left out of fast-check's printout of a counterexample: the commands and events say it all.
  return Object.defineProperty({ commands, events } as unknown as PresenceHistory, 'state', { value: state, enumerable: false });
}

/** Server runs of up to `maxCommands` (default 40) commands, with the log each one wrote. */
export function presenceHistoryArbitrary(options: { maxCommands?: number } = {}): fc.Arbitrary<PresenceHistory> {
  return fc.array(presenceCommandArbitrary(), { maxLength: options.maxCommands ?? 40, size: 'medium' }).map(runPresenceCommands);
}

/**
 * Event logs no server would write, numbered from 1: joins of a name already online (without a leave first), leaves
 * of sessions never online, repeated leaves. The reducer must keep its invariants on these too.
 */
export function rawPresenceLogArbitrary(options: { maxEvents?: number } = {}): fc.Arbitrary<PresenceEvent[]> {
  const reason = fc.constantFrom<LeaveReason>('logout', 'expired', 'replaced');
  const change = fc.oneof(
    presenceUserArbitrary().map((user): PresenceChange => ({ type: 'joined', user })),
    fc
      .record({ name: presenceNameArbitrary(), session: fc.oneof(presenceSessionArbitrary(), presenceEndpointArbitrary()), reason })
      .map((left): PresenceChange => ({ type: 'left', ...left })),
  );
  return fc
    .array(change, { maxLength: options.maxEvents ?? 40, size: 'medium' })
    .map((changes) => changes.map((c, i) => ({ ...c, seq: i + 1 }) as PresenceEvent));
}

/** One thing a replica is given: an event of the log (by sequence number), or the snapshot taken after event `seq`. */
export type PresenceDelivery = { readonly kind: 'event'; readonly seq: number } | { readonly kind: 'snapshot'; readonly seq: number };

/**
 * How a log of `eventCount` events reaches a replica: each event is lost, delivered once, or delivered twice, each
 * copy late by a random delay (so copies overtake each other); the snapshot (the TCP list) is taken after any event
 * and arrives late too, or is lost; sometimes a second list fetch, taken at another moment, arrives before or after
 * the first. Returned in arrival order.
 */
export function presenceScheduleArbitrary(eventCount: number): fc.Arbitrary<PresenceDelivery[]> {
  const copies = fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 5, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constant(2) });
  const delay = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.nat({ max: 8 }) });
  const copy = fc.tuple(copies, delay, delay);
  const snapshot = fc.record({ after: fc.nat({ max: eventCount }), delay: fc.nat({ max: eventCount + 8 }) });
  return fc
    .record({
      events: fc.array(copy, { minLength: eventCount, maxLength: eventCount }),
      snapshots: fc.oneof(
        { weight: 1, arbitrary: fc.constant([]) },
        { weight: 4, arbitrary: fc.array(snapshot, { minLength: 1, maxLength: 1 }) },
        { weight: 1, arbitrary: fc.array(snapshot, { minLength: 2, maxLength: 2 }) },
      ),
    })
    .map(({ events, snapshots }) => {
      const timed: { at: number; delivery: PresenceDelivery }[] = [];
      events.forEach(([count, first, second], i) => {
        const seq = i + 1;
        if (count >= 1) timed.push({ at: seq + first, delivery: { kind: 'event', seq } });
        if (count >= 2) timed.push({ at: seq + second, delivery: { kind: 'event', seq } });
      });
      for (const { after, delay: late } of snapshots) timed.push({ at: after + late, delivery: { kind: 'snapshot', seq: after } });
      // A stable sort: ties keep send order, so an undelayed log arrives in order.
      return timed.sort((a, b) => a.at - b.at).map(({ delivery }) => delivery);
    });
}

/** A server run and a delivery schedule of its log. */
export function presenceDeliveryArbitrary(options: { maxCommands?: number } = {}): fc.Arbitrary<{
  history: PresenceHistory;
  schedule: PresenceDelivery[];
}> {
  return presenceHistoryArbitrary(options).chain((history) =>
    presenceScheduleArbitrary(history.events.length).map((schedule) => ({ history, schedule })),
  );
}

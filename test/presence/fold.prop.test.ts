/**
 * Properties of the reducer: snapshots split a fold anywhere (property 1), idempotence and the batch form (3), the name
 * invariant after every event (4), and agreement with a plain-Map model of the rules on any order of delivery.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  applyEvents,
  emptyPresence,
  findUser,
  fromSnapshot,
  listUsers,
  presenceSeq,
  presenceSize,
  toSnapshot,
  type PresenceState,
} from '../../src/presence/state.js';
import type { PresenceEvent, User } from '../../src/presence/types.js';
import {
  presenceHistoryArbitrary,
  presenceNamePool,
  rawPresenceLogArbitrary,
} from '../../src/testing/presence-arbitraries.js';
import { nameArbitrary } from '../../src/testing/arbitraries.js';
import { expectUniqueNames, propertyRuns, propertyTimeout } from './helpers.js';

const RUNS = 300;
const runs = { numRuns: propertyRuns(RUNS) };

/** Server logs (through the policy) and raw logs (anything), half and half. */
const anyLog = fc.oneof(
  presenceHistoryArbitrary().map((history) => [...history.events]),
  rawPresenceLogArbitrary(),
);

/** The rules, written the obvious way: a Map from name to user, a sequence guard, leaves only for the online session. */
const model = (events: readonly PresenceEvent[]): { seq: number; users: User[] } => {
  const users = new Map<string, User>();
  let seq = 0;
  for (const event of events) {
    if (event.seq <= seq) continue;
    seq = event.seq;
    if (event.type === 'joined') users.set(event.user.name, event.user);
    else if (users.get(event.name)?.session === event.session) users.delete(event.name);
  }
  return { seq, users: byName([...users.values()]) };
};

const byName = (users: readonly User[]): User[] => [...users].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

const fold = (events: readonly PresenceEvent[]): PresenceState => events.reduce(applyEvent, emptyPresence());

const expectSameState = (actual: PresenceState, expected: PresenceState): void => {
  expect(presenceSeq(actual)).toBe(presenceSeq(expected));
  expect(presenceSize(actual)).toBe(presenceSize(expected));
  expect(listUsers(actual)).toEqual(listUsers(expected));
};

describe('presence reducer properties', () => {
  it('1. fold(log) equals fold(snapshot at k) then fold(rest of log), for every k', () => {
    fc.assert(
      fc.property(anyLog, (events) => {
        const whole = applyEvents(emptyPresence(), events);
        for (let k = 0; k <= events.length; k++) {
          const snapshot = toSnapshot(applyEvents(emptyPresence(), events.slice(0, k)));
          expect(snapshot.seq).toBe(k);
          expectSameState(applyEvents(fromSnapshot(snapshot), events.slice(k)), whole);
        }
      }),
      runs,
    );
  }, propertyTimeout(RUNS));

  it('agrees with a plain-Map model of the rules on any delivery order, with repeats and old events', () => {
    const delivered = anyLog.chain((events) =>
      fc.tuple(fc.constant(events), fc.array(fc.nat({ max: Math.max(0, events.length - 1) }), { maxLength: events.length * 2 })),
    );
    fc.assert(
      fc.property(delivered, ([events, order]) => {
        const arrivals = events.length === 0 ? [] : order.map((i) => events[i]!);
        const expected = model(arrivals);
        const actual = fold(arrivals);
        expect(presenceSeq(actual)).toBe(expected.seq);
        expect(byName(listUsers(actual))).toEqual(expected.users);
      }),
      runs,
    );
  }, propertyTimeout(RUNS));

  it('agrees with the model over many names (shared leaves, nodes pruned and rebuilt)', () => {
    const name = fc.oneof(fc.nat({ max: 3000 }).map((n) => `user${n}`), nameArbitrary({ maxLength: 6 }));
    const event = fc.oneof(
      fc.record({ name, session: fc.constantFrom('a', 'b') }).map(({ name: n, session }) => ({ type: 'joined' as const, user: { name: n, endpoint: '127.0.0.1:1', session, imstate: true } })),
      fc.record({ name, session: fc.constantFrom('a', 'b') }).map((left) => ({ type: 'left' as const, reason: 'logout' as const, ...left })),
    );
    const log = fc.array(event, { minLength: 50, maxLength: 400 }).map((changes) => changes.map((c, i) => ({ ...c, seq: i + 1 }) as PresenceEvent));
    fc.assert(
      fc.property(log, (events) => {
        // Leave every name that joined at the end too, so that whole paths empty out.
        const joinedNames = [...new Set(events.flatMap((e) => (e.type === 'joined' ? [e.user.name] : [])))];
        const all = [
          ...events,
          ...joinedNames.flatMap((n, i) => [
            { type: 'left', seq: events.length + 2 * i + 1, name: n, session: 'a', reason: 'logout' } as PresenceEvent,
            { type: 'left', seq: events.length + 2 * i + 2, name: n, session: 'b', reason: 'logout' } as PresenceEvent,
          ]),
        ];
        const state = applyEvents(emptyPresence(), events);
        expect(byName(listUsers(state))).toEqual(model(events).users);
        expect(presenceSize(state)).toBe(model(events).users.length);
        const none = applyEvents(state, all);
        expect(listUsers(none)).toEqual([]);
        expect(presenceSize(none)).toBe(0);
      }),
      { numRuns: propertyRuns(60) },
    );
  }, propertyTimeout(60));

  it('3. idempotence: an event applied again, or any older event, changes nothing (the same state comes back)', () => {
    fc.assert(
      fc.property(anyLog, (events) => {
        let state = emptyPresence();
        for (const [i, event] of events.entries()) {
          state = applyEvent(state, event);
          expect(applyEvent(state, event)).toBe(state);
          for (const older of events.slice(0, i)) expect(applyEvent(state, older)).toBe(state);
        }
        expectSameState(applyEvents(state, events), state);
        expectSameState(applyEvents(emptyPresence(), [...events, ...events]), state);
      }),
      runs,
    );
  }, propertyTimeout(RUNS));

  it('3. the batch form is the same as one event at a time, from any starting point', () => {
    fc.assert(
      fc.property(anyLog, fc.nat(), (events, cut) => {
        const k = events.length === 0 ? 0 : cut % (events.length + 1);
        const start = fold(events.slice(0, k));
        expectSameState(applyEvents(start, events.slice(k)), events.slice(k).reduce(applyEvent, start));
      }),
      runs,
    );
  }, propertyTimeout(RUNS));

  it('3. order-independence of the list: the same users always list in the same order, whatever the history', () => {
    fc.assert(
      fc.property(anyLog, (events) => {
        const state = fold(events);
        const rebuilt = fromSnapshot({ seq: presenceSeq(state), users: [...listUsers(state)].reverse() });
        expect(listUsers(rebuilt)).toEqual(listUsers(state));
      }),
      runs,
    );
  }, propertyTimeout(RUNS));

  it('4. the name invariant holds after every event: one user per name, found by name, counted once', () => {
    fc.assert(
      fc.property(anyLog, (events) => {
        let state = emptyPresence();
        for (const event of events) {
          state = applyEvent(state, event);
          const users = listUsers(state);
          expectUniqueNames(users);
          expect(presenceSize(state)).toBe(users.length);
          for (const user of users) expect(findUser(state, user.name)).toBe(user);
          const listed = new Set(users.map((user) => user.name));
          for (const name of presenceNamePool) expect(findUser(state, name) !== undefined).toBe(listed.has(name));
          if (event.type === 'joined') expect(findUser(state, event.user.name)).toEqual(event.user);
        }
      }),
      runs,
    );
  }, propertyTimeout(RUNS));
});

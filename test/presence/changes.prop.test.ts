/**
 * `presenceChanges(before, after)` is what a handle's `presence$` reports: for any two states (a few events apart, or
 * unrelated, as after a fresh list), its leaves are exactly the users of `before` not in `after` as they were, its
 * joins the users of `after` not in `before` as they are, each in list order, and folding them into `before` gives
 * `after`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyEvents,
  fromSnapshot,
  listUsers,
  presenceChanges,
  removeUser,
  upsertUser,
  type PresenceState,
} from '../../src/presence/state.js';
import type { User } from '../../src/presence/types.js';
import { presenceHistoryArbitrary } from '../../src/testing/presence-arbitraries.js';
import { propertyRuns } from './helpers.js';

const same = (a: User, b: User): boolean =>
  a.name === b.name && a.session === b.session && a.endpoint === b.endpoint && a.imstate === b.imstate;

/** The reference: compare the two lists, user by user. */
const byLists = (before: PresenceState, after: PresenceState): { left: User[]; joined: User[] } => {
  const a = listUsers(before);
  const b = listUsers(after);
  return {
    left: a.filter((user) => !b.some((other) => same(user, other))),
    joined: b.filter((user) => !a.some((other) => same(user, other))),
  };
};

const check = (before: PresenceState, after: PresenceState): void => {
  const changes = presenceChanges(before, after);
  expect(changes).toEqual(byLists(before, after));
  let folded = changes.left.reduce((state, user) => removeUser(state, user.name), before);
  folded = changes.joined.reduce(upsertUser, folded);
  expect(listUsers(folded)).toEqual(listUsers(after));
};

describe('presenceChanges', () => {
  it('between any state of a history and any later one: the users that differ, and folding them in gives the later', () => {
    fc.assert(
      fc.property(presenceHistoryArbitrary(), fc.nat(), fc.nat(), ({ events }, i, j) => {
        const [from, to] = [i % (events.length + 1), j % (events.length + 1)].sort((x, y) => x - y) as [number, number];
        const before = applyEvents(fromSnapshot({ seq: 0, users: [] }), events.slice(0, from));
        check(before, applyEvents(before, events.slice(from, to)));
      }),
      { numRuns: propertyRuns(200) },
    );
  });

  it('between unrelated states (a fresh list built from a snapshot), either way round', () => {
    fc.assert(
      fc.property(presenceHistoryArbitrary(), presenceHistoryArbitrary(), (a, b) => {
        const fresh = fromSnapshot({ seq: 0, users: listUsers(b.state) });
        check(a.state, fresh);
        check(fresh, a.state);
        // The same users built twice: nothing to report, though no node is shared.
        expect(presenceChanges(a.state, fromSnapshot({ seq: 0, users: listUsers(a.state) }))).toEqual({ left: [], joined: [] });
      }),
      { numRuns: propertyRuns(200) },
    );
  });

  it('a new session of a name online is that user leaving and the new one joining', () => {
    const alice: User = { name: 'alice', endpoint: '127.0.0.1:5001', session: 'a1', imstate: true };
    const bob: User = { name: 'bob', endpoint: '127.0.0.1:5002', session: 'b1', imstate: true };
    const again: User = { ...alice, session: 'a2', endpoint: '127.0.0.1:6001' };
    const before = fromSnapshot({ seq: 0, users: [alice, bob] });
    expect(presenceChanges(before, upsertUser(before, again))).toEqual({ left: [alice], joined: [again] });
    expect(presenceChanges(before, before)).toEqual({ left: [], joined: [] });
  });
});

/**
 * Property 5: snapshot → classic list string → parse gives the same list. Classic users come back exactly; imstate
 * users come back exactly with the list extension, and with their names and endpoints without it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classicListToSnapshot, snapshotToClassicList, snapshotToListExtension } from '../../src/presence/classic.js';
import { fromSnapshot, listUsers, toSnapshot } from '../../src/presence/state.js';
import type { Snapshot, User } from '../../src/presence/types.js';
import { presenceHistoryArbitrary } from '../../src/testing/presence-arbitraries.js';
import { propertyRuns, propertyTimeout } from './helpers.js';

const RUNS = 500;
const runs = { numRuns: propertyRuns(RUNS) };

const classicOnly = (user: User): User => ({ ...user, session: user.endpoint, imstate: false });

/** The classic list text of a snapshot, which the codec can always write for users that came through it. */
const listText = (snapshot: Snapshot): string => {
  const text = snapshotToClassicList(snapshot);
  if (!text.ok) expect.fail(`${text.error.code}: ${text.error.reason}`);
  return text.value;
};

const readBack = (text: string, options?: Parameters<typeof classicListToSnapshot>[1]): Snapshot => {
  const read = classicListToSnapshot(text, options);
  if (!read.ok) expect.fail(`${read.error.code}: ${read.error.reason} in ${JSON.stringify(text)}`);
  return read.value;
};

describe('classic list properties', () => {
  it('5. a snapshot of classic users comes back from the classic list text exactly (at sequence number 0)', () => {
    fc.assert(
      fc.property(presenceHistoryArbitrary(), (history) => {
        const snapshot = toSnapshot(fromSnapshot({ seq: 0, users: listUsers(history.state).map(classicOnly) }));
        expect(readBack(listText(snapshot))).toEqual(snapshot);
      }),
      runs,
    );
  }, propertyTimeout(RUNS));

  it('5. any server snapshot comes back whole with the list extension, and as names and endpoints without it', () => {
    fc.assert(
      fc.property(presenceHistoryArbitrary(), (history) => {
        const snapshot = toSnapshot(history.state);
        const text = listText(snapshot);
        expect(readBack(text, { extension: snapshotToListExtension(snapshot) })).toEqual(snapshot);
        const bare = readBack(text);
        expect(bare.seq).toBe(0);
        expect(bare.users).toEqual(snapshot.users.map(classicOnly));
      }),
      runs,
    );
  }, propertyTimeout(RUNS));
});

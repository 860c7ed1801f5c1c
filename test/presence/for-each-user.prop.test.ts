/**
 * `forEachUser` is `listUsers` without the copy (the server's broadcast walks the list with it): for any history it
 * visits exactly the listed users, in the same order, once each.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachUser, listUsers } from '../../src/presence/state.js';
import type { User } from '../../src/presence/types.js';
import { presenceHistoryArbitrary } from '../../src/testing/presence-arbitraries.js';
import { propertyRuns } from './helpers.js';

describe('forEachUser', () => {
  it('visits the users listUsers lists, in its order', () => {
    fc.assert(
      fc.property(presenceHistoryArbitrary(), ({ state }) => {
        const visited: User[] = [];
        forEachUser(state, (user) => visited.push(user));
        expect(visited).toEqual(listUsers(state));
      }),
      { numRuns: propertyRuns(200) },
    );
  });
});

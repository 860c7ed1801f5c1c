/**
 * Helpers shared by the presence tests: run counts for the properties, and list comparisons that say what differs.
 * @module
 */
import { expect } from 'vitest';
import type { User } from '../../src/presence/types.js';

/**
 * Runs per property: `IMSTATE_FUZZ_RUNS` when set (for a long soak), else `ci` (sized so the whole folder stays well
 * under a minute on two cores).
 */
export const propertyRuns = (ci: number): number => {
  const asked = Number(process.env['IMSTATE_FUZZ_RUNS']);
  return Number.isSafeInteger(asked) && asked > 0 ? asked : ci;
};

/** A test timeout that grows with the asked run count, so a long soak is not cut short. */
export const propertyTimeout = (ci: number): number => Math.max(30_000, (propertyRuns(ci) / ci) * 30_000);

/** Names online, in list order: the shortest way to see how two lists differ. */
export const namesOf = (users: readonly User[]): string[] => users.map((user) => user.name);

/** Asserts the name invariant: at most one user per name. */
export const expectUniqueNames = (users: readonly User[]): void => {
  const names = namesOf(users);
  expect(new Set(names).size, `duplicate names in ${JSON.stringify(names)}`).toBe(names.length);
};

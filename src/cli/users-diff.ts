/**
 * What changed between two online lists. The engine publishes the whole list after every change; JSON mode
 * reports `user-joined` / `user-left`, so it compares consecutive lists.
 * @module
 */
import type { User } from '../presence/types.js';

/** The users that appeared and disappeared between two lists. */
export interface UsersDiff {
  readonly joined: readonly User[];
  readonly left: readonly User[];
}

// A name that logged in again (a new session) both left and joined: the endpoint may have changed.
const key = (user: User): string => `${user.name}\u0000${user.session}`;

/** Compares two online lists by name and session; order within each list follows the lists. */
export const diffUsers = (before: readonly User[], after: readonly User[]): UsersDiff => {
  const beforeKeys = new Set(before.map(key));
  const afterKeys = new Set(after.map(key));
  return {
    left: before.filter((user) => !afterKeys.has(key(user))),
    joined: after.filter((user) => !beforeKeys.has(key(user))),
  };
};

/**
 * A handle's `presence$` and `users$` from the online lists its machine holds. The machine is the one place that
 * folds presence (the server's context, the peer's replica); the feed is told each new list, turns the step from the
 * last one into joins and leaves (`presenceChanges`, which skips what the two lists share), and `users$` is those
 * changes folded back into a list, seeded by the list of the moment a subscriber arrives.
 * @module
 */
import { defer, map, mergeMap, scan, startWith, Subject, type Observable } from 'rxjs';
import { emptyPresence, listUsers, presenceChanges, removeUser, upsertUser, type PresenceState } from '../presence/index.js';
import type { User } from '../presence/types.js';
import type { PresenceUpdate } from './types.js';

/** The streams of one handle, and the two calls its engine makes. */
export interface PresenceFeed {
  readonly presence$: Observable<PresenceUpdate>;
  readonly users$: Observable<readonly User[]>;
  /** The machine's list now; a list identical to the last one told costs nothing and says nothing. */
  next(state: PresenceState): void;
  /** Completes both streams (the handle has stopped). */
  complete(): void;
}

/** Folds one decision's changes into a list: leaves first (by name), then joins, as `presenceChanges` gives them. */
const fold = (state: PresenceState, updates: readonly PresenceUpdate[]): PresenceState =>
  updates.reduce((next, update) => (update.type === 'joined' ? upsertUser(next, update.user) : removeUser(next, update.user.name)), state);

/** A feed that starts from the empty list. */
export const createPresenceFeed = (): PresenceFeed => {
  let current = emptyPresence();
  // One array per decision, so that users$ lists once per decision; presence$ spreads it into single updates.
  const decisions$ = new Subject<readonly PresenceUpdate[]>();
  return {
    presence$: decisions$.pipe(mergeMap((updates) => updates)),
    users$: defer(() => {
      const seed = current;
      return decisions$.pipe(
        scan(fold, seed),
        map(listUsers),
        startWith(listUsers(seed)),
      );
    }),
    next(state) {
      if (state === current) return;
      const { left, joined } = presenceChanges(current, state);
      current = state;
      if (left.length === 0 && joined.length === 0) return;
      decisions$.next([
        ...left.map((user): PresenceUpdate => ({ type: 'left', user })),
        ...joined.map((user): PresenceUpdate => ({ type: 'joined', user })),
      ]);
    },
    complete: () => decisions$.complete(),
  };
};

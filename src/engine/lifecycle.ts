/**
 * Machine snapshots as the handles' plain {@link LifecycleState}: a dotted state value and, for `failed`, the reason.
 * @module
 */
import { distinctUntilChanged, map, Observable } from 'rxjs';
import type { AnyActorRef, AnyMachineSnapshot, SnapshotFrom, StateValue } from 'xstate';
import type { LifecycleState, LoginRetry } from './types.js';

/** `{ online: { presence: 'live' } }` → `online.presence.live` (parallel regions joined with `+`). */
export const stateText = (value: StateValue): string => {
  if (typeof value === 'string') return value;
  return Object.entries(value)
    .map(([key, child]) => (child === undefined ? key : `${key}.${stateText(child as StateValue)}`))
    .join('+');
};

/** An actor's snapshots as an Observable: the current one at once, then each new one; completes when the actor ends. */
export const snapshotsOf = <A extends AnyActorRef>(actor: A): Observable<SnapshotFrom<A>> =>
  new Observable<SnapshotFrom<A>>((subscriber) => {
    subscriber.next(actor.getSnapshot() as SnapshotFrom<A>);
    const subscription = actor.subscribe({
      next: (snapshot) => subscriber.next(snapshot as SnapshotFrom<A>),
      error: (error) => subscriber.error(error),
      complete: () => subscriber.complete(),
    });
    return () => subscription.unsubscribe();
  });

const sameRetry = (a: LoginRetry | undefined, b: LoginRetry | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && a.attempt === b.attempt && a.inMs === b.inMs && a.of === b.of);

/**
 * An actor's snapshots as distinct {@link LifecycleState}s, the reason read from `context.reason`; `retry` (given for
 * a peer) reads the unanswered login from a snapshot, so each new try is a new state.
 */
export const lifecycleOf = <S extends AnyMachineSnapshot>(
  actor: AnyActorRef,
  retry?: (snapshot: S) => LoginRetry | undefined,
): Observable<LifecycleState> =>
  (snapshotsOf(actor) as Observable<S & { context?: { reason?: string } }>).pipe(
    map((snapshot): LifecycleState => {
      const value = stateText(snapshot.value);
      const reason = snapshot.context?.reason;
      const base = reason === undefined || !snapshot.matches('failed') ? { value } : { value, reason };
      const pending = retry?.(snapshot);
      return pending === undefined ? base : { ...base, retry: pending };
    }),
    distinctUntilChanged((a, b) => a.value === b.value && a.reason === b.reason && sameRetry(a.retry, b.retry)),
  );

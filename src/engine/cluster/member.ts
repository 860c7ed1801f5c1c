/**
 * A server's part in a cluster beyond the log itself: it says in its own log what the store says (lost, back, put
 * back), and it expires the sessions of servers that died. A killed server stops renewing its lease; every
 * `leaseMs / 2` each other server asks the store for orphans (sessions whose owner's lease lapsed) and hands each to
 * its machine as `session.expired`, which decides and appends the leave like any expiry (one server wins the append,
 * the others find it gone when they decide again). So a dead server's users leave every list within
 * {@link orphanBound} of its last renewal.
 *
 * After this server could not reach the store, it waits until the others have had time to renew their leases (their
 * connections retry with backoff too) before it takes any lapsed lease for a dead server.
 * @module
 */
import type { Subscription } from 'rxjs';
import type { User } from '../../presence/types.js';
import type { EngineClock } from '../options.js';
import type { LogEntry } from '../types.js';
import type { SharedPresenceLog } from './shared-log.js';

/** The lease a server holds unless told otherwise, in ms. */
export const DEFAULT_LEASE_MS = 10_000;

/** How long the store's clients wait between reconnection attempts at most (see ../redis/link.ts), in ms. */
const RECONNECT_MS = 2_000;

/** How often the orphans are looked for: twice per lease. */
export const orphanSweepMs = (leaseMs: number): number => Math.max(10, Math.floor(leaseMs / 2));

/** The longest a killed server's users stay in the others' lists: its lease, one sweep, and the append. */
export const orphanBound = (leaseMs: number): number => leaseMs + orphanSweepMs(leaseMs);

/** What a member needs from the server. */
export interface MemberOptions {
  readonly store: SharedPresenceLog;
  /** Hands an orphaned session to the server machine (as `session.expired`). */
  readonly expire: (user: User) => void;
  readonly log: (line: LogEntry) => void;
  readonly clock?: EngineClock;
}

/** A running member; `close()` stops its sweeps and its log lines. */
export interface ClusterMember {
  close(): void;
}

const realClock: EngineClock = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>) };

/** Starts the member's sweeps and notices (the store is open). */
export const joinCluster = ({ store, expire, log, clock = realClock }: MemberOptions): ClusterMember => {
  const sweepMs = orphanSweepMs(store.leaseMs);
  // Sweeps that must succeed in a row after a failed one before an orphan is acted on.
  const settle = Math.ceil((store.leaseMs + RECONNECT_MS) / sweepMs);
  let quietSweeps = settle;
  let closed = false;
  let timer: unknown;
  const notices: Subscription = store.notices$.subscribe(({ level, kind, text }) => log({ at: Date.now(), level, kind, text }));

  const sweep = async (): Promise<void> => {
    try {
      const orphans = await store.orphans();
      if (closed) return;
      if (quietSweeps < settle) quietSweeps++;
      else {
        for (const { owner, user } of orphans) {
          log({ at: Date.now(), level: 'info', kind: 'store', text: `${user.name}'s server ${owner} stopped renewing its lease: expiring the session` });
          expire(user);
        }
      }
    } catch {
      quietSweeps = 0;
    }
    if (!closed) timer = clock.setTimeout(() => void sweep(), sweepMs);
  };
  timer = clock.setTimeout(() => void sweep(), sweepMs);

  return {
    close() {
      closed = true;
      clock.clearTimeout(timer);
      notices.unsubscribe();
    },
  };
};

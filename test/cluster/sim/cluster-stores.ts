/**
 * Where a cluster world's servers keep their shared log: the in-memory model (src/engine/cluster/memory-cluster.ts)
 * on simulated time, or a real redis-server. Either way each server gets its own handle by server id, and a killed
 * server's lease lapses: in the model `leaseMs` after the kill (a lease renewed continuously lapses at most that long
 * after the last renewal), in Redis when the stopped server's log gives it up.
 * @module
 */
import fc from 'fast-check';
import { Observable } from 'rxjs';
import type { EngineClock } from '../../../src/engine/options.js';
import { createMemoryCluster, type MemoryCluster } from '../../../src/engine/cluster/memory-cluster.js';
import type { SharedPresenceLog } from '../../../src/engine/cluster/shared-log.js';
import { createRedisLog } from '../../../src/engine/redis/redis-log.js';
import type { StoreAddress } from '../../../src/engine/redis/store-url.js';
import type { WorldTime } from '../../engine/sim/world-time.js';

/** The shared log of a cluster world. */
export interface ClusterStore {
  /** How long a lease lasts without renewal, in ms. */
  readonly leaseMs: number;
  /** A handle on the log for the server `serverId` (opened and closed by that server). */
  log(serverId: string): SharedPresenceLog;
  /** The server `serverId` is being killed (call before stopping it): its lease stops being renewed. */
  kill(serverId: string): void;
}

/**
 * How far the model's store is from each server, in simulated ms: an append reaches it `sendMs` after the server
 * asked and is answered `answerMs` after that; every server sees an event `followMs` after it was recorded (the
 * tail's XREAD). `followMs` is below `answerMs` (or both are 0), so that an append's events reach its server before
 * its answer does, as the shared log's contract says. All 0: the model as it is, every append settled at once.
 */
export interface StoreLatency {
  readonly sendMs: number;
  readonly answerMs: number;
  readonly followMs: number;
}

/** Store latencies up to 20 ms each way, none a third of the time. */
export const latencyArbitrary: fc.Arbitrary<StoreLatency> = fc.oneof(
  fc.constant({ sendMs: 0, answerMs: 0, followMs: 0 }),
  fc
    .tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 20 }))
    .chain(([sendMs, answerMs]) => fc.record({ sendMs: fc.constant(sendMs), answerMs: fc.constant(answerMs), followMs: fc.integer({ min: 0, max: answerMs - 1 }) })),
);

/** `log`'s follow, each batch delivered `ms` later on `clock` (at once when 0), in order. */
const followLater = (log: SharedPresenceLog, clock: EngineClock, ms: number): SharedPresenceLog['follow'] =>
  ms === 0
    ? (after) => log.follow(after)
    : (after) =>
        new Observable((subscriber) => {
          const timers = new Set<unknown>();
          const inner = log.follow(after).subscribe({
            next: (batch) => {
              const id: unknown = clock.setTimeout(() => {
                timers.delete(id);
                subscriber.next(batch);
              }, ms);
              timers.add(id);
            },
            error: (error: unknown) => subscriber.error(error),
          });
          return () => {
            inner.unsubscribe();
            for (const id of timers) clock.clearTimeout(id);
          };
        });

/**
 * The in-memory model on simulated time, `latency` away from every server. A killed server's handle keeps its lease
 * when the server stops (a killed process gives nothing up); the lease lapses `leaseMs` later on `time`'s clock.
 */
export const memoryStore = (
  time: WorldTime,
  leaseMs: number,
  latency: StoreLatency = { sendMs: 0, answerMs: 0, followMs: 0 },
): ClusterStore & { readonly cluster: MemoryCluster } => {
  const cluster = createMemoryCluster({ leaseMs });
  const killed = new Set<string>();
  const clock = time.clock;
  if (clock === undefined) throw new Error('the in-memory cluster runs on simulated time');
  const later = <T>(ms: number, run: () => Promise<T>): Promise<T> =>
    ms === 0 && latency.answerMs === 0 ? run() : new Promise((resolve, reject) => clock.setTimeout(() => void run().then(resolve, reject), ms));
  return {
    cluster,
    leaseMs,
    log(serverId) {
      const handle = cluster.log(serverId);
      // Everything as the model's handle (its getters read its own state), except that appends and events take the
      // latency, and a killed server's close keeps the lease for the clock to lapse.
      return Object.create(handle, {
        append: {
          value: (changes: Parameters<SharedPresenceLog['append']>[0], at: number) =>
            later(latency.sendMs, () => handle.append(changes, at)).then((result) => later(latency.answerMs, async () => result)),
        },
        follow: { value: followLater(handle, clock, latency.followMs) },
        close: { value: async () => (killed.has(serverId) ? undefined : handle.close()) },
      }) as SharedPresenceLog;
    },
    kill(serverId) {
      killed.add(serverId);
      clock.setTimeout(() => cluster.crash(serverId), leaseMs);
    },
  };
};

/**
 * A real Redis at `address`, under `prefix` (one per run, so runs never see each other's keys). A stopped server's
 * log gives its lease up at once, so here a killed server's users become orphans at once; a lease that lapses by
 * itself is what the process test (SIGKILL) covers.
 */
export const redisStore = (address: StoreAddress, prefix: string, leaseMs: number): ClusterStore => ({
  leaseMs,
  log: (serverId) => createRedisLog({ address, prefix, serverId, leaseMs, blockMs: 50 }),
  kill: () => undefined,
});

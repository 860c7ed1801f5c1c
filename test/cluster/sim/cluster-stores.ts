/**
 * Where a cluster world's servers keep their shared log: the in-memory model (src/engine/cluster/memory-cluster.ts)
 * on simulated time, or a real redis-server. Either way each server gets its own handle by server id, and a killed
 * server's lease lapses: in the model `leaseMs` after the kill (a lease renewed continuously lapses at most that long
 * after the last renewal), in Redis when the stopped server's log gives it up.
 * @module
 */
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
 * The in-memory model on simulated time. A killed server's handle keeps its lease when the server stops (a killed
 * process gives nothing up); the lease lapses `leaseMs` later on `time`'s clock.
 */
export const memoryStore = (time: WorldTime, leaseMs: number): ClusterStore & { readonly cluster: MemoryCluster } => {
  const cluster = createMemoryCluster({ leaseMs });
  const killed = new Set<string>();
  const clock = time.clock;
  if (clock === undefined) throw new Error('the in-memory cluster runs on simulated time');
  return {
    cluster,
    leaseMs,
    log(serverId) {
      const handle = cluster.log(serverId);
      // Everything as the model's handle (its getters read its own state), except that a killed server's close keeps
      // the lease for the clock to lapse.
      return Object.create(handle, {
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

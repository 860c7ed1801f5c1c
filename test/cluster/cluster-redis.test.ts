/**
 * The cluster property's schedule shape (sim/cluster-schedule.ts) against a real redis-server, in real time: the same
 * world (sim/cluster-world.ts: real servers and peers on the memory network, fault-free here) with each server on its
 * own Redis log under a prefix of the run's, a few fixed schedules of logins, logouts, crashed peers and servers
 * killed and restarted with a new id. Each kill waits (bounded) for the killed server's users to leave every live
 * server's list; at the end the test waits (bounded) until the cluster has converged as the property says
 * (sim/cluster-converged.ts), then stops everything and checks that no socket (UDP, TCP, Redis connection) is left.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { settledSockets } from '../engine/support/harness.js';
import { realQuiesce, realTime } from '../engine/sim/world-time.js';
import { clusterDisagreements } from './sim/cluster-converged.js';
import type { ClusterAction } from './sim/cluster-schedule.js';
import { redisStore } from './sim/cluster-stores.js';
import { createClusterWorld, type ClusterWorld } from './sim/cluster-world.js';
import { startRedis, type TestRedis } from './support/redis-server.js';

let redis: TestRedis;
let runs = 0;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

/** A short lease, so that a kill costs about 1.5 s; a killed server's log gives its lease up anyway (see cluster-stores). */
const LEASE_MS = 1_000;
/** Short heartbeats too: a crashed peer expires after four of them. */
const SERVER_TIMINGS = { heartbeatMs: 200, missedHeartbeats: 3 } as const;
/** How long the test waits for the cluster to converge once the schedule is done. */
const CONVERGE_MS = 20_000;

const login = (peer: number): ClusterAction => ({ kind: 'login', peer, gapMs: 0 });
const logout = (peer: number): ClusterAction => ({ kind: 'logout', peer, gapMs: 0 });
const crash = (peer: number): ClusterAction => ({ kind: 'crash', peer, gapMs: 0 });
const kill = (server: number): ClusterAction => ({ kind: 'serverCrash', server, gapMs: 0 });
const restart = (server: number): ClusterAction => ({ kind: 'serverRestart', server, gapMs: 0 });
/**
 * A schedule in phases: the actions of one phase follow each other at once (no gaps in real time), and the cluster
 * converges before the next phase starts, so that a kill finds its server holding the users logged in before it.
 */
interface Phased {
  readonly servers: number;
  readonly peers: number;
  readonly phases: readonly (readonly ClusterAction[])[];
}

const converged = async (world: ClusterWorld, when: string): Promise<void> => {
  const problems = await realQuiesce(CONVERGE_MS, () => clusterDisagreements(world));
  if (problems.length > 0) throw new Error(`not converged ${when} within ${CONVERGE_MS} ms:\n- ${problems.join('\n- ')}\n\nlast log lines:\n${world.trace()}`);
};

const run = async (planned: Phased): Promise<void> => {
  const before = await settledSockets();
  const prefix = `clusterprop${++runs}:`;
  const time = realTime();
  const world = createClusterWorld({ ...planned, seed: 1, faults: {}, time, serverTimings: SERVER_TIMINGS, store: () => redisStore(redis.address, prefix, LEASE_MS) });
  const warnings: string[] = [];
  const warn = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args.map(String).join(' ')));
  const actions = planned.phases.flat();
  try {
    await world.start();
    for (const [i, phase] of planned.phases.entries()) {
      for (const action of phase) await world.apply(action);
      await converged(world, `after phase ${i + 1}`);
    }
  } finally {
    await world.close();
    warn.mockRestore();
  }
  expect(world.tally.serverCrashes, 'servers killed').toBe(actions.filter((action) => action.kind === 'serverCrash').length);
  if (world.tally.serverCrashes > 0) expect(world.tally.orphaned, 'sessions the killed servers held').toBeGreaterThan(0);
  expect(warnings, 'console warnings').toEqual([]);
  expect(await settledSockets(), 'sockets left open').toBe(before);
};

describe('the cluster schedules against a real Redis', () => {
  it('three servers: peers spread over them, one killed (its users leave every list), its peers log in elsewhere', async () => {
    await run({
      servers: 3,
      peers: 6,
      phases: [[login(0), login(1), login(2), login(3), login(4), login(5)], [kill(1), logout(0), crash(3)], [login(1), login(4), login(0)]],
    });
  });

  it('two servers: one killed and restarted with a new id, its stranded peers come back to it', async () => {
    await run({
      servers: 2,
      peers: 4,
      phases: [[login(0), login(1), login(2), login(3)], [kill(0)], [restart(0), logout(3), login(3)]],
    });
  });

  it('two servers: churn across a kill and a restart (logins beside logouts, a crashed peer, logins again)', async () => {
    await run({
      servers: 2,
      peers: 5,
      phases: [
        // A name logs in again only in a later phase: a login datagram still being decided when its own peer has
        // already stopped would replace the newer session (a limit the README states; the property waits it out too).
        [login(0), login(1), login(2), logout(1), crash(2), login(3)],
        [login(1), login(2), kill(1), login(4), restart(1), logout(0)],
      ],
    });
  });
});

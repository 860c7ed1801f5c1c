/**
 * Convergence of several index servers sharing one presence log: the real engines for 2–3 servers (each on its own
 * handle of the in-memory model of the shared log, src/engine/cluster/memory-cluster.ts) and 3–8 peers spread over
 * them, on the in-memory network, all on one simulated clock. fast-check generates the schedule (logins to the peer's
 * server, logouts, crashed peers, servers killed and restarted with a new id on the same ports, any gaps) and the
 * network's faults while it runs (up to 30% loss, duplication and reordering, delays). A killed server's users must
 * leave every live server's list within the orphan bound (lease + one sweep) of the kill. Then the faults are lifted
 * and time runs; after that the cluster has converged (sim/cluster-converged.ts: every live server lists exactly who
 * the schedule left online, each name once, the same everywhere; every such peer is online, held by its own server,
 * and lists the same), it stays so a few heartbeats later, stopping everyone leaves no timer on the clock, and
 * nothing warned on the console.
 *
 * As in the single-server property, a name logs in again only once the datagrams of its previous session can no
 * longer be in flight. No real time passes. A failure prints fast-check's seed and path;
 * `IMSTATE_FUZZ_SEED=<seed> IMSTATE_FUZZ_PATH=<path>` replays it exactly, `IMSTATE_FUZZ_RUNS=<n>` runs more.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { appendTries } from '../../machines/server.presence.js';
import { SERVER_TIMINGS } from '../engine/sim/world.js';
import { simulatedTime } from '../engine/sim/world-time.js';
import { clusterDisagreements } from './sim/cluster-converged.js';
import { clusterScenarioArbitrary, type ClusterScenario } from './sim/cluster-schedule.js';
import { memoryStore } from './sim/cluster-stores.js';
import { createClusterWorld, type ClusterWorld } from './sim/cluster-world.js';

const CI_RUNS = 120;
const asked = Number(process.env['IMSTATE_FUZZ_RUNS']);
const runs = Number.isSafeInteger(asked) && asked > 0 ? asked : CI_RUNS;
/**
 * The default run is one fixed set of schedules, so the path counts below are facts, not luck: with a random seed,
 * about one run in five of 120 schedules had no peer logging in again after `unknown`, and the check failed.
 * `IMSTATE_FUZZ_SEED` (or more runs) explores others.
 */
const DEFAULT_SEED = 20_261_203;
const seed = Number(process.env['IMSTATE_FUZZ_SEED'] ?? DEFAULT_SEED);
const path = process.env['IMSTATE_FUZZ_PATH'];
const replay = { ...(Number.isSafeInteger(seed) ? { seed } : {}), ...(path ? { path } : {}) };

/** The servers' lease: a killed server's users are orphans 2 s after the kill, expired within one sweep (1 s) more. */
const LEASE_MS = 2_000;
/**
 * Simulated time after the faults are lifted: the single-server property's 20 s (login backoff, expiry, resync) covers
 * a restarted server's stranded peers too (their orphaned session expires within 3 s, then `unknown` and a login).
 */
const QUIESCE_MS = 20_000;
/** Then a few more heartbeats: agreement must last. */
const STABLE_MS = 5 * SERVER_TIMINGS.heartbeatMs;

const expectConverged = (world: ClusterWorld, when: string): void => {
  const problems = clusterDisagreements(world);
  if (problems.length > 0) throw new Error(`not converged ${when}:\n- ${problems.join('\n- ')}\n\nlast log lines:\n${world.trace()}`);
};

/** Schedules the property once failed on, run first every time. */
const regressions: Array<[ClusterScenario]> = [
  [{ servers: 2, peers: 5, seed: 1, faults: {}, latency: { sendMs: 20, answerMs: 20, followMs: 10 }, actions: [
    { kind: 'login', peer: 0, gapMs: 0 }, { kind: 'login', peer: 1, gapMs: 0 }, { kind: 'login', peer: 2, gapMs: 0 }, { kind: 'logout', peer: 1, gapMs: 0 },
    { kind: 'login', peer: 1, gapMs: 0 }, { kind: 'crash', peer: 2, gapMs: 0 }, { kind: 'login', peer: 2, gapMs: 0 }, { kind: 'login', peer: 3, gapMs: 0 }] }],
];

/** How many runs took each hard path, so that a generator that stops reaching them shows. */
const seen = { serverCrashes: 0, serverRestarts: 0, lost: 0, expired: 0, replaced: 0, rejoined: 0, serverSilent: 0, resyncs: 0 };

const runScenario = async (scenario: ClusterScenario): Promise<void> => {
  const time = simulatedTime();
  const { sendMs, answerMs, followMs } = scenario.latency;
  const world = createClusterWorld({
    ...scenario,
    time,
    store: (on) => memoryStore(on, LEASE_MS, scenario.latency),
    // The expiry's append: every try a round trip, then the other servers' follow.
    storeSlackMs: appendTries * (sendMs + answerMs) + followMs,
  });
  const warnings: string[] = [];
  const warn = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args.map(String).join(' ')));
  let failure: unknown;
  try {
    await world.start();
    for (const action of scenario.actions) await world.apply(action);
    world.liftFaults();
    await time.pass(QUIESCE_MS);
    expectConverged(world, `${QUIESCE_MS} ms after the faults were lifted`);
    await time.pass(STABLE_MS);
    expectConverged(world, `${QUIESCE_MS + STABLE_MS} ms after the faults were lifted`);
  } catch (error) {
    failure = error;
  }
  try {
    await world.close();
    if (failure === undefined) expect(time.clock.pending, 'timers left on the clock after every stop()').toBe(0);
    if (failure === undefined) expect(warnings, 'console warnings').toEqual([]);
  } catch (error) {
    failure ??= error;
  } finally {
    warn.mockRestore();
  }
  if (failure !== undefined) throw failure;
  seen.lost += world.network.stats.lost > 0 ? 1 : 0;
  for (const key of ['serverCrashes', 'serverRestarts', 'expired', 'replaced', 'rejoined', 'serverSilent', 'resyncs'] as const) {
    seen[key] += world.tally[key] > 0 ? 1 : 0;
  }
};

describe(`cluster convergence on the in-memory network (${runs} schedules; IMSTATE_FUZZ_RUNS sets it)`, () => {
  it(
    'after any schedule of logins, logouts, crashed peers and killed or restarted servers under faults, every list agrees',
    async () => {
      await fc.assert(fc.asyncProperty(clusterScenarioArbitrary(), runScenario), {
        numRuns: runs,
        ...replay,
        // Always: fast-check counts the examples in a path, so a replay needs them too.
        examples: regressions,
      });
      if (runs !== CI_RUNS || process.env['IMSTATE_FUZZ_SHOW'] !== undefined) console.log(`runs that took each path: ${JSON.stringify(seen)}`);
      if (path === undefined && runs >= CI_RUNS) {
        expect(seen.serverCrashes, 'runs with a server killed').toBeGreaterThan(0);
        expect(seen.serverRestarts, 'runs with a server restarted').toBeGreaterThan(0);
        expect(seen.lost, 'runs with datagrams lost').toBeGreaterThan(0);
        expect(seen.expired, 'runs where a session expired').toBeGreaterThan(0);
        expect(seen.rejoined, 'runs where a peer logged in again after `unknown`').toBeGreaterThan(0);
      }
    },
    Math.max(60_000, runs * 3_000),
  );
});

/**
 * What the cluster convergence property generates: 2–3 index servers sharing one presence log, 3–8 peers (peer `i`
 * logs in to server `i mod servers`, or to the next live one while that one is down), the network's faults while the
 * schedule runs, and the schedule: the single-server schedule's logins, logouts and crashed peers, plus servers
 * crashing (killed: no goodbye, the lease lapses) and coming back with a new server id on the same ports.
 * @module
 */
import fc from 'fast-check';
import type { Faults } from '../../../src/transport/index.js';
import { latencyArbitrary, type StoreLatency } from './cluster-stores.js';
import { faultsArbitrary, MAX_GAP_MS, PEER_NAMES, type Action } from '../../engine/sim/schedule.js';

/** What a peer does: the single-server schedule's peer actions. */
export type PeerAction = Extract<Action, { kind: 'login' | 'logout' | 'crash' }>;

/** One step of a cluster schedule. `gapMs` is the time that passes before it. */
export type ClusterAction =
  | PeerAction
  /** Server `server` is killed, unless it is down already or the last one up: its peers are stranded. */
  | { readonly kind: 'serverCrash'; readonly server: number; readonly gapMs: number }
  /** Server `server`, if down, starts again on its ports with a new server id: its stranded peers come back to it. */
  | { readonly kind: 'serverRestart'; readonly server: number; readonly gapMs: number };

/** One generated run. */
export interface ClusterScenario {
  /** How many servers (2–3). */
  readonly servers: number;
  /** How many peers (3–8); peer `i` logs in as `PEER_NAMES[i]`. */
  readonly peers: number;
  /** Seeds the memory network's faults and TCP chunking. */
  readonly seed: number;
  /** In force while the schedule runs; lifted before the lists are compared. */
  readonly faults: Faults;
  /** How far the shared log is from the servers (the model's stand-in for Redis round trips). */
  readonly latency: StoreLatency;
  readonly actions: readonly ClusterAction[];
}

/** The most servers in one run. */
export const MAX_SERVERS = 3;

/** Mostly short gaps (actions racing each other's datagrams), sometimes long ones (heartbeats, leases, sweeps). */
const gap = fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: MAX_GAP_MS }));

const actionArbitrary = (servers: number, peers: number): fc.Arbitrary<ClusterAction> => {
  const peer = fc.integer({ min: 0, max: peers - 1 });
  const server = fc.integer({ min: 0, max: servers - 1 });
  return fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('login' as const), peer, gapMs: gap }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('logout' as const), peer, gapMs: gap }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('crash' as const), peer, gapMs: gap }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('serverCrash' as const), server, gapMs: gap }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('serverRestart' as const), server, gapMs: gap }) },
  );
};

/** A {@link ClusterScenario}: 2–3 servers, 3–8 peers, any faults up to 30%, up to `maxActions` actions. */
export const clusterScenarioArbitrary = (maxActions = 24): fc.Arbitrary<ClusterScenario> =>
  fc
    .tuple(fc.integer({ min: 2, max: MAX_SERVERS }), fc.integer({ min: 3, max: PEER_NAMES.length }))
    .chain(([servers, peers]) =>
      fc.record({
        servers: fc.constant(servers),
        peers: fc.constant(peers),
        seed: fc.integer({ min: 1, max: 0x7fffffff }),
        faults: faultsArbitrary,
        latency: latencyArbitrary,
        actions: fc.array(actionArbitrary(servers, peers), { minLength: 1, maxLength: maxActions }),
      }),
    );

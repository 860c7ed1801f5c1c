/**
 * What the convergence property generates: a number of peers, the network's faults while the schedule runs, and the
 * schedule itself (peers log in, log out and crash; the server restarts), each action after a gap of simulated time.
 * @module
 */
import fc from 'fast-check';
import type { Faults } from '../../../src/transport/index.js';

/** Names the peers log in with: ASCII and CJK, so a run also carries UTF-16LE names through every path. */
export const PEER_NAMES = ['alice', 'bob', '剑痴', 'carol', '小明', 'dave', 'erin', '用户'] as const;

/** One step of a schedule. `gapMs` is the simulated time that passes before it. */
export type Action =
  | { readonly kind: 'login'; readonly peer: number; readonly gapMs: number }
  | { readonly kind: 'logout'; readonly peer: number; readonly gapMs: number }
  /** The peer's process dies: its socket vanishes (the network's `crash`), nothing more is sent from it. */
  | { readonly kind: 'crash'; readonly peer: number; readonly gapMs: number }
  /**
   * The server stops, stays down `downtimeMs`, and a new one starts on the same ports: on the old presence log when
   * `keepLog` (it knows who was online), else on a fresh one (everyone must log in again).
   */
  | { readonly kind: 'restart'; readonly downtimeMs: number; readonly keepLog: boolean; readonly gapMs: number };

/** One generated run. */
export interface Scenario {
  /** How many peers (2–8); peer `i` logs in as `PEER_NAMES[i]`. */
  readonly peers: number;
  /** Seeds the memory network's faults and TCP chunking. */
  readonly seed: number;
  /** In force while the schedule runs; lifted (`setFaults({})`) before the lists are compared. */
  readonly faults: Faults;
  readonly actions: readonly Action[];
}

/** The most simulated time between two actions. */
export const MAX_GAP_MS = 2_000;
/** The longest single server downtime. */
export const MAX_DOWNTIME_MS = 3_000;
/**
 * The most downtime one schedule may add up (later restarts come straight back): back-to-back restarts make one long
 * outage, and the test's peers are configured to outlast this much (sim/world.ts, PEER_TIMINGS).
 */
export const MAX_TOTAL_DOWNTIME_MS = 8_000;

/** Caps the schedule's total downtime at {@link MAX_TOTAL_DOWNTIME_MS}, in order. */
const capDowntime = (actions: readonly Action[]): Action[] => {
  let left = MAX_TOTAL_DOWNTIME_MS;
  return actions.map((action) => {
    if (action.kind !== 'restart') return action;
    const downtimeMs = Math.min(action.downtimeMs, left);
    left -= downtimeMs;
    return { ...action, downtimeMs };
  });
};

/** A probability up to 30%, zero a quarter of the time so that clean and lossy runs both come up. */
const rate = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  // Whole percents: fc.double leans to extremes such as 5e-324, which is a lossless run in disguise.
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 30 }).map((percent) => percent / 100) },
);

/** Loss, duplication and reordering up to 30% each, one-way delays up to 50 ms. */
export const faultsArbitrary: fc.Arbitrary<Faults> = fc.record({
  loss: rate,
  duplicate: rate,
  reorder: rate,
  delayMs: fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 })),
});

/** Mostly short gaps (actions racing each other's datagrams), sometimes long ones (heartbeats and expiries in between). */
const gap = fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: MAX_GAP_MS }));

const actionArbitrary = (peers: number): fc.Arbitrary<Action> => {
  const peer = fc.integer({ min: 0, max: peers - 1 });
  return fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('login' as const), peer, gapMs: gap }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('logout' as const), peer, gapMs: gap }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('crash' as const), peer, gapMs: gap }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('restart' as const),
        downtimeMs: fc.integer({ min: 0, max: MAX_DOWNTIME_MS }),
        keepLog: fc.boolean(),
        gapMs: gap,
      }),
    },
  );
};

/** A {@link Scenario}: 2–8 peers, any faults up to 30%, up to `maxActions` actions. */
export const scenarioArbitrary = (maxActions = 24): fc.Arbitrary<Scenario> =>
  fc.integer({ min: 2, max: PEER_NAMES.length }).chain((peers) =>
    fc.record({
      peers: fc.constant(peers),
      seed: fc.integer({ min: 1, max: 0x7fffffff }),
      faults: faultsArbitrary,
      actions: fc.array(actionArbitrary(peers), { minLength: 1, maxLength: maxActions }).map(capDowntime),
    }),
  );

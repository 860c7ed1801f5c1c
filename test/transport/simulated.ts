/**
 * Driving the in-memory network on XState's SimulatedClock: time moves only when a test says so.
 * @module
 */
import { SimulatedClock } from 'xstate';
import { createMemoryNetwork, type Faults, type MemoryNetwork } from '../../src/transport/memory-network.js';

/** A memory network on a fresh simulated clock. */
export const simulatedNetwork = (
  seed: number,
  faults: Faults = {},
): { network: MemoryNetwork; clock: SimulatedClock } => {
  const clock = new SimulatedClock();
  return { network: createMemoryNetwork({ seed, faults, clock }), clock };
};

/** Advances the clock from one due time to the next until nothing is in flight; returns how many steps it took. */
export const settle = (network: MemoryNetwork, clock: SimulatedClock, maxSteps = 1_000_000): number => {
  let steps = 0;
  for (let due = network.nextDueAt; due !== undefined && steps < maxSteps; due = network.nextDueAt, steps++)
    clock.set(Math.max(clock.now(), due));
  return steps;
};

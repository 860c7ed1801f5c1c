/**
 * A small seeded PRNG (mulberry32), so that the in-memory network's faults are reproducible from a seed.
 * `Math.random` is never used: the same seed and the same sends give the same deliveries.
 * @module
 */

/** A source of uniform numbers in [0, 1), plus the two draws the network needs. */
export interface Random {
  /** A uniform number in [0, 1). */
  next(): number;
  /** True with probability `p` (0 never, 1 always; no draw is consumed for 0 or 1, so a fault-free run is cheap). */
  chance(p: number): boolean;
  /** A uniform integer in [min, max] (both included). */
  intBetween(min: number, max: number): number;
}

/** Creates a {@link Random} from a 32-bit seed (other numbers are truncated to 32 bits). */
export const createRandom = (seed: number): Random => {
  let state = seed >>> 0;
  const next = (): number => {
    // mulberry32: tiny, fast, passes the statistical tests that matter for fault injection.
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    chance: (p) => (p <= 0 ? false : p >= 1 ? true : next() < p),
    intBetween: (min, max) => (max <= min ? min : min + Math.floor(next() * (max - min + 1))),
  };
};

/**
 * How time passes in a world: simulated (one {@link SteppedClock} drives the engines and the memory network, and a
 * step is taken only when asked) or real (the engines' own timers, for the suite that runs schedules against a real
 * redis-server). A world asks its time to let a gap pass, to run a start or stop to completion, and to check a bound
 * ("within `ms` this holds"), and never sleeps by itself.
 * @module
 */
import type { EngineClock } from '../../../src/engine/options.js';
import { SteppedClock } from './stepped-clock.js';

/** The time a world runs on. */
export interface WorldTime {
  /** The engines' clock (and the memory network's); undefined: real timers. */
  readonly clock: (EngineClock & { now(): number }) | undefined;
  /** Now, in the clock's ms. */
  now(): number;
  /** Lets `ms` pass. Real time lets none pass by itself: it refuses any `ms` above 0 (give such schedules no gaps). */
  pass(ms: number): Promise<void>;
  /** Runs a start or a stop to its end: at once in simulated time (it fails if it needed time), bounded in real time. */
  settle<T>(what: string, promise: Promise<T>): Promise<T>;
  /**
   * A bound the world promises: `check()` (what is wrong, empty when nothing) holds `ms` from now. Simulated time looks
   * at that moment and records what was wrong in `broken` without waiting; real time waits for it (at most `ms`).
   */
  within(ms: number, what: string, check: () => string[], broken: string[]): Promise<void>;
}

/** Simulated time on `clock`. */
export const simulatedTime = (clock: SteppedClock = new SteppedClock()): WorldTime & { readonly clock: SteppedClock } => ({
  clock,
  now: () => clock.now(),
  pass: async (ms) => {
    await clock.advance(ms);
  },
  async settle(what, promise) {
    let settled = false;
    const watched = promise.finally(() => (settled = true));
    await clock.advance(0);
    if (!settled) throw new Error(`${what} did not settle without simulated time passing`);
    return watched;
  },
  async within(ms, what, check, broken) {
    clock.setTimeout(() => {
      const wrong = check();
      if (wrong.length > 0) broken.push(`${what} ${ms} ms later: ${wrong.join('; ')}`);
    }, ms);
  },
});

/** Polls `check` every 10 ms until it holds or `ms` have passed; the last problems, or empty. */
const pollFor = async (ms: number, check: () => string[]): Promise<string[]> => {
  const until = Date.now() + ms;
  for (;;) {
    const wrong = check();
    if (wrong.length === 0 || Date.now() >= until) return wrong;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** Real time: the engines' timers; `settle` and `within` wait at most `waitMs` and `ms` (plus `slackMs` on a busy machine). */
export const realTime = ({ waitMs = 10_000, slackMs = 5_000 } = {}): WorldTime => ({
  clock: undefined,
  now: () => Date.now(),
  pass: async (ms) => {
    if (ms > 0) throw new Error(`a world on real time lets no time pass by itself (asked for ${ms} ms): give its schedules no gaps`);
  },
  async settle(what, promise) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not settle within ${waitMs} ms`)), waitMs);
    });
    try {
      return await Promise.race([promise, late]);
    } finally {
      clearTimeout(timer);
    }
  },
  async within(ms, what, check, broken) {
    const wrong = await pollFor(ms + slackMs, check);
    if (wrong.length > 0) broken.push(`${what} ${ms} ms later (and ${slackMs} ms of slack): ${wrong.join('; ')}`);
  },
});

/** Waits (real time) until `check()` has nothing wrong, at most `ms`; returns what was still wrong, or empty. */
export const realQuiesce = pollFor;

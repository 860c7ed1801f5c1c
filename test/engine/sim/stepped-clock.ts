/**
 * XState's `SimulatedClock`, stepped from one due timer to the next, with the async work in between drained. The
 * engine's actors, the machines' delays and the memory network's deliveries all wait on this one clock, and its
 * promises (bind, list fetch, start, stop) settle on the microtask queue: so a step is "fire what is due now, then let
 * every promise that firing resolved run", and time never moves while something could still happen at the present.
 * @module
 */
import { SimulatedClock } from 'xstate';

/** Lets every pending promise chain run: one macrotask turn runs the whole microtask queue (no timed wait). */
export const drain = async (): Promise<void> => {
  for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

/**
 * A `SimulatedClock` that knows when its next timer is due. (`increment(n)` alone fires a repeating delay once per
 * call, however many periods `n` spans: stepping to each due time keeps every period.)
 */
export class SteppedClock extends SimulatedClock {
  private readonly due = new Map<number, number>();

  override setTimeout(fn: (...args: any[]) => void, timeout: number): number {
    const id: number = super.setTimeout(() => {
      this.due.delete(id);
      fn();
    }, timeout);
    this.due.set(id, this.now() + Math.max(0, timeout));
    return id;
  }

  override clearTimeout(id: number): void {
    this.due.delete(id);
    super.clearTimeout(id);
  }

  /** Timers set and not yet fired or cleared. */
  get pending(): number {
    return this.due.size;
  }

  /** When the earliest timer is due, or undefined when none is set. */
  get nextDueAt(): number | undefined {
    let next: number | undefined;
    for (const at of this.due.values()) if (next === undefined || at < next) next = at;
    return next;
  }

  /**
   * Moves time forward by `ms`, stopping at every due timer on the way and draining the async work each firing
   * started. Throws if more than `maxSteps` timers fire (a zero-delay loop), so a runaway cannot hang the test.
   */
  async advance(ms: number, maxSteps = 200_000): Promise<number> {
    const until = this.now() + ms;
    let steps = 0;
    await drain();
    for (let at = this.nextDueAt; at !== undefined && at <= until; at = this.nextDueAt) {
      if (++steps > maxSteps) throw new Error(`more than ${maxSteps} timer steps in ${ms} ms of simulated time`);
      this.set(Math.max(this.now(), at));
      await drain();
    }
    if (until > this.now()) this.set(until);
    await drain();
    return steps;
  }
}

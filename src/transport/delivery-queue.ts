/**
 * The in-memory network's one timeline: everything in flight (datagrams, TCP chunks, connection set-up) waits here
 * for its due time, and one clock timer wakes the queue for the earliest item. Items due at the same time run in the
 * order they were scheduled, so a fault-free network is FIFO and any run is reproducible.
 * @module
 */

/** The timers the network runs on: real ones by default, or XState's `SimulatedClock` in tests. */
export interface Clock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  /** Current time in ms. Without it the queue keeps its own time, advanced as its timers fire. */
  now?(): number;
}

/** Real timers, with `performance.now()` as the time. */
export const realClock: Clock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
  now: () => performance.now(),
};

interface Item {
  readonly dueAt: number;
  readonly seq: number;
  readonly run: () => void;
}

/** Items run per wake-up before yielding to the event loop, so that a zero-delay ping-pong cannot freeze it. */
const BATCH = 100_000;

const before = (a: Item, b: Item): boolean => a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.seq < b.seq);

/** A min-heap of due items on a {@link Clock}, woken by a single timer. */
export class DeliveryQueue {
  private readonly heap: Item[] = [];
  private seq = 0;
  private virtualNow = 0;
  private timer: unknown = undefined;
  private armedFor = Number.POSITIVE_INFINITY;

  constructor(private readonly clock: Clock) {}

  /** The network's current time. */
  now(): number {
    return this.clock.now ? this.clock.now() : this.virtualNow;
  }

  /** How many items are in flight. */
  get pending(): number {
    return this.heap.length;
  }

  /** The due time of the next item, or undefined when nothing is in flight. */
  get nextDueAt(): number | undefined {
    return this.heap[0]?.dueAt;
  }

  /** Runs `run` once the time reaches `dueAt`. */
  schedule(dueAt: number, run: () => void): void {
    this.push({ dueAt, seq: this.seq++, run });
    this.arm();
  }

  /** Runs every item due by now (and those they schedule for now); returns how many ran. */
  flush(): number {
    return this.runUntil(this.now(), Number.POSITIVE_INFINITY);
  }

  /** Cancels the wake-up timer and forgets everything in flight. */
  clear(): void {
    this.heap.length = 0;
    this.disarm();
  }

  private runUntil(time: number, limit: number): number {
    let ran = 0;
    while (ran < limit) {
      const top = this.heap[0];
      if (top === undefined || top.dueAt > time) break;
      this.pop();
      ran++;
      top.run();
    }
    return ran;
  }

  private arm(): void {
    const top = this.heap[0];
    if (top === undefined || top.dueAt >= this.armedFor) return;
    this.disarm();
    const at = top.dueAt;
    this.armedFor = at;
    this.timer = this.clock.setTimeout(() => this.wake(at), Math.max(0, at - this.now()));
  }

  private disarm(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
  }

  private wake(armedFor: number): void {
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
    // Real timers may fire a hair early by performance.now(); the time we armed for has come all the same.
    const time = Math.max(this.now(), armedFor);
    if (!this.clock.now) this.virtualNow = time;
    this.runUntil(time, BATCH);
    this.arm();
  }

  private push(item: Item): void {
    const heap = this.heap;
    let i = heap.push(item) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as Item;
      if (!before(item, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = item;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right] as Item, heap[left] as Item) ? right : left;
      if (!before(heap[child] as Item, last)) break;
      heap[i] = heap[child] as Item;
      i = child;
    }
    heap[i] = last;
  }
}

/**
 * The in-memory network's timeline: items run in (due time, scheduling order), on any clock, and a zero-delay
 * storm cannot freeze the event loop.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { DeliveryQueue, type Clock } from '../../src/transport/delivery-queue.js';

describe('DeliveryQueue', () => {
  it('runs items by due time, ties in scheduling order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 300 }), (dues) => {
        const clock = new SimulatedClock();
        const queue = new DeliveryQueue(clock);
        const ran: number[] = [];
        dues.forEach((due, i) => queue.schedule(due, () => ran.push(i)));
        expect(queue.pending).toBe(dues.length);
        clock.set(50);
        const expected = dues.map((due, i) => ({ due, i })).sort((a, b) => a.due - b.due || a.i - b.i);
        expect(ran).toEqual(expected.map((e) => e.i));
        expect(queue.pending).toBe(0);
      }),
    );
  });

  it('runs nothing before its time', () => {
    const clock = new SimulatedClock();
    const queue = new DeliveryQueue(clock);
    const ran: string[] = [];
    queue.schedule(10, () => ran.push('b'));
    queue.schedule(5, () => ran.push('a'));
    expect(queue.nextDueAt).toBe(5);
    clock.set(4);
    expect(ran).toEqual([]);
    clock.set(7);
    expect(ran).toEqual(['a']);
    expect(queue.flush()).toBe(0);
    clock.set(10);
    expect(ran).toEqual(['a', 'b']);
  });

  it('keeps its own time on a clock without now()', () => {
    const timers: Array<{ fn: () => void; ms: number }> = [];
    const bare: Clock = {
      setTimeout: (fn, ms) => timers.push({ fn, ms }),
      clearTimeout: () => undefined,
    };
    const queue = new DeliveryQueue(bare);
    const ran: number[] = [];
    queue.schedule(queue.now() + 30, () => ran.push(queue.now()));
    expect(timers.at(-1)?.ms).toBe(30);
    timers.at(-1)?.fn();
    expect(ran).toEqual([30]);
    expect(queue.now()).toBe(30);
  });

  it('yields to the event loop during an endless zero-delay ping-pong', () => {
    const clock = new SimulatedClock();
    const queue = new DeliveryQueue(clock);
    let bounces = 0;
    const bounce = (): void => {
      bounces++;
      if (bounces < 250_000) queue.schedule(clock.now(), bounce);
    };
    queue.schedule(0, bounce);
    // One wake-up runs one batch (100 000 items), then re-arms a zero-delay timer instead of looping on.
    clock.set(0);
    expect(bounces).toBe(100_000);
    expect(queue.pending).toBe(1);
    clock.increment(0);
    clock.increment(0);
    expect(bounces).toBe(250_000);
    expect(queue.pending).toBe(0);
  });
});

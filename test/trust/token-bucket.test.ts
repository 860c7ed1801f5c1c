import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTokenBuckets, tokensAt } from '../../src/trust/index.js';

describe('token buckets', () => {
  it('lets a source spend its burst at once, then one token per 1/perSecond, and refills to the burst only', () => {
    const buckets = createTokenBuckets({ burst: 3, perSecond: 2, maxSources: 10 });
    expect([1, 2, 3, 4].map(() => buckets.take('127.0.0.2', 0))).toEqual([true, true, true, false]);
    expect(buckets.has('127.0.0.2', 499)).toBe(false);
    expect(buckets.take('127.0.0.2', 500)).toBe(true);
    expect(buckets.take('127.0.0.2', 500)).toBe(false);
    // A long silence earns no more than the burst.
    expect([1, 2, 3, 4].map(() => buckets.take('127.0.0.2', 60_000))).toEqual([true, true, true, false]);
  });

  it('keeps sources apart: a flood from one leaves every other bucket full', () => {
    const buckets = createTokenBuckets({ burst: 2, perSecond: 1, maxSources: 10 });
    for (let i = 0; i < 1_000; i++) buckets.take('127.0.0.9', 0);
    expect(buckets.take('127.0.0.1', 0)).toBe(true);
    expect(buckets.take('127.0.0.1', 0)).toBe(true);
    expect(buckets.take('127.0.0.9', 0)).toBe(false);
  });

  it('has() changes nothing', () => {
    const buckets = createTokenBuckets({ burst: 1, perSecond: 1, maxSources: 10 });
    for (let i = 0; i < 5; i++) expect(buckets.has('a', 0)).toBe(true);
    expect(buckets.take('a', 0)).toBe(true);
    expect(buckets.has('a', 0)).toBe(false);
  });

  it('remembers at most maxSources, forgetting the least recently seen', () => {
    const buckets = createTokenBuckets({ burst: 1, perSecond: 0, maxSources: 3 });
    for (const source of ['a', 'b', 'c']) buckets.take(source, 0);
    buckets.take('a', 0); // refused, but a is still the oldest entry: refusals do not refresh
    buckets.take('d', 0);
    expect(buckets.size).toBe(3);
    expect(buckets.has('a', 0)).toBe(true); // forgotten: full again
    expect(buckets.has('b', 0)).toBe(false);
  });

  it('never holds more than the burst nor fewer than zero tokens, and spends only what it has (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.array(fc.integer({ min: 0, max: 2_000 }), { maxLength: 200 }),
        (burst, perSecond, steps) => {
          const buckets = createTokenBuckets({ burst, perSecond, maxSources: 4 });
          let now = 0;
          let spent = 0;
          for (const step of steps) {
            now += step;
            if (buckets.take('x', now)) spent++;
          }
          // Spent at most the burst plus what the elapsed time earned.
          expect(spent).toBeLessThanOrEqual(burst + Math.floor((now * perSecond) / 1000) + 1);
          const tokens = tokensAt({ tokens: 0, at: 0 }, now, { burst, perSecond });
          expect(tokens).toBeGreaterThanOrEqual(0);
          expect(tokens).toBeLessThanOrEqual(burst);
        },
      ),
    );
  });
});

/**
 * The summarizer is total and bounded: whatever a context holds (functions, actor refs, cycles, BigInts, revoked
 * proxies, throwing getters, huge collections), the result is plain JSON of bounded size, and it never throws.
 */
import fc from 'fast-check';
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { createActor, createMachine } from 'xstate';
import { contextLimits, formatStateValue, payloadLimits, summarize, type SummaryLimits } from '../../src/inspect/summary.js';
import { propertyRuns } from './helpers.js';

const roundTrips = (value: unknown): void => expect(JSON.parse(JSON.stringify(value))).toEqual(value);

describe('summarize', () => {
  it('keeps plain data as it is', () => {
    const data = { name: 'alice', endpoint: '127.0.0.1:5001', online: true, n: 3, list: [1, 'two', null], nested: { a: { b: 1 } } };
    expect(summarize(data)).toEqual(data);
  });

  it('drops functions and undefined from objects as JSON does, without counting them as more', () => {
    expect(summarize({ keep: 1, fn: () => 1, gone: undefined, sym: Symbol('s') })).toEqual({ keep: 1 });
    expect(summarize([() => 1, undefined, 2])).toEqual([null, null, 2]);
  });

  it('shows numbers JSON cannot carry, BigInts, dates and errors as text', () => {
    expect(summarize({ nan: NaN, inf: -Infinity, big: 12n, date: new Date(0), bad: new Date(NaN) })).toEqual({
      nan: 'NaN',
      inf: '-Infinity',
      big: '12n',
      date: '1970-01-01T00:00:00.000Z',
      bad: 'Invalid Date',
    });
    expect(summarize(new RangeError('too far'))).toEqual({ name: 'RangeError', message: 'too far' });
  });

  it('keeps a `__proto__` key from the network as a key, never as a prototype', () => {
    const out = summarize(JSON.parse('{"__proto__": {"polluted": true}, "a": 1}'));
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out as object)).toEqual(['__proto__', 'a']);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"polluted":true},"a":1}');
  });

  it('marks a cycle but still shows a value shared by two branches', () => {
    const shared = { x: 1 };
    const cyclic: Record<string, unknown> = { shared, again: shared };
    cyclic['self'] = cyclic;
    expect(summarize(cyclic)).toEqual({ shared: { x: 1 }, again: { x: 1 }, self: '[cycle]' });
  });

  it('names an actor ref instead of walking into the actor system', () => {
    const actor = createActor(createMachine({ id: 'child' }), { id: 'talk-7' });
    expect(summarize({ talk: actor, byRef: new Map([[actor, 'pending']]) })).toEqual({
      talk: '[actor talk-7]',
      byRef: { '[actor talk-7]': 'pending' },
    });
  });

  it('reads Maps, Sets, typed arrays and immer-frozen structures', () => {
    const presence = produce({ users: [] as Array<{ name: string }> }, (draft) => {
      draft.users.push({ name: 'alice' });
    });
    expect(Object.isFrozen(presence.users)).toBe(true);
    const byName = new Map([['alice', { name: 'alice' }]]);
    expect(summarize({ presence, byName, names: new Set(['a', 'b']), bytes: Buffer.from('hi') })).toEqual({
      presence: { users: [{ name: 'alice' }] },
      byName: { alice: { name: 'alice' } },
      names: ['a', 'b'],
      bytes: '[Buffer 2 bytes]',
    });
  });

  it('survives a throwing getter, a revoked proxy and a hostile proxy', () => {
    const getter = Object.defineProperty({ ok: 1 }, 'boom', {
      enumerable: true,
      get() {
        throw new Error('no');
      },
    });
    const { proxy, revoke } = Proxy.revocable({ a: 1 }, {});
    revoke();
    const hostile = new Proxy({}, { ownKeys: () => { throw new Error('trap'); } });
    expect(summarize({ getter, proxy, hostile })).toEqual({
      getter: { ok: 1, boom: '[throws]' },
      proxy: '[unreadable]',
      hostile: '[unreadable]',
    });
  });

  it('cuts long strings, long lists, wide objects and deep nesting, saying how much is left out', () => {
    const limits: SummaryLimits = { maxDepth: 2, maxNodes: 1000, maxString: 5, maxEntries: 3 };
    expect(summarize('abcdefgh', limits)).toBe('abcde…');
    expect(summarize([1, 2, 3, 4, 5], limits)).toEqual([1, 2, 3, '… +2 more']);
    expect(summarize({ a: 1, b: 2, c: 3, d: 4 }, limits)).toEqual({ a: 1, b: 2, c: 3, '…': '+1 more' });
    expect(summarize({ a: { b: { c: 1 } } }, limits)).toEqual({ a: { b: '[…]' } });
  });

  it('stops at the node budget however large the value', () => {
    const huge = Array.from({ length: 100_000 }, (_, i) => ({ i, tags: ['x', 'y'] }));
    const text = JSON.stringify(summarize(huge, payloadLimits));
    expect(text.length).toBeLessThan(2_000);
    const wide = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]));
    expect(Object.keys(summarize(wide, contextLimits) as object)).toHaveLength(contextLimits.maxEntries + 1);
  });

  it('is total and bounded on anything, cycles included', () => {
    const limits: SummaryLimits = { maxDepth: 4, maxNodes: 60, maxString: 30, maxEntries: 8 };
    // Worst case: every node a string cut to maxString, each under a key cut to maxString.
    const bound = limits.maxNodes * (2 * limits.maxString + 16) + 64;
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true }), fc.boolean(), (value, cycle) => {
        if (cycle && value !== null && typeof value === 'object') (value as Record<string, unknown>)['loop'] = value;
        const out = summarize(value, limits);
        roundTrips(out);
        expect(JSON.stringify(out).length).toBeLessThanOrEqual(bound);
      }),
      { numRuns: propertyRuns(500) },
    );
  });
});

describe('formatStateValue', () => {
  it('writes atomic, nested and parallel state values on one line', () => {
    expect(formatStateValue('online')).toBe('online');
    expect(formatStateValue({ connection: 'open' })).toBe('connection.open');
    expect(formatStateValue({ a: 'x', b: { c: 'y' } })).toBe('a.x, b.c.y');
    expect(formatStateValue({ outer: { a: 'x', b: 'y' } })).toBe('outer.(a.x, b.y)');
  });

  it('is total on values that are not state values', () => {
    expect(formatStateValue(undefined)).toBe('');
    expect(formatStateValue(() => 1)).toBe('');
    expect(formatStateValue(42)).toBe('42');
    const deep: Record<string, unknown> = {};
    deep['me'] = deep;
    expect(formatStateValue(deep)).toContain('…');
  });
});

/**
 * The batch datagram: a round trip for any batch, the packer's bounds (no datagram over the size asked for unless
 * one event alone is, consecutive sequence numbers only, nothing lost or reordered), the size per event that makes
 * batching pay, and the refusals of a reader that must survive anything.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchLine, decodeBatch, formatBatchEntry, isBatchDatagram, packBatches, type BatchLine } from '../../src/protocol/batch.js';
import { decodeDatagram, encodeDatagram, type BatchEntry, type BatchMessage } from '../../src/protocol/index.js';
import { batchEntryArbitrary, messageArbitraries } from '../../src/testing/arbitraries.js';
import { expectFailure, valueOf } from './helpers.js';

const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');

/** Lines for `entries` numbered from `first`, as the server keeps them until a round packs them. */
const linesOf = (first: number, entries: readonly BatchEntry[]): BatchLine[] =>
  entries.map((entry, i) => batchLine(first + i, entry)!);

describe('the batch datagram', () => {
  it('decodeDatagram(encodeDatagram(batch)) = batch, and it is told apart from UTF-16LE by its first bytes', () => {
    fc.assert(
      fc.property(messageArbitraries.batch, (batch) => {
        const bytes = valueOf(encodeDatagram(batch));
        expect(isBatchDatagram(bytes)).toBe(true);
        expect(valueOf(decodeDatagram(bytes))).toEqual(batch);
      }),
      { numRuns: 500 },
    );
    // No UTF-16LE message starts with `batch,`: every type word is ASCII, so its second byte is 0.
    expect(isBatchDatagram(valueOf(encodeDatagram({ type: 'pong', seq: 3 })))).toBe(false);
  });

  it('packs any events into datagrams of at most the size asked for, in order, none lost, one range each', () => {
    const holes = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(fc.array(batchEntryArbitrary(), { minLength: 1, maxLength: 60 }), holes, fc.integer({ min: 40, max: 1500 }), (entries, steps, maxBytes) => {
        // Sequence numbers mostly consecutive, with a hole now and then (a step of 2 or 3).
        let seq = 0;
        const lines = entries.map((entry, i) => batchLine((seq += steps[i % steps.length]!), entry)!);
        const datagrams = packBatches(lines, maxBytes);
        const decoded = datagrams.map((bytes) => valueOf(decodeBatch(bytes)));
        const seqs = decoded.flatMap((batch) => batch.entries.map((_, i) => batch.first + i));
        expect(seqs).toEqual(lines.map((line) => line.seq));
        expect(decoded.flatMap((batch) => batch.entries)).toEqual(entries);
        datagrams.forEach((bytes, i) => {
          if (bytes.length > maxBytes) expect(decoded[i]!.entries.length, 'only a lone event may be over the size').toBe(1);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('carries 20 or more typical logins in 1,232 bytes (under 50 bytes an event)', () => {
    const entries: BatchEntry[] = Array.from({ length: 200 }, (_, i) => ({
      type: 'login',
      name: `user${100_000 + i}`,
      endpoint: { family: 'IPv4', address: '127.0.0.1', port: 40_000 + i },
      session: `Zp0rT1yQ${String(i).padStart(4, '0')}`,
      imstate: true,
    }));
    const datagrams = packBatches(linesOf(100_001, entries), 1232);
    const perDatagram = entries.length / datagrams.length;
    expect(perDatagram).toBeGreaterThanOrEqual(20);
    expect(Math.max(...datagrams.map((bytes) => bytes.length))).toBeLessThanOrEqual(1232);
  });

  it('writes a classic user without its session (its endpoint), and reads it back', () => {
    const classic: BatchEntry = { type: 'login', name: 'bob', endpoint: { family: 'IPv4', address: '127.0.0.1', port: 5 }, session: '127.0.0.1:5', imstate: false };
    expect(valueOf(formatBatchEntry(classic))).toBe('+c,bob,127.0.0.1:5,');
    const batch: BatchMessage = { type: 'batch', first: 9, entries: [classic] };
    expect(valueOf(decodeDatagram(valueOf(encodeDatagram(batch))))).toEqual(batch);
  });

  it('refuses what it cannot write', () => {
    const entry: BatchEntry = { type: 'logout', name: 'a,b', session: 's', reason: 'logout' };
    expectFailure(encodeDatagram({ type: 'batch', first: 1, entries: [entry] }), 'bad-name');
    expectFailure(encodeDatagram({ type: 'batch', first: 1, entries: [] }), 'bad-field');
    expectFailure(encodeDatagram({ type: 'batch', first: 0, entries: [{ ...entry, name: 'a' }] }), 'bad-field');
    expect(batchLine(1, entry)).toBeUndefined();
  });

  it.each([
    ['batch,1', 'field-count'],
    ['batch,x,2\n-l,a,s\n-l,b,s', 'bad-field'],
    ['batch,3,2', 'bad-field'],
    ['batch,0,0\n-l,a,s', 'bad-field'],
    ['batch,1,2\n-l,a,s', 'field-count'],
    ['batch,1,1\n-l,a,s\n-l,b,s', 'field-count'],
    ['batch,1,1\n*l,a,s', 'bad-field'],
    ['batch,1,1\n-x,a,s', 'bad-field'],
    ['batch,1,1\n+x,a,127.0.0.1:5,s', 'bad-field'],
    ['batch,1,1\n+i,a,127.0.0.1:5', 'field-count'],
    ['batch,1,1\n+i,a,127.0.0.1:0,s', 'bad-port'],
    ['batch,1,1\n+i,a,localhost:5,s', 'bad-endpoint'],
    ['batch,1,1\n+i,a;b,127.0.0.1:5,s', 'bad-name'],
    ['batch,1,1\n+i,a,127.0.0.1:5,', 'bad-field'],
  ] as const)('refuses %j with %s', (text, code) => {
    const reason = expectFailure(decodeDatagram(utf8(text)), code);
    expect(reason.length).toBeGreaterThan(10);
  });

  it('refuses bytes that are not UTF-8, and a batch over the datagram limit', () => {
    expectFailure(decodeDatagram(Uint8Array.from([...utf8('batch,1,1\n-l,'), 0xff, 0xfe])), 'invalid-utf8');
    expectFailure(decodeDatagram(utf8(`batch,1,1\n-l,a,${'s'.repeat(200)}`), { maxDatagramBytes: 100 }), 'too-long');
  });
});

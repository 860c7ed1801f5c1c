/**
 * Properties of the in-memory network under any seed, any faults and any schedule of sends: it only ever delivers
 * what was sent, to whom it was sent, from whom, at most twice; it loses nothing when told not to; its counters
 * add up; and a seed replays exactly. IMSTATE_FUZZ_RUNS sets the number of runs, IMSTATE_FUZZ_SEED fixes the seed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Faults } from '../../src/transport/memory-network.js';
import { openUdp, type OpenUdp } from './helpers.js';
import { settle, simulatedNetwork } from './simulated.js';

const asked = Number(process.env['IMSTATE_FUZZ_RUNS']);
const runs = Number.isInteger(asked) && asked > 0 ? asked : 60;
const seedEnv = Number(process.env['IMSTATE_FUZZ_SEED']);
const fcSeed = Number.isInteger(seedEnv) ? { seed: seedEnv } : {};

const SOCKETS = 3;

const faultsArb = fc.record({
  loss: fc.double({ min: 0, max: 0.3, noNaN: true }),
  duplicate: fc.double({ min: 0, max: 0.3, noNaN: true }),
  reorder: fc.double({ min: 0, max: 0.3, noNaN: true }),
  delayMs: fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 })),
});
const sendArb = fc.record({
  from: fc.integer({ min: 0, max: SOCKETS - 1 }),
  to: fc.integer({ min: 0, max: SOCKETS - 1 }),
  gapMs: fc.integer({ min: 0, max: 5 }),
  crashTarget: fc.boolean(),
});

interface Trace {
  readonly deliveries: string[];
  readonly stats: Record<string, number>;
  readonly sentTo: Map<number, { from: number; to: number }>;
  readonly received: Map<number, number>;
  readonly crashed: Set<number>;
}

/** Runs one schedule on a fresh simulated network; a send marked `crashTarget` first crashes its target (once). */
const run = async (
  seed: number,
  faults: Faults,
  sends: ReadonlyArray<{ from: number; to: number; gapMs: number; crashTarget: boolean }>,
  allowCrashes: boolean,
): Promise<Trace> => {
  const { network, clock } = simulatedNetwork(seed, faults);
  const sockets: OpenUdp[] = [];
  for (let i = 0; i < SOCKETS; i++) sockets.push(await openUdp(network));
  const deliveries: string[] = [];
  const received = new Map<number, number>();
  const sentTo = new Map<number, { from: number; to: number }>();
  const crashed = new Set<number>();
  const misrouted: string[] = [];
  sockets.forEach((socket, receiver) =>
    socket.events.subscribe((e) => {
      if (e.type !== 'datagram') return;
      const id = new DataView(e.bytes.buffer, e.bytes.byteOffset, 4).getUint32(0);
      const sender = sockets.findIndex((s) => s.socket.local.port === e.from.port);
      deliveries.push(`${clock.now()}:${id}:${sender}->${receiver}`);
      received.set(id, (received.get(id) ?? 0) + 1);
      const sent = sentTo.get(id);
      if (sent?.from !== sender || sent.to !== receiver) misrouted.push(`${id}: ${sender}->${receiver}`);
    }),
  );
  sends.forEach(({ from, to, gapMs, crashTarget }, id) => {
    clock.increment(gapMs);
    if (allowCrashes && crashTarget && !crashed.has(to) && to !== from) {
      crashed.add(to);
      network.crash(sockets[to]!.socket.local);
    }
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, id);
    sentTo.set(id, { from, to });
    sockets[from]!.socket.send(bytes, sockets[to]!.socket.local);
  });
  settle(network, clock);
  expect(network.pending).toBe(0);
  expect(misrouted).toEqual([]);
  for (const socket of sockets) socket.close();
  return { deliveries, stats: { ...network.stats }, sentTo, received, crashed };
};

describe(`in-memory network properties (${runs} runs; IMSTATE_FUZZ_RUNS sets it)`, () => {
  it('delivers only what was sent, where it was sent, at most twice; the counters add up; a seed replays', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer(),
        faultsArb,
        fc.array(sendArb, { maxLength: 200 }),
        fc.boolean(),
        async (seed, faults, sends, allowCrashes) => {
          const trace = await run(seed, faults, sends, allowCrashes);
          for (const count of trace.received.values()) expect(count).toBeLessThanOrEqual(2);
          const { sent, lost, duplicated, delivered, unroutable } = trace.stats as Record<string, number>;
          // Sends from a crashed socket never reach the wire; everything else is lost, delivered or unroutable.
          const fromCrashed = sends.filter((s, i) => trace.crashed.has(s.from) && wasCrashedBefore(sends, i, s.from, allowCrashes)).length;
          expect(sent).toBe(sends.length - fromCrashed);
          expect(delivered! + unroutable!).toBe(sent! - lost! + duplicated!);
          const replay = await run(seed, faults, sends, allowCrashes);
          expect(replay.deliveries).toEqual(trace.deliveries);
        },
      ),
      { numRuns: runs, ...fcSeed },
    );
  });

  it('loses nothing when loss is 0 and nobody crashes, whatever the other faults', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer(), faultsArb, fc.array(sendArb, { maxLength: 200 }), async (seed, faults, sends) => {
        const trace = await run(seed, { ...faults, loss: 0 }, sends, false);
        for (let id = 0; id < sends.length; id++) expect(trace.received.get(id) ?? 0).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: runs, ...fcSeed },
    );
  });
});

/** True when socket `who` had been crashed before send `index` (crashes happen at the send that targets it). */
const wasCrashedBefore = (
  sends: ReadonlyArray<{ from: number; to: number; crashTarget: boolean }>,
  index: number,
  who: number,
  allowCrashes: boolean,
): boolean => {
  if (!allowCrashes) return false;
  const crashedAt = sends.findIndex((s) => s.crashTarget && s.to === who && s.to !== s.from);
  return crashedAt !== -1 && crashedAt <= index;
};

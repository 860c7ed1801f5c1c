/**
 * Property 2, convergence, for batched presence: the server's log goes to a replica as batch datagrams, made the way
 * the server makes them (each event's sequenced forwarded form → its batch line → packed into datagrams of a random
 * size, so a batch holds one event or many) and read the way the peer reads them (the real codec's bytes, then the
 * peer machine's fold of a batch). Whatever the network does to the batches (a batch lost, duplicated, reordered,
 * the list fetched at any moment or lost too), the replica is never wrong, only behind; once it has had the resync it
 * asked for (after the heartbeat answer told it the head of the log), its list is the server's. Without loss it
 * never needs a resync.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { receiveBatch } from '../../machines/peer.wire.js';
import { presenceForms } from '../../machines/server.wire.js';
import { batchEntryOf } from '../../src/engine/batch-rounds.js';
import { createMemoryLog, resync } from '../../src/presence/log.js';
import {
  createReplica,
  receiveResync,
  receiveServerSeq,
  receiveSnapshot,
  replicaReady,
  replicaSeq,
  replicaUsers,
  resyncNeeded,
  type Replica,
} from '../../src/presence/replica.js';
import { applyEvent, emptyPresence, findUser, listUsers, presenceSeq, toSnapshot, type PresenceState } from '../../src/presence/state.js';
import type { PresenceChange, PresenceEvent } from '../../src/presence/types.js';
import { batchLine, packBatches } from '../../src/protocol/batch.js';
import { decodeDatagram, type BatchMessage } from '../../src/protocol/index.js';
import { presenceHistoryArbitrary } from '../../src/testing/presence-arbitraries.js';
import { expectUniqueNames, propertyRuns, propertyTimeout } from './helpers.js';

const RUNS = 300;
const runs = { numRuns: propertyRuns(RUNS) };

/** The server's list after each event: `states[k]` is the fold of the first k events. */
const prefixStates = (events: readonly PresenceEvent[]): PresenceState[] => {
  const states = [emptyPresence()];
  for (const event of events) states.push(applyEvent(states[states.length - 1]!, event));
  return states;
};

/** The batch datagrams of `events`, as the server's rounds write them, at most `maxBytes` each. */
const batchDatagrams = (events: readonly PresenceEvent[], states: readonly PresenceState[], maxBytes: number): Uint8Array[] => {
  const lines = events.map((event, i) => {
    const leaver = event.type === 'left' ? (findUser(states[i]!, event.name)?.endpoint ?? '127.0.0.1:1') : undefined;
    const forms = presenceForms(event, leaver);
    const described = forms === undefined ? undefined : batchEntryOf(forms.extended);
    const line = described === undefined ? undefined : batchLine(described.seq, described.entry);
    if (line === undefined) throw new Error(`event ${event.seq} has no batch line`);
    return line;
  });
  return packBatches(lines, maxBytes);
};

/** A datagram as the peer reads it: the codec's decoding, which must be a batch. */
const readBatch = (bytes: Uint8Array): BatchMessage => {
  const decoded = decodeDatagram(bytes);
  if (!decoded.ok || decoded.value.type !== 'batch') throw new Error(`not a batch: ${decoded.ok ? decoded.value.type : decoded.error.reason}`);
  return decoded.value;
};

/** A history, the size of its batch datagrams, and how the network delivers them: each 0–2 times, in any order. */
const scenario = presenceHistoryArbitrary().chain((history) =>
  fc.record({
    history: fc.constant(history),
    maxBytes: fc.integer({ min: 40, max: 600 }),
    copies: fc.array(fc.constantFrom(0, 1, 1, 1, 2), { minLength: history.events.length, maxLength: history.events.length }),
    order: fc.array(fc.nat(), { minLength: 2 * history.events.length, maxLength: 2 * history.events.length }),
    listAt: fc.nat({ max: history.events.length }),
    listArrives: fc.option(fc.nat({ max: 2 * history.events.length }), { nil: undefined }),
  }),
);

describe('replica convergence over batches', () => {
  const seen = { lostBatches: 0, resyncs: 0, multiEventBatches: 0 };

  it('2. batches lost, duplicated, reordered, the list at any moment: after the resync it asked for, the replica equals the server', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ history, maxBytes, copies, order, listAt, listArrives }) => {
        const { events } = history;
        const states = prefixStates(events);
        const datagrams = batchDatagrams(events, states, maxBytes);
        seen.multiEventBatches += datagrams.some((bytes) => readBatch(bytes).entries.length > 1) ? 1 : 0;
        // Deliveries: datagram i `copies[i]` times, shuffled by `order` (a stable sort on random keys).
        const deliveries = datagrams.flatMap((_, i) => Array.from({ length: copies[i] ?? 1 }, () => i));
        const keyed = deliveries.map((i, k) => ({ i, key: order[k] ?? 0 })).sort((a, b) => a.key - b.key);
        const lost = datagrams.some((_, i) => (copies[i] ?? 1) === 0);
        if (lost) seen.lostBatches++;

        let replica: Replica = createReplica();
        let seq = 0;
        keyed.forEach(({ i }, k) => {
          if (k === listArrives) replica = receiveSnapshot(replica, toSnapshot(states[listAt]!));
          replica = receiveBatch(replica, readBatch(datagrams[i]!));
          expect(replicaSeq(replica)).toBeGreaterThanOrEqual(seq);
          seq = replicaSeq(replica);
          expectUniqueNames(replicaUsers(replica));
          // Never wrong, only behind.
          if (replicaReady(replica)) expect(replicaUsers(replica)).toEqual(listUsers(states[replicaSeq(replica)]!));
        });
        if (listArrives !== undefined && listArrives >= keyed.length) replica = receiveSnapshot(replica, toSnapshot(states[listAt]!));

        // Every batch came and so did the list: nothing is missing, no resync.
        if (!lost && replicaReady(replica)) {
          expect(resyncNeeded(replica)).toBeUndefined();
          expect(replicaUsers(replica)).toEqual(listUsers(history.state));
        }

        // The heartbeat answer tells the head of the log; a replica without a list fetches it; a gap asks a resync.
        const log = createMemoryLog();
        await log.append(events.map(({ seq: _seq, ...change }) => change as PresenceChange), 0);
        replica = receiveServerSeq(replica, log.seq);
        if (!replicaReady(replica)) replica = receiveSnapshot(replica, await log.snapshot());
        const from = resyncNeeded(replica);
        if (from !== undefined) {
          seen.resyncs++;
          replica = receiveResync(replica, await resync(log, from));
        }
        expect(resyncNeeded(replica)).toBeUndefined();
        expect(replicaSeq(replica)).toBe(presenceSeq(history.state));
        expect(replicaUsers(replica)).toEqual(listUsers(history.state));
      }),
      runs,
    );
    expect(seen.lostBatches).toBeGreaterThan(runs.numRuns / 10);
    expect(seen.resyncs).toBeGreaterThan(0);
    expect(seen.multiEventBatches).toBeGreaterThan(runs.numRuns / 10);
  }, propertyTimeout(RUNS));
});

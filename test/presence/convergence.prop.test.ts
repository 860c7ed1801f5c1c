/**
 * Property 2, convergence: whatever the network does to the log on its way to a replica (loss, duplication,
 * reordering, delay, the snapshot taken at any moment, or lost), once the replica has been given the resync it asked
 * for, its list is the server's. Along the way it is never wrong, only behind: at every step its list is the server's
 * list at the replica's sequence number. The classic variant: fed the original server's forwarded datagrams in order,
 * with the classic list arriving at any moment, a replica ends with the server's names and endpoints and never asks
 * for a resync.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classicListToSnapshot, snapshotToClassicList } from '../../src/presence/classic.js';
import { createMemoryLog, resync } from '../../src/presence/log.js';
import {
  createReplica,
  receiveClassic,
  receiveEvent,
  receiveResync,
  receiveServerSeq,
  receiveSnapshot,
  replicaReady,
  replicaSeq,
  replicaUsers,
  resyncNeeded,
  type ClassicPresence,
  type Replica,
} from '../../src/presence/replica.js';
import { applyEvent, emptyPresence, findUser, listUsers, presenceSeq, toSnapshot, type PresenceState } from '../../src/presence/state.js';
import type { PresenceChange, PresenceEvent } from '../../src/presence/types.js';
import { presenceDeliveryArbitrary, presenceHistoryArbitrary } from '../../src/testing/presence-arbitraries.js';
import { expectUniqueNames, propertyRuns, propertyTimeout } from './helpers.js';

const RUNS = 400;
const runs = { numRuns: propertyRuns(RUNS) };

/** The server's list after each event: `states[k]` is the fold of the first k events. */
const prefixStates = (events: readonly PresenceEvent[]): PresenceState[] => {
  const states = [emptyPresence()];
  for (const event of events) states.push(applyEvent(states[states.length - 1]!, event));
  return states;
};

/** Never wrong, only behind: a ready replica's list is the server's list at the replica's sequence number. */
const expectBehindNotWrong = (replica: Replica, states: readonly PresenceState[]): void => {
  expectUniqueNames(replicaUsers(replica));
  if (!replicaReady(replica)) return;
  expect(replicaUsers(replica)).toEqual(listUsers(states[replicaSeq(replica)]!));
};

describe('replica convergence', () => {
  /** How often each path was taken, so that a generator that stopped producing losses or compaction is noticed. */
  const seen = { resyncs: 0, snapshotResyncs: 0, relistings: 0 };

  it('2. any loss, duplication, reordering and delay: after the resync it asked for, the replica equals the server', async () => {
    const options = fc.record({
      maxPending: fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 6 })),
      snapshotEvery: fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 8 })),
    });
    await fc.assert(
      fc.asyncProperty(presenceDeliveryArbitrary(), options, async ({ history, schedule }, { maxPending, snapshotEvery }) => {
        const { events } = history;
        const states = prefixStates(events);
        const log = createMemoryLog(snapshotEvery === undefined ? {} : { snapshotEvery });
        await log.append(events.map(({ seq: _seq, ...change }) => change as PresenceChange), 0);
        expect(log.seq).toBe(events.length);

        let replica = createReplica(maxPending === undefined ? {} : { maxPending });
        let seq = 0;
        for (const delivery of schedule) {
          replica =
            delivery.kind === 'event'
              ? receiveEvent(replica, events[delivery.seq - 1]!)
              : receiveSnapshot(replica, toSnapshot(states[delivery.seq]!));
          expect(replicaSeq(replica)).toBeGreaterThanOrEqual(seq);
          seq = replicaSeq(replica);
          expectBehindNotWrong(replica, states);
        }

        // The heartbeat answer tells the head of the log; a replica without a list fetches it again.
        replica = receiveServerSeq(replica, log.seq);
        if (!replicaReady(replica)) {
          seen.relistings++;
          replica = receiveSnapshot(replica, await log.snapshot());
        }
        const from = resyncNeeded(replica);
        if (from !== undefined) {
          expect(from).toBe(replicaSeq(replica) + 1);
          const answer = await resync(log, from);
          seen.resyncs++;
          if (answer.kind === 'snapshot') seen.snapshotResyncs++;
          replica = receiveResync(replica, answer);
        }

        expect(resyncNeeded(replica)).toBeUndefined();
        expect(replicaSeq(replica)).toBe(presenceSeq(history.state));
        expect(replicaUsers(replica)).toEqual(listUsers(history.state));
      }),
      runs,
    );
    expect(seen.resyncs).toBeGreaterThan(runs.numRuns / 10);
    expect(seen.snapshotResyncs).toBeGreaterThan(0);
    expect(seen.relistings).toBeGreaterThan(0);
  }, propertyTimeout(RUNS));

  it('2. without loss, any reordering and duplication, the list at any moment: converges with no resync at all', () => {
    const lossless = presenceHistoryArbitrary().chain((history) =>
      fc.tuple(
        fc.constant(history),
        fc.shuffledSubarray(
          history.events.map((event) => event.seq),
          { minLength: history.events.length, maxLength: history.events.length },
        ),
        fc.array(fc.nat({ max: Math.max(0, history.events.length - 1) }), { maxLength: 5 }),
        fc.nat({ max: history.events.length }),
        fc.nat({ max: history.events.length + 5 }),
      ),
    );
    fc.assert(
      fc.property(lossless, ([history, order, repeats, snapshotAt, arrivesAfter]) => {
        const states = prefixStates(history.events);
        const arrivals = [...order, ...repeats.map((i) => i + 1)];
        let replica = createReplica();
        arrivals.forEach((seq, i) => {
          if (i === arrivesAfter) replica = receiveSnapshot(replica, toSnapshot(states[snapshotAt]!));
          const event = history.events[seq - 1];
          if (event !== undefined) replica = receiveEvent(replica, event);
          expectBehindNotWrong(replica, states);
        });
        if (!replicaReady(replica)) replica = receiveSnapshot(replica, toSnapshot(states[snapshotAt]!));
        expect(resyncNeeded(replica)).toBeUndefined();
        expect(replicaUsers(replica)).toEqual(listUsers(history.state));
      }),
      runs,
    );
  }, propertyTimeout(RUNS));

  it('2. classic: forwarded login/logout in order, the classic list at any moment: the server names and endpoints, no resync', () => {
    const classic = presenceHistoryArbitrary().chain((history) =>
      fc.tuple(fc.constant(history), fc.nat({ max: history.events.length }), fc.nat({ max: history.events.length })),
    );
    fc.assert(
      fc.property(classic, ([history, listAt, arrivesAfter]) => {
        const states = prefixStates(history.events);
        // What the original server forwards: the datagrams carry the endpoint, never a sequence number.
        const datagrams: ClassicPresence[] = history.events.map((event, i) =>
          event.type === 'joined'
            ? { type: 'login', name: event.user.name, endpoint: event.user.endpoint }
            : { type: 'logout', name: event.name, endpoint: findUser(states[i]!, event.name)?.endpoint ?? '127.0.0.1:1' },
        );
        const text = snapshotToClassicList(toSnapshot(states[listAt]!));
        if (!text.ok) expect.fail(text.error.reason);
        const list = classicListToSnapshot(text.value);
        if (!list.ok) expect.fail(list.error.reason);

        let replica = createReplica();
        datagrams.forEach((datagram, i) => {
          if (i === arrivesAfter) replica = receiveSnapshot(replica, list.value);
          replica = receiveClassic(replica, datagram);
          expect(resyncNeeded(replica)).toBeUndefined();
        });
        if (!replicaReady(replica)) replica = receiveSnapshot(replica, list.value);

        const view = (users: readonly { name: string; endpoint: string }[]) => users.map(({ name, endpoint }) => ({ name, endpoint }));
        expect(resyncNeeded(replica)).toBeUndefined();
        expect(view(replicaUsers(replica))).toEqual(view(listUsers(history.state)));
      }),
      runs,
    );
  }, propertyTimeout(RUNS));
});

/**
 * The cost of one presence update (a `left` or a `joined`) at 1,000, 10,000 and 100,000 users online, with immer's
 * autoFreeze on (its default). Each figure sits beside two baselines measured in the same run on the same updates:
 * a plain mutable `Map` (set/delete, no immutability at all) and the naive immer shape (the whole list in one `Map`,
 * one `produce` per update). Targets: at most 50 µs per update at 10,000 users, and at most 3× growth from
 * 10,000 to 100,000.
 * @module
 */
import { enableMapSet, produce } from 'immer';
import { applyEvent, applyEvents, fromSnapshot, presenceSize, type PresenceState } from '../src/presence/state.js';
import type { PresenceEvent, User } from '../src/presence/types.js';
import type { BenchRow } from './report.js';

const SIZES = [1_000, 10_000, 100_000] as const;
const ROUNDS = 5;
const BATCH = 100;

const userOf = (i: number, session: string): User => ({
  name: `user${i}`,
  endpoint: `127.0.0.1:${1024 + (i % 60_000)}`,
  session,
  imstate: true,
});

/** A churn of `count` updates on `size` users: each picked user leaves and logs in again under a new session. */
const churn = (size: number, count: number): PresenceEvent[] => {
  const sessions = Array.from({ length: size }, (_, i) => `s${i}`);
  const events: PresenceEvent[] = [];
  // A fixed LCG: the same updates in every run, spread over the whole list.
  let x = 12345;
  for (let seq = 1; events.length < count; ) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const i = x % size;
    events.push({ type: 'left', seq: seq++, name: `user${i}`, session: sessions[i]!, reason: 'logout' });
    sessions[i] = `s${i}.${seq}`;
    events.push({ type: 'joined', seq: seq++, user: userOf(i, sessions[i]!) });
  }
  return events;
};

/**
 * Microseconds per update: the median of `ROUNDS` timed rounds, after one untimed round (for the JIT). `setup` makes
 * each round's starting point outside the timing.
 */
const perUpdate = <T>(updates: number, setup: () => T, round: (start: T) => void): number => {
  round(setup());
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = setup();
    const began = performance.now();
    round(start);
    times.push(((performance.now() - began) * 1000) / updates);
  }
  return times.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
};

const measure = (size: number): { ours: number; batched: number; raw: number; naive: number } => {
  const initial = Array.from({ length: size }, (_, i) => userOf(i, `s${i}`));
  const start: PresenceState = fromSnapshot({ seq: 0, users: initial });
  const events = churn(size, 20_000);
  if (presenceSize(events.reduce(applyEvent, start)) !== size) throw new Error('the churn must keep the list size');

  const same = (): PresenceState => start;
  const ours = perUpdate(events.length, same, (state) => {
    for (const event of events) state = applyEvent(state, event);
  });

  const batches = Array.from({ length: Math.ceil(events.length / BATCH) }, (_, i) => events.slice(i * BATCH, (i + 1) * BATCH));
  const batched = perUpdate(events.length, same, (state) => {
    for (const batch of batches) state = applyEvents(state, batch);
  });

  const raw = perUpdate(events.length, () => new Map(initial.map((user) => [user.name, user])), (users) => {
    for (const event of events) {
      if (event.type === 'joined') users.set(event.user.name, event.user);
      else if (users.get(event.name)?.session === event.session) users.delete(event.name);
    }
  });

  // The naive shape copies the whole Map per update: a few hundred updates are enough to time it.
  const naiveEvents = events.slice(0, Math.max(10, Math.floor(1_000_000 / size)));
  const naiveStart = produce(new Map<string, User>(), (draft) => {
    for (const user of initial) draft.set(user.name, user);
  });
  const naive = perUpdate(naiveEvents.length, () => naiveStart, (users) => {
    for (const event of naiveEvents) {
      users = produce(users, (draft) => {
        if (event.type === 'joined') draft.set(event.user.name, event.user);
        else if (draft.get(event.name)?.session === event.session) draft.delete(event.name);
      });
    }
  });

  return { ours, batched, raw, naive };
};

/** `npm run bench` entry: per-update cost at each size, ratios against the raw Map and the naive immer Map. */
export default async (): Promise<BenchRow[]> => {
  enableMapSet();
  const rows: BenchRow[] = [];
  const ours = new Map<number, number>();
  for (const size of SIZES) {
    const m = measure(size);
    ours.set(size, m.ours);
    const label = `${size / 1000}k`;
    rows.push(
      {
        name: `presence update @${label} users (immer, trie)`,
        value: m.ours,
        unit: 'µs/update',
        ratio: m.ours / m.raw,
        note: `÷ mutable Map ${m.raw.toFixed(3)} µs; target ≤ 50 µs at 10k`,
      },
      {
        name: `presence update @${label} users, batches of ${BATCH}`,
        value: m.batched,
        unit: 'µs/update',
        ratio: m.batched / m.raw,
        note: '÷ mutable Map',
      },
      {
        name: `naive immer Map update @${label} users`,
        value: m.naive,
        unit: 'µs/update',
        ratio: m.naive / m.ours,
        note: '÷ ours (how much the trie saves)',
      },
    );
  }
  const growth = ours.get(100_000)! / ours.get(10_000)!;
  rows.push({ name: 'presence update growth 10k → 100k users', value: growth, unit: '×', note: 'ours @100k ÷ ours @10k; target ≤ 3' });
  return rows;
};

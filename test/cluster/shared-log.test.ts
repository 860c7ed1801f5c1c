/**
 * The Redis presence log against a real redis-server: conditional appends numbered gap-free, one winner when two
 * servers append at the same seq, every event followed by every server exactly once and in order (own appends
 * before their promise resolves), a snapshot in one read, owners and orphans, and the log put back after Redis
 * restarts empty.
 */
import type { Subscription } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCluster } from '../../src/engine/cluster/memory-cluster.js';
import type { SharedPresenceLog } from '../../src/engine/cluster/shared-log.js';
import { createRedisLog } from '../../src/engine/redis/redis-log.js';
import { decideLogin } from '../../src/presence/policy.js';
import { applyEvents, emptyPresence, listUsers, type PresenceState } from '../../src/presence/state.js';
import type { PresenceChange, PresenceEvent, User } from '../../src/presence/types.js';
import { startRedis, type TestRedis } from './support/redis-server.js';

const user = (name: string, session = `s-${name}`): User => ({ name, endpoint: '127.0.0.1:5001', session, imstate: true });
const join = (name: string, session?: string): PresenceChange => ({ type: 'joined', user: user(name, session) });
const leave = (name: string): PresenceChange => ({ type: 'left', name, session: `s-${name}`, reason: 'logout' });

let redis: TestRedis;
let suite = 0;
const open: SharedPresenceLog[] = [];
const subscriptions: Subscription[] = [];

type Maker = (count: number, leaseMs: number) => SharedPresenceLog[];
/** Logs under a fresh prefix per test, so tests share the suite's redis-server without seeing each other. */
const inRedis: Maker = (count, leaseMs) => {
  const prefix = `t${++suite}:`;
  return Array.from({ length: count }, (_, i) => createRedisLog({ address: redis.address, prefix, serverId: `server-${i}`, leaseMs, blockMs: 50 }));
};
/** The in-memory model of the same store, held to the same contract. */
const inMemory: Maker = (count) => {
  const cluster = createMemoryCluster();
  return Array.from({ length: count }, (_, i) => cluster.log(`server-${i}`));
};
let maker: Maker = inRedis;
const logs = async (count: number, leaseMs = 10_000): Promise<SharedPresenceLog[]> => {
  const made = maker(count, leaseMs);
  for (const log of made) await log.open();
  open.push(...made);
  return made;
};

/** Records everything a log's follow() emits. */
const record = (log: SharedPresenceLog, after = 0): PresenceEvent[][] => {
  const batches: PresenceEvent[][] = [];
  subscriptions.push(log.follow(after).subscribe((events) => batches.push([...events])));
  return batches;
};
const seqs = (batches: PresenceEvent[][]): number[] => batches.flat().map((event) => event.seq);
const until = async (check: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
};

beforeAll(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  for (const subscription of subscriptions.splice(0)) subscription.unsubscribe();
  await Promise.all(open.splice(0).map((log) => log.close()));
});
afterAll(async () => {
  await redis?.stop();
});

describe.each([
  ['in Redis', inRedis],
  ['in memory (the model)', inMemory],
])('the shared presence log %s', (_where, make) => {
  beforeAll(() => {
    maker = make;
  });

  it('appends a decision made on an older log only while it still holds, numbering without gaps', async () => {
    const [log] = (await logs(1)) as [SharedPresenceLog];
    expect(await log.append([join('a'), join('b')], 0)).toEqual({ ok: true, events: [{ type: 'joined', user: user('a'), seq: 1 }, { type: 'joined', user: user('b'), seq: 2 }] });
    // Decided at seq 1: a leave of a session that is not the one online, a join of a name that is taken.
    expect(await log.append([{ type: 'left', name: 'a', session: 'an older one', reason: 'logout' }], 1)).toEqual({ ok: false, seq: 2 });
    expect(await log.append([join('b', 's-b2')], 1)).toEqual({ ok: false, seq: 2 });
    expect(await log.append([leave('a')], 2)).toEqual({ ok: true, events: [{ ...leave('a'), seq: 3 }] });
    expect(log.seq).toBe(3);
    expect(await log.snapshot()).toEqual({ seq: 3, users: [user('b')] });
    expect((await log.readFrom(1)).map((event) => event.seq)).toEqual([2, 3]);
  });

  it('follows every event exactly once, own appends emitted before their promise resolves', async () => {
    const [a, b] = (await logs(2)) as [SharedPresenceLog, SharedPresenceLog];
    const seenA = record(a);
    const seenB = record(b);
    const appended = await a.append([join('x')], 0);
    expect(appended.ok).toBe(true);
    expect(seqs(seenA)).toEqual([1]);
    // b decided on the empty log that x is free: no longer true, so nothing is written.
    await b.append([join('x', 's-x2')], 0).then((result) => expect(result).toEqual({ ok: false, seq: 1 }));
    // A conflict resolves after everything up to the seq it reports was emitted.
    expect(seqs(seenB)).toEqual([1]);
    // A decision about another name still holds on the newer log: appended after x's join.
    expect(await b.append([join('y')], 0)).toEqual({ ok: true, events: [{ ...join('y'), seq: 2 }] });
    await until(() => seqs(seenA).length === 2, 'a to see b\'s join');
    expect(seqs(seenA)).toEqual([1, 2]);
    expect(seqs(seenB)).toEqual([1, 2]);
    expect(a.ownerOf('x')).toBe('server-0');
    expect(a.ownerOf('y')).toBe('server-1');
    expect(b.ownerOf('x')).toBe('server-0');
  });

  it('numbers the appends of several servers at once gap-free, and every follower sees one history', async () => {
    const made = await logs(3);
    const seen = made.map((log) => record(log));
    // 3 servers × 20 logins of distinct names, each decided at the seq the server knows (behind, often): they hold.
    await Promise.all(
      made.map(async (log, i) => {
        for (let n = 0; n < 20; n++) {
          for (;;) {
            const result = await log.append([join(`u${i}-${n}`)], log.seq);
            if (result.ok) break;
          }
        }
      }),
    );
    for (const batches of seen) await until(() => seqs(batches).length === 60, 'every follower to see 60 events');
    const histories = seen.map((batches) => JSON.stringify(batches.flat()));
    expect(seqs(seen[0] ?? [])).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(new Set(histories).size).toBe(1);
    expect((await made[0]!.snapshot()).users).toHaveLength(60);
  });

  it('resolves a name logged in at two servers at once to one session: the later decision replaces the earlier', async () => {
    const [a, b] = (await logs(2)) as [SharedPresenceLog, SharedPresenceLog];
    let foldA: PresenceState = emptyPresence();
    let foldB: PresenceState = emptyPresence();
    subscriptions.push(a.follow(0).subscribe((events) => (foldA = applyEvents(foldA, events))));
    subscriptions.push(b.follow(0).subscribe((events) => (foldB = applyEvents(foldB, events))));
    const login = async (log: SharedPresenceLog, fold: () => PresenceState, who: User): Promise<void> => {
      for (;;) if ((await log.append(decideLogin(fold(), who), log.seq)).ok) return;
    };
    await Promise.all([login(a, () => foldA, user('alice', 'at-a')), login(b, () => foldB, user('alice', 'at-b'))]);
    await until(() => a.seq === 3 && b.seq === 3, 'both to reach seq 3');
    await until(() => listUsers(foldA).length === 1 && JSON.stringify(foldA) === JSON.stringify(foldB), 'the folds to agree');
    // One decided on the empty list (joined); the other on the list with it (left replaced, joined), at once or after
    // losing the race and catching up: never both on the empty list.
    const events = await a.readFrom(0);
    expect(events.map((event) => event.type)).toEqual(['joined', 'left', 'joined']);
    expect(events[1]).toMatchObject({ type: 'left', name: 'alice', reason: 'replaced' });
    expect(await a.snapshot()).toEqual({ seq: 3, users: listUsers(foldA) });
  });

  it('lists the sessions of a server whose lease is gone as orphans, to every other server', async () => {
    const [a, b] = (await logs(2, 200)) as [SharedPresenceLog, SharedPresenceLog];
    await a.append([join('a1'), join('a2')], 0);
    await b.append([join('b1')], 2);
    expect(await a.orphans()).toEqual([]);
    await b.close();
    expect(await a.orphans()).toEqual([{ owner: 'server-1', user: user('b1') }]);
    // Once expired, nothing is left to expire.
    await a.append([{ type: 'left', name: 'b1', session: 's-b1', reason: 'expired' }], 3);
    expect(await a.orphans()).toEqual([]);
  });

});

describe('the shared presence log in Redis', () => {
  beforeAll(() => {
    maker = inRedis;
  });

  it('puts the whole list back when Redis restarts empty, and numbering goes on from there', async () => {
    const [a, b] = (await logs(2)) as [SharedPresenceLog, SharedPresenceLog];
    const seenB = record(b);
    record(a);
    await a.append([join('a1')], 0);
    await b.append([join('b1')], 1);
    await until(() => a.seq === 2 && seqs(seenB).length === 2, 'both to follow');
    const notices: string[] = [];
    for (const log of [a, b]) log.notices$.subscribe((notice) => notices.push(notice.text));
    await redis.restartEmpty();
    await until(() => notices.filter((text) => text.includes('is back')).length === 2, `both to be back: ${notices.join(' | ')}`);
    // Exactly one of them put the list back.
    await until(() => notices.some((text) => text.includes('put back')), `a restore: ${notices.join(' | ')}`);
    expect(notices.filter((text) => text.includes('put back'))).toHaveLength(1);
    expect(await b.snapshot()).toEqual({ seq: 2, users: [user('a1'), user('b1')] });
    expect(b.ownerOf('a1')).toBe('server-0');
    expect(await a.orphans()).toEqual([]);
    for (;;) if ((await b.append([join('b2')], b.seq)).ok) break;
    await until(() => a.seq === 3, 'a to follow the append after the restore');
    expect(seqs(seenB)).toEqual([1, 2, 3]);
    expect((await a.snapshot()).users.map((one) => one.name).sort()).toEqual(['a1', 'b1', 'b2']);
  });
});

/**
 * The in-memory presence log: numbering, reading from a sequence number, snapshots, compaction, and the resync
 * answer (events, or a snapshot once the log has dropped what was asked for).
 */
import { describe, expect, it } from 'vitest';
import { firstValueFrom, toArray, take } from 'rxjs';
import { createMemoryLog, resync, type AppendResult, type PresenceLog } from '../../src/presence/log.js';
import { findUser, listUsers } from '../../src/presence/state.js';
import type { PresenceChange, PresenceEvent, User } from '../../src/presence/types.js';

const user = (name: string): User => ({ name, endpoint: '127.0.0.1:5001', session: `s-${name}`, imstate: true });
const join = (name: string): PresenceChange => ({ type: 'joined', user: user(name) });
const leave = (name: string): PresenceChange => ({ type: 'left', name, session: `s-${name}`, reason: 'logout' });
/** Appends at the log's head (no other writer): always succeeds. */
const put = (log: PresenceLog, changes: readonly PresenceChange[]): Promise<AppendResult> => log.append(changes, log.seq);
const recorded = (result: AppendResult): PresenceEvent[] => {
  if (!result.ok) throw new Error(`conflict at ${result.seq}`);
  return result.events;
};

describe('createMemoryLog', () => {
  it('numbers appended changes from 1 without gaps, across appends', async () => {
    const log = createMemoryLog();
    expect(log.seq).toBe(0);
    const first = recorded(await log.append([join('a'), join('b')], 0));
    const second = recorded(await log.append([leave('a')], 2));
    expect([...first, ...second].map((event) => event.seq)).toEqual([1, 2, 3]);
    expect(second[0]).toEqual({ type: 'left', name: 'a', session: 's-a', reason: 'logout', seq: 3 });
    expect(log.seq).toBe(3);
    expect(await log.append([], 3)).toEqual({ ok: true, events: [] });
    expect(log.seq).toBe(3);
  });

  it('reads the events after a sequence number', async () => {
    const log = createMemoryLog();
    await put(log, [join('a'), join('b'), join('c')]);
    expect((await log.readFrom(0)).map((event) => event.seq)).toEqual([1, 2, 3]);
    expect((await log.readFrom(2)).map((event) => event.seq)).toEqual([3]);
    expect(await log.readFrom(3)).toEqual([]);
    expect(await log.readFrom(99)).toEqual([]);
    expect((await log.readFrom(-5)).map((event) => event.seq)).toEqual([1, 2, 3]);
  });

  it('folds what it records: the snapshot and the state are the list now', async () => {
    const log = createMemoryLog();
    await put(log, [join('a'), join('b'), leave('a')]);
    const snapshot = await log.snapshot();
    expect(snapshot).toEqual({ seq: 3, users: [user('b')] });
    expect(listUsers(log.state)).toEqual([user('b')]);
    expect(findUser(log.state, 'a')).toBeUndefined();
  });

  it('compacts: keeps between snapshotEvery and twice that many recent events', async () => {
    const log = createMemoryLog({ snapshotEvery: 3 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) await put(log, [join(name)]);
    expect((await log.readFrom(0)).map((event) => event.seq)).toEqual([1, 2, 3, 4, 5]);
    await put(log, [join('f')]);
    expect((await log.readFrom(0)).map((event) => event.seq)).toEqual([4, 5, 6]);
    expect((await log.readFrom(4)).map((event) => event.seq)).toEqual([5, 6]);
    expect((await log.snapshot()).users).toHaveLength(6);
  });
});

describe('the conditional append and follow()', () => {
  it('appends only at the head: a writer that decided on an older seq is told the seq now, and nothing is recorded', async () => {
    const log = createMemoryLog();
    await put(log, [join('a')]);
    expect(await log.append([join('b')], 0)).toEqual({ ok: false, seq: 1 });
    expect(await log.append([join('b')], 2)).toEqual({ ok: false, seq: 1 });
    expect(log.seq).toBe(1);
    expect((await log.snapshot()).users.map((u) => u.name)).toEqual(['a']);
    expect(recorded(await log.append([join('b')], 1)).map((event) => event.seq)).toEqual([2]);
  });

  it('follows from a seq: the backlog first, then every append, each event once and in order', async () => {
    const log = createMemoryLog();
    await put(log, [join('a'), join('b')]);
    const batches: (readonly PresenceEvent[])[] = [];
    const subscription = log.follow(1).subscribe((batch) => batches.push(batch));
    await put(log, [join('c')]);
    await put(log, [leave('a'), join('d')]);
    subscription.unsubscribe();
    await put(log, [join('e')]);
    expect(batches.map((batch) => batch.map((event) => event.seq))).toEqual([[2], [3], [4, 5]]);
  });

  it('emits an append’s events before its promise resolves', async () => {
    const log = createMemoryLog();
    const seen: number[] = [];
    log.follow(0).subscribe((batch) => batch.forEach((event) => seen.push(event.seq)));
    const pending = log.append([join('a')], 0);
    expect(seen).toEqual([1]);
    expect(recorded(await pending)).toHaveLength(1);
  });

  it('delivers appends a follower makes while it reads its backlog after the backlog, none lost', async () => {
    const log = createMemoryLog();
    await put(log, [join('a')]);
    const all = firstValueFrom(log.follow(0).pipe(take(2), toArray()));
    let once = false;
    log.follow(0).subscribe(() => {
      if (!once) void put(log, [join('b')]);
      once = true;
    });
    expect((await all).map((batch) => batch.map((event) => event.seq))).toEqual([[1], [2]]);
  });

  it('errors when asked to follow from before what a compacted log still holds', async () => {
    const log = createMemoryLog({ snapshotEvery: 2 });
    await put(log, [join('a'), join('b'), join('c'), join('d')]);
    await expect(firstValueFrom(log.follow(0))).rejects.toMatchObject({ name: 'PresenceLogError', code: 'compacted' });
    expect((await firstValueFrom(log.follow(2))).map((event) => event.seq)).toEqual([3, 4]);
  });
});

describe('resync', () => {
  it('answers with the missing events while the log holds them', async () => {
    const log = createMemoryLog();
    await put(log, [join('a'), join('b'), join('c')]);
    const answer = await resync(log, 2);
    expect(answer.kind).toBe('events');
    if (answer.kind === 'events') expect(answer.events.map((event) => event.seq)).toEqual([2, 3]);
  });

  it('answers with no events when the replica is already at the head', async () => {
    const log = createMemoryLog();
    await put(log, [join('a')]);
    expect(await resync(log, 2)).toEqual({ kind: 'events', events: [] });
  });

  it('answers with a snapshot once compaction dropped the first event asked for', async () => {
    const log = createMemoryLog({ snapshotEvery: 2 });
    await put(log, [join('a'), join('b'), join('c'), join('d')]);
    const answer = await resync(log, 1);
    expect(answer.kind).toBe('snapshot');
    if (answer.kind === 'snapshot') expect(answer.snapshot.seq).toBe(4);
    const recent = await resync(log, 3);
    expect(recent.kind).toBe('events');
  });

  it('treats a request from 0 or below as a request from the first event', async () => {
    const log = createMemoryLog();
    await put(log, [join('a')]);
    const answer = await resync(log, 0);
    expect(answer.kind).toBe('events');
    if (answer.kind === 'events') expect(answer.events).toHaveLength(1);
  });
});

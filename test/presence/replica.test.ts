/**
 * The replica on the races that matter: the UDP broadcast beating the TCP list, a gap it cannot fill, a lost last
 * event noticed through the heartbeat, the bound on what it holds back, and classic input.
 */
import { describe, expect, it } from 'vitest';
import {
  createReplica,
  receiveClassic,
  receiveEvent,
  receiveEvents,
  receiveResync,
  receiveServerSeq,
  receiveSnapshot,
  replicaFindUser,
  replicaReady,
  replicaSeq,
  replicaUsers,
  resyncNeeded,
} from '../../src/presence/replica.js';
import type { PresenceEvent, User } from '../../src/presence/types.js';
import { namesOf } from './helpers.js';

const user = (name: string, session = `s-${name}`): User => ({ name, endpoint: '127.0.0.1:5001', session, imstate: true });
const joined = (seq: number, name: string, session?: string): PresenceEvent => ({ type: 'joined', seq, user: user(name, session) });
const left = (seq: number, name: string, session = `s-${name}`): PresenceEvent => ({ type: 'left', seq, name, session, reason: 'logout' });

describe('replica', () => {
  it('is not ready and lists nobody before its snapshot', () => {
    const replica = createReplica();
    expect(replicaReady(replica)).toBe(false);
    expect(replicaUsers(replica)).toEqual([]);
    expect(replicaSeq(replica)).toBe(0);
    expect(resyncNeeded(replica)).toBeUndefined();
  });

  it('applies events that follow its snapshot in order', () => {
    let replica = receiveSnapshot(createReplica(), { seq: 2, users: [user('a'), user('b')] });
    replica = receiveEvent(replica, joined(3, 'c'));
    replica = receiveEvent(replica, left(4, 'a'));
    expect(namesOf(replicaUsers(replica)).sort()).toEqual(['b', 'c']);
    expect(replicaSeq(replica)).toBe(4);
    expect(resyncNeeded(replica)).toBeUndefined();
  });

  it('holds a broadcast that beats the list, drops what the list already has, and replays the rest', () => {
    let replica = createReplica();
    replica = receiveEvent(replica, joined(5, 'early'));
    replica = receiveEvent(replica, joined(4, 'in-list'));
    expect(replicaUsers(replica)).toEqual([]);
    replica = receiveSnapshot(replica, { seq: 4, users: [user('in-list')] });
    expect(namesOf(replicaUsers(replica)).sort()).toEqual(['early', 'in-list']);
    expect(replicaSeq(replica)).toBe(5);
    expect(replica.pending.size).toBe(0);
  });

  it('says "resync needed from N" for a gap it cannot fill, and fills it from the answer', () => {
    let replica = receiveSnapshot(createReplica(), { seq: 1, users: [user('a')] });
    replica = receiveEvent(replica, joined(4, 'd'));
    expect(resyncNeeded(replica)).toBe(2);
    replica = receiveEvent(replica, joined(2, 'b'));
    expect(resyncNeeded(replica)).toBe(3);
    replica = receiveResync(replica, { kind: 'events', events: [joined(3, 'c'), joined(4, 'd')] });
    expect(resyncNeeded(replica)).toBeUndefined();
    expect(namesOf(replicaUsers(replica)).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('takes a snapshot as a resync answer and keeps the events held beyond it', () => {
    let replica = receiveSnapshot(createReplica(), { seq: 1, users: [] });
    replica = receiveEvent(replica, joined(9, 'late'));
    replica = receiveResync(replica, { kind: 'snapshot', snapshot: { seq: 8, users: [user('x')] } });
    expect(namesOf(replicaUsers(replica)).sort()).toEqual(['late', 'x']);
    expect(replicaSeq(replica)).toBe(9);
  });

  it('ignores an older snapshot, duplicates, and events without a valid sequence number', () => {
    let replica = receiveSnapshot(createReplica(), { seq: 3, users: [user('a')] });
    const same = replica;
    replica = receiveSnapshot(replica, { seq: 2, users: [] });
    replica = receiveEvent(replica, joined(3, 'dup'));
    replica = receiveEvent(replica, { ...joined(0, 'zero') });
    replica = receiveEvent(replica, { ...joined(Number.NaN, 'nan') });
    replica = receiveEvent(replica, { ...joined(4.5, 'half') });
    expect(replica).toBe(same);
  });

  it('notices a lost last event through the server sequence number a heartbeat answer carries', () => {
    let replica = receiveSnapshot(createReplica(), { seq: 2, users: [] });
    expect(resyncNeeded(replica)).toBeUndefined();
    replica = receiveServerSeq(replica, 3);
    expect(resyncNeeded(replica)).toBe(3);
    replica = receiveEvents(replica, [joined(3, 'c')]);
    expect(resyncNeeded(replica)).toBeUndefined();
    expect(receiveServerSeq(replica, 2)).toBe(replica);
  });

  it('holds back at most maxPending events, keeping the next ones, and still asks for the rest', () => {
    let replica = receiveSnapshot(createReplica({ maxPending: 2 }), { seq: 0, users: [] });
    for (const seq of [5, 4, 3, 2]) replica = receiveEvent(replica, joined(seq, `u${seq}`));
    expect([...replica.pending.keys()].sort()).toEqual([2, 3]);
    replica = receiveEvent(replica, joined(1, 'u1'));
    expect(replicaSeq(replica)).toBe(3);
    expect(resyncNeeded(replica)).toBe(4);
  });

  it('applies a stale leave as the server does: the newer session stays', () => {
    let replica = receiveSnapshot(createReplica(), { seq: 0, users: [] });
    replica = receiveEvents(replica, [joined(1, 'a', 'old'), left(2, 'a', 'old'), joined(3, 'a', 'new'), left(4, 'a', 'old')]);
    expect(replicaFindUser(replica, 'a')?.session).toBe('new');
  });
});

describe('replica fed by the classic server', () => {
  it('starts from a classic list and follows forwarded logins and logouts by name, never asking for a resync', () => {
    let replica = receiveSnapshot(createReplica(), { seq: 0, users: [] });
    replica = receiveClassic(replica, { type: 'login', name: 'alice', endpoint: '127.0.0.1:21511' });
    replica = receiveClassic(replica, { type: 'login', name: '剑痴', endpoint: '127.0.0.1:21512' });
    expect(replicaFindUser(replica, 'alice')).toEqual({ name: 'alice', endpoint: '127.0.0.1:21511', session: '127.0.0.1:21511', imstate: false });
    replica = receiveClassic(replica, { type: 'login', name: 'alice', endpoint: '127.0.0.1:30000' });
    expect(replicaFindUser(replica, 'alice')?.endpoint).toBe('127.0.0.1:30000');
    replica = receiveClassic(replica, { type: 'logout', name: 'alice', endpoint: '127.0.0.1:21511' });
    expect(namesOf(replicaUsers(replica))).toEqual(['剑痴']);
    expect(resyncNeeded(replica)).toBeUndefined();
    expect(replicaSeq(replica)).toBe(0);
  });

  it('replays classic datagrams that beat the list, in arrival order', () => {
    let replica = createReplica();
    replica = receiveClassic(replica, { type: 'login', name: 'bob', endpoint: '127.0.0.1:2' });
    replica = receiveClassic(replica, { type: 'logout', name: 'alice', endpoint: '127.0.0.1:1' });
    replica = receiveSnapshot(replica, { seq: 0, users: [{ name: 'alice', endpoint: '127.0.0.1:1', session: '127.0.0.1:1', imstate: false }] });
    expect(namesOf(replicaUsers(replica))).toEqual(['bob']);
    expect(replica.classicPending).toEqual([]);
  });

  it('takes a newer classic list (every classic list is sequence number 0) in place of the old one', () => {
    let replica = receiveSnapshot(createReplica(), { seq: 0, users: [user('a')] });
    replica = receiveSnapshot(replica, { seq: 0, users: [user('b')] });
    expect(namesOf(replicaUsers(replica))).toEqual(['b']);
  });
});

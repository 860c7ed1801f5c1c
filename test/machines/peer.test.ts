/**
 * The peer machine's scenarios on a simulated clock: lost Accept, no server, list timeout,
 * duplicates, presence before the list, server restart, logout with and without confirmation, a classic server.
 */
import { describe, expect, it } from 'vitest';
import { replicaUsers } from '../../src/presence/index.js';
import type { Message } from '../../src/protocol/index.js';
import { formatMessage } from '../../src/protocol/text.js';
import { deferred, settle, startPeer, type PeerRig } from './support/harness.js';
import { classic, classicAccept, imstateAccept, imstateList, joined, left } from './support/wire.js';
import type { FetchedList } from '../../machines/peer.wire.js';

const value = (rig: PeerRig): unknown => rig.actor.getSnapshot().value;
const users = (rig: PeerRig): string[] => {
  const last = rig.emitted.filter((e) => e.type === 'users').at(-1);
  return last?.type === 'users' ? replicaUsers(last.replica).map((u) => u.name) : [];
};
const types = (rig: PeerRig): string[] => rig.sent().map((s) => s.message.type);
const logins = (rig: PeerRig): Message[] => rig.sent().flatMap((s) => (s.message.type === 'login' ? [s.message] : []));

/** Logs a peer in against an imstate server whose list says `seq` and the given users. */
const online = async (rig: PeerRig, seq = 1): Promise<void> => {
  rig.actor.send({ type: 'LOGIN' });
  await settle();
  rig.receive(imstateAccept(seq), '127.0.0.1:9000');
  await settle();
};

const aliceAndBob = (seq: number): FetchedList =>
  imstateList(seq, [
    { name: 'alice', endpoint: '127.0.0.1:5001' },
    { name: 'bob', endpoint: '127.0.0.1:5002' },
  ]);

describe('peer: logging in', () => {
  it('retransmits the login when the first Accept is lost, then goes online', async () => {
    const rig = startPeer({ fetchList: async () => aliceAndBob(2) });
    rig.actor.send({ type: 'LOGIN' });
    await settle();
    expect(value(rig)).toBe('awaitingAccept');
    expect(logins(rig)).toEqual([
      { type: 'login', name: 'alice', endpoint: { family: 'IPv4', address: '127.0.0.1', port: 5001 }, imstate: true, session: 's-alice', batch: true, extensions: [] },
    ]);
    rig.advance(499);
    expect(logins(rig)).toHaveLength(1);
    rig.advance(1);
    expect(logins(rig)).toHaveLength(2);
    expect(rig.sent().every((s) => s.to === '127.0.0.1:9000')).toBe(true);
    rig.receive(imstateAccept(2), '127.0.0.1:9000');
    await settle();
    expect(value(rig)).toEqual({ online: { presence: 'live', heartbeat: 'beating' } });
    expect(users(rig)).toEqual(['alice', 'bob']);
  });

  it('gives up after five tries with a message a person can act on', async () => {
    const rig = startPeer();
    rig.actor.send({ type: 'LOGIN' });
    await settle();
    for (const wait of [500, 1000, 2000, 4000]) rig.advance(wait);
    expect(logins(rig)).toHaveLength(5);
    expect(value(rig)).toBe('awaitingAccept');
    rig.advance(7999);
    expect(value(rig)).toBe('awaitingAccept');
    rig.advance(1);
    expect(value(rig)).toBe('failed');
    const reason = 'no answer from 127.0.0.1:9000 after 5 tries — is the server running?';
    expect(rig.actor.getSnapshot().output).toEqual({ reason });
    expect(rig.emitted).toContainEqual({ type: 'log', level: 'error', kind: 'failed', text: reason });
    expect(logins(rig)).toHaveLength(5);
  });

  it('fails with the reason when the socket cannot be bound, or the server refuses', async () => {
    const rig = startPeer({ bindSocket: async () => Promise.reject(new Error('EADDRINUSE 127.0.0.1:5001')) });
    rig.actor.send({ type: 'LOGIN' });
    await settle();
    expect(rig.actor.getSnapshot().output).toEqual({ reason: "could not open the peer's UDP socket: EADDRINUSE 127.0.0.1:5001" });
    const bad = startPeer({ bindSocket: async () => 'not an endpoint' });
    bad.actor.send({ type: 'LOGIN' });
    await settle();
    expect(bad.actor.getSnapshot().output?.reason).toMatch(/cannot be used: not an endpoint/);
    const refused = startPeer();
    refused.actor.send({ type: 'LOGIN' });
    await settle();
    refused.receive({ type: 'Refuse', reason: 'the name is taken, sorry' }, '127.0.0.1:9000');
    expect(refused.actor.getSnapshot().output).toEqual({ reason: 'the server refused the login: the name is taken, sorry' });
  });

  it('fetches the list from the Accept source address and retries after a timeout', async () => {
    const never = deferred<FetchedList>();
    const rig = startPeer({ fetchList: async (_, attempt) => (attempt === 1 ? never.promise : aliceAndBob(1)) });
    rig.actor.send({ type: 'LOGIN' });
    await settle();
    rig.receive(imstateAccept(1, 1000, 9100), '127.0.0.2:9000');
    await settle();
    expect(rig.fetches).toEqual([{ address: '127.0.0.2', port: 9100 }]);
    expect(value(rig)).toEqual({ fetchingList: 'requesting' });
    rig.advance(3000);
    await settle();
    expect(rig.fetches).toHaveLength(2);
    expect(value(rig)).toMatchObject({ online: { presence: 'live' } });
    expect(rig.emitted.some((e) => e.type === 'log' && e.kind === 'retry')).toBe(true);
  });

  it('gives up on the list after its tries, saying why', async () => {
    const rig = startPeer({ fetchList: async () => Promise.reject(new Error('connection refused')) });
    rig.actor.send({ type: 'LOGIN' });
    await settle();
    rig.receive(classicAccept(9001), '127.0.0.1:9000');
    for (let i = 0; i < 3; i++) {
      await settle();
      expect(value(rig)).toEqual({ fetchingList: 'waiting' });
      rig.advance(3000);
    }
    expect(rig.actor.getSnapshot().output).toEqual({
      reason: 'could not get the user list from 127.0.0.1:9001 after 3 tries: connection refused',
    });
  });

  it('retries an unreadable list like a failed fetch', async () => {
    const rig = startPeer({
      fetchList: async (_, attempt) => (attempt === 1 ? { list: 'alice;no endpoint;end' } : aliceAndBob(1)),
    });
    await online(rig);
    expect(value(rig)).toEqual({ fetchingList: 'waiting' });
    rig.advance(3000);
    await settle();
    expect(users(rig)).toEqual(['alice', 'bob']);
  });
});

describe('peer: presence', () => {
  it('keeps presence that arrives before the list and applies it after', async () => {
    const list = deferred<FetchedList>();
    const rig = startPeer({ fetchList: async () => list.promise });
    await online(rig, 1);
    rig.receive(joined('bob', '127.0.0.1:5002', 2), '127.0.0.1:9000');
    rig.receive(classic('login', 'carol', '127.0.0.1:5003'), '127.0.0.1:9000');
    list.resolve(imstateList(1, [{ name: 'alice', endpoint: '127.0.0.1:5001' }]));
    await settle();
    expect(users(rig)).toEqual(expect.arrayContaining(['alice', 'bob', 'carol']));
    expect(users(rig)).toHaveLength(3);
  });

  it('applies a duplicated presence datagram once and a duplicated Accept not at all', async () => {
    const rig = startPeer({ fetchList: async () => aliceAndBob(2) });
    await online(rig, 2);
    rig.receive(imstateAccept(2), '127.0.0.1:9000');
    await settle();
    expect(rig.fetches).toHaveLength(1);
    rig.receive(left('bob', '127.0.0.1:5002', 3), '127.0.0.1:9000');
    rig.receive(joined('carol', '127.0.0.1:5003', 4), '127.0.0.1:9000');
    rig.receive(left('bob', '127.0.0.1:5002', 3), '127.0.0.1:9000');
    rig.receive(joined('carol', '127.0.0.1:5003', 4), '127.0.0.1:9000');
    expect(users(rig).sort()).toEqual(['alice', 'carol']);
    expect(value(rig)).toMatchObject({ online: { presence: 'live' } });
  });

  it('waits briefly on a gap, then fetches the list again', async () => {
    const rig = startPeer({ fetchList: async (_, attempt) => (attempt === 1 ? aliceAndBob(2) : imstateList(4, [{ name: 'alice', endpoint: '127.0.0.1:5001' }, { name: 'dave', endpoint: '127.0.0.1:5004' }])) });
    await online(rig, 2);
    rig.receive(joined('dave', '127.0.0.1:5004', 4), '127.0.0.1:9000');
    expect(value(rig)).toMatchObject({ online: { presence: 'gap' } });
    rig.advance(500);
    await settle();
    expect(rig.fetches).toHaveLength(2);
    expect(value(rig)).toMatchObject({ online: { presence: 'live' } });
    expect(users(rig).sort()).toEqual(['alice', 'dave']);
  });

  it('closes a gap without a fetch when the late datagram comes in time', async () => {
    const rig = startPeer({ fetchList: async () => aliceAndBob(2) });
    await online(rig, 2);
    rig.receive(joined('dave', '127.0.0.1:5004', 4), '127.0.0.1:9000');
    rig.advance(200);
    rig.receive(left('bob', '127.0.0.1:5002', 3), '127.0.0.1:9000');
    expect(value(rig)).toMatchObject({ online: { presence: 'live' } });
    rig.advance(1000);
    expect(rig.fetches).toHaveLength(1);
  });

  it('resyncs when a pong says the server is ahead', async () => {
    const rig = startPeer({ fetchList: async (_, attempt) => (attempt === 1 ? aliceAndBob(2) : aliceAndBob(5)) });
    await online(rig, 2);
    rig.advance(1000);
    expect(rig.sent().at(-1)).toEqual({ to: '127.0.0.1:9000', message: { type: 'ping', name: 'alice', session: 's-alice' } });
    rig.receive({ type: 'pong', seq: 5 }, '127.0.0.1:9000');
    rig.advance(500);
    await settle();
    expect(rig.fetches).toHaveLength(2);
    expect(value(rig)).toMatchObject({ online: { presence: 'live' } });
  });
});

describe('peer: server restart and heartbeats', () => {
  it('logs in again when the server says it does not know us', async () => {
    const rig = startPeer({ fetchList: async () => aliceAndBob(1) });
    await online(rig, 1);
    const before = logins(rig).length;
    rig.receive({ type: 'unknown', name: 'alice' }, '127.0.0.1:9000');
    expect(value(rig)).toBe('reconnecting');
    expect(logins(rig)).toHaveLength(before + 1);
    rig.receive(imstateAccept(1), '127.0.0.1:9000');
    await settle();
    expect(value(rig)).toMatchObject({ online: { presence: 'live' } });
    expect(rig.fetches).toHaveLength(2);
  });

  it('ignores an unknown for another name', async () => {
    const rig = startPeer({ fetchList: async () => aliceAndBob(1) });
    await online(rig, 1);
    rig.receive({ type: 'unknown', name: 'bob' }, '127.0.0.1:9000');
    expect(value(rig)).toMatchObject({ online: { presence: 'live' } });
  });

  it('pings every hb and logs in again after three unanswered pings', async () => {
    const rig = startPeer({ fetchList: async () => aliceAndBob(1) });
    await online(rig, 1);
    rig.advance(1000);
    rig.receive({ type: 'pong', seq: 1 }, '127.0.0.1:9000');
    rig.advance(3000);
    expect(types(rig).filter((t) => t === 'ping')).toHaveLength(4);
    expect(value(rig)).toMatchObject({ online: { heartbeat: 'beating' } });
    rig.advance(1000);
    expect(value(rig)).toBe('reconnecting');
  });

  it('fails when a newer login of its name replaces it, instead of fighting back', async () => {
    const rig = startPeer({ fetchList: async () => aliceAndBob(1) });
    await online(rig, 1);
    rig.receive(left('alice', '127.0.0.1:5001', 2, 'replaced'), '127.0.0.1:9000');
    expect(value(rig)).toBe('failed');
    expect(rig.actor.getSnapshot().output?.reason).toMatch(/from another place, which replaced this session/);
  });

  it('says where the replacing login came from when the notice names it', async () => {
    const rig = startPeer({ fetchList: async () => aliceAndBob(1) });
    await online(rig, 1);
    const notice = { ...left('alice', '127.0.0.1:5001', 2, 'replaced'), by: { family: 'IPv4', address: '127.0.0.1', port: 5077 } } as Message;
    rig.receive(notice, '127.0.0.1:9000');
    expect(value(rig)).toBe('failed');
    expect(rig.actor.getSnapshot().output?.reason).toBe('alice logged in again from 127.0.0.1:5077, which replaced this session');
  });
});

describe('peer: logging out', () => {
  it('finishes as soon as an imstate server confirms', async () => {
    const rig = startPeer({ fetchList: async () => aliceAndBob(1) });
    await online(rig, 1);
    rig.actor.send({ type: 'LOGOUT' });
    expect(rig.sent().at(-1)?.message).toEqual({
      type: 'logout',
      name: 'alice',
      endpoint: { family: 'IPv4', address: '127.0.0.1', port: 5001 },
      session: 's-alice',
      extensions: [],
    });
    expect(value(rig)).toBe('loggingOut');
    rig.receive(left('bob', '127.0.0.1:5002', 2), '127.0.0.1:9000');
    expect(value(rig)).toBe('loggingOut');
    rig.receive(left('alice', '127.0.0.1:5001', 3), '127.0.0.1:9000');
    expect(value(rig)).toBe('loggedOut');
    expect(rig.actor.getSnapshot().status).toBe('done');
  });

  it('finishes after the timeout when the confirmation never comes', async () => {
    const rig = startPeer({ fetchList: async () => aliceAndBob(1) });
    await online(rig, 1);
    rig.actor.send({ type: 'LOGOUT' });
    rig.advance(999);
    expect(value(rig)).toBe('loggingOut');
    rig.advance(1);
    expect(value(rig)).toBe('loggedOut');
    expect(rig.emitted.some((e) => e.type === 'log' && /did not confirm/.test(e.text))).toBe(true);
  });

  it('finishes at once before any socket, and after a login that was never accepted', async () => {
    const idle = startPeer();
    idle.actor.send({ type: 'LOGOUT' });
    expect(value(idle)).toBe('loggedOut');
    expect(idle.sent()).toEqual([]);
    const waiting = startPeer();
    waiting.actor.send({ type: 'LOGIN' });
    await settle();
    waiting.actor.send({ type: 'LOGOUT' });
    expect(value(waiting)).toBe('loggedOut');
    // Not yet known to be classic, so the logout names the session: an imstate server must not take it as
    // "remove whoever holds the name" (a classic server reads fields 1-3 and forwards the rest, which is ignored).
    const logout = waiting.sent().at(-1)?.message;
    expect(logout).toMatchObject({ type: 'logout' });
    expect(logout?.type === 'logout' && logout.session).toBe('s-alice');
  });
});

describe('peer: against a classic server', () => {
  it('sends only the classic datagrams', async () => {
    const rig = startPeer({ fetchList: async () => ({ list: 'alice,127.0.0.1:5001;bob,127.0.0.1:5002;end' }) });
    rig.actor.send({ type: 'LOGIN' });
    await settle();
    rig.advance(500);
    rig.receive(classicAccept(9001), '127.0.0.1:9000');
    await settle();
    expect(value(rig)).toEqual({ online: { presence: 'live', heartbeat: 'off' } });
    rig.receive(classic('login', 'carol', '127.0.0.1:5003'), '127.0.0.1:9000');
    rig.actor.send({ type: 'SAY', to: 'carol', text: 'hi, carol', id: 'm1', time: '10:41:40' });
    rig.actor.send({ type: 'SAY', to: 'bob', text: 'hello', id: 'm2', time: '10:41:41' });
    rig.advance(60_000);
    rig.actor.send({ type: 'LOGOUT' });
    expect(value(rig)).toBe('loggedOut');
    expect(types(rig)).toEqual(['login', 'login', 'talk', 'talk', 'logout']);
    const sent = rig.sent();
    // On the wire: no appended field at all (a classic party's datagrams, exactly).
    const texts = sent.slice(2).map((s) => formatMessage(s.message));
    expect(texts.every((text) => text.ok && !text.value.includes('='))).toBe(true);
    expect(sent[2]).toEqual({ to: '127.0.0.1:5003', message: { type: 'talk', time: '10:41:40', name: 'alice', text: 'hi, carol' } });
    expect(rig.emitted.filter((e) => e.type === 'talk.status').map((e) => e.type === 'talk.status' && e.status)).toEqual(['sent', 'sent']);
  });
});

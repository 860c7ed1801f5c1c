/**
 * The peer machine through an outage of its server, on a simulated clock: it keeps its list and talks peer to peer
 * while it logs in again with backoff (forever, or as many tries as asked), says where each try stands, and comes
 * back online with a fresh list; a first login that gets no answer says so from its second try.
 */
import { describe, expect, it } from 'vitest';
import { replicaUsers } from '../../src/presence/index.js';
import { loginRetryOf } from '../../machines/peer.retry.js';
import type { FetchedList } from '../../machines/peer.wire.js';
import { settle, startPeer, type PeerRig } from './support/harness.js';
import { imstateAccept, imstateList, rtalk } from './support/wire.js';

const SERVER = '127.0.0.1:9000';
const value = (rig: PeerRig): unknown => rig.actor.getSnapshot().value;
const logins = (rig: PeerRig): number => rig.sent().filter((s) => s.message.type === 'login').length;
const retry = (rig: PeerRig) => loginRetryOf(rig.actor.getSnapshot());
const listed = (rig: PeerRig): string[] => replicaUsers(rig.actor.getSnapshot().context.replica).map((u) => u.name);
const aliceAndBob = (seq: number): FetchedList =>
  imstateList(seq, [
    { name: 'alice', endpoint: '127.0.0.1:5001' },
    { name: 'bob', endpoint: '127.0.0.1:5002' },
  ]);

/** A peer online with bob listed, heartbeats every 1 s, whose server then stops answering (3 pings unanswered). */
const lostServer = async (options: Parameters<typeof startPeer>[0] = {}): Promise<PeerRig> => {
  const rig = startPeer({ fetchList: async () => aliceAndBob(1), ...options });
  rig.actor.send({ type: 'LOGIN' });
  await settle();
  rig.receive(imstateAccept(1), SERVER);
  await settle();
  expect(value(rig)).toMatchObject({ online: { heartbeat: 'beating' } });
  rig.advance(4000);
  expect(value(rig)).toBe('reconnecting');
  return rig;
};

describe('peer: an outage of the server', () => {
  it('keeps its list and logs in again with backoff, forever by default, saying which try and how long to the next', async () => {
    const rig = await lostServer();
    expect(listed(rig)).toEqual(['alice', 'bob']);
    const before = logins(rig);
    expect(retry(rig)).toEqual({ attempt: 1, inMs: 2000, reconnecting: true });
    rig.advance(2000);
    expect(retry(rig)).toEqual({ attempt: 2, inMs: 4000, reconnecting: true });
    rig.advance(4000);
    expect(retry(rig)).toEqual({ attempt: 3, inMs: 8000, reconnecting: true });
    // Backoff up to its cap (30 s), and on: 40 more tries are still not the end.
    rig.advance(8000 + 16000);
    expect(retry(rig)?.inMs).toBe(30_000);
    for (let i = 0; i < 40; i++) rig.advance(30_000);
    expect(value(rig)).toBe('reconnecting');
    expect(logins(rig) - before).toBe(44);
    expect(rig.sent().filter((s) => s.message.type === 'login').every((s) => s.to === SERVER)).toBe(true);
    expect(listed(rig)).toEqual(['alice', 'bob']);
  });

  it('talks peer to peer meanwhile: a message to a listed user goes to its endpoint and is delivered on its receipt', async () => {
    const rig = await lostServer();
    rig.actor.send({ type: 'SAY', to: 'bob', text: 'still here?', id: 'm1', time: 't' });
    const out = rig.sent().at(-1);
    expect(out).toMatchObject({ to: '127.0.0.1:5002', message: { type: 'rtalk', id: 'm1', text: 'still here?' } });
    rig.receive({ type: 'receipt', id: 'm1', name: 'bob' }, '127.0.0.1:5002');
    expect(rig.emitted).toContainEqual({ type: 'talk.status', id: 'm1', to: 'bob', status: 'delivered' });
    rig.receive(rtalk('b1', 'bob', 'yes'), '127.0.0.1:5002');
    expect(rig.emitted).toContainEqual({ type: 'talk.received', from: 'bob', time: '10:41:40', text: 'yes', id: 'b1' });
    expect(value(rig)).toBe('reconnecting');
  });

  it('comes back online by itself when the server answers again, with the new server’s list', async () => {
    const rig = await lostServer({ fetchList: async (_address, attempt) => (attempt === 1 ? aliceAndBob(7) : imstateList(2, [{ name: 'alice', endpoint: '127.0.0.1:5001' }, { name: 'carol', endpoint: '127.0.0.1:5003' }])) });
    rig.advance(2000 + 4000);
    // A restarted server numbers its events afresh (2 < 7): the list is taken as it is, not as an old one.
    rig.receive(imstateAccept(2), SERVER);
    await settle();
    expect(value(rig)).toMatchObject({ online: { presence: 'live', heartbeat: 'beating' } });
    expect(listed(rig)).toEqual(['alice', 'carol']);
    expect(retry(rig)).toBeUndefined();
  });

  it('gives up after the tries asked for, with a sentence that says so', async () => {
    const rig = await lostServer({ input: { options: { reconnectTries: 3 } } });
    expect(retry(rig)).toEqual({ attempt: 1, inMs: 2000, of: 3, reconnecting: true });
    rig.advance(2000 + 4000 + 7999);
    expect(value(rig)).toBe('reconnecting');
    rig.advance(1);
    expect(value(rig)).toBe('failed');
    expect(rig.actor.getSnapshot().output).toEqual({
      reason: 'no answer from 127.0.0.1:9000 after 3 tries to log in again — is the server running?',
    });
  });

  it('a list that cannot be fetched after the Accept sends it back to logging in, not to failed', async () => {
    let fetches = 0;
    const rig = await lostServer({
      fetchList: async () => {
        fetches += 1;
        if (fetches === 1) return aliceAndBob(1);
        throw new Error('connection refused');
      },
    });
    rig.receive(imstateAccept(1), SERVER);
    await settle();
    expect(value(rig)).toMatchObject({ fetchingList: 'waiting' });
    for (let i = 0; i < 3; i++) {
      rig.advance(3000);
      await settle();
    }
    expect(value(rig)).toBe('reconnecting');
    expect(rig.emitted).toContainEqual(expect.objectContaining({ type: 'log', kind: 'list', text: expect.stringMatching(/no user list .* logging in again/) }));
  });

  it('a server that forgot the session (it restarted) is asked again the same way, talk going on meanwhile', async () => {
    const rig = startPeer({ fetchList: async () => aliceAndBob(1) });
    rig.actor.send({ type: 'LOGIN' });
    await settle();
    rig.receive(imstateAccept(1), SERVER);
    await settle();
    rig.receive({ type: 'unknown', name: 'alice' }, SERVER);
    expect(value(rig)).toBe('reconnecting');
    rig.actor.send({ type: 'SAY', to: 'bob', text: 'hi', id: 'm1', time: 't' });
    expect(rig.emitted).toContainEqual({ type: 'talk.status', id: 'm1', to: 'bob', status: 'sending' });
  });
});

describe('peer: a first login that gets no answer', () => {
  it('says nothing at its first try, then which try of how many and the wait, until it gives up', async () => {
    const rig = startPeer();
    rig.actor.send({ type: 'LOGIN' });
    await settle();
    expect(value(rig)).toBe('awaitingAccept');
    expect(retry(rig)).toBeUndefined();
    rig.advance(500);
    expect(retry(rig)).toEqual({ attempt: 2, inMs: 1000, of: 5, reconnecting: false });
    rig.advance(1000);
    expect(retry(rig)).toEqual({ attempt: 3, inMs: 2000, of: 5, reconnecting: false });
    rig.advance(2000 + 4000 + 8000);
    expect(value(rig)).toBe('failed');
    expect(retry(rig)).toBeUndefined();
  });
});

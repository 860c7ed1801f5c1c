/**
 * What the peer machine does with the server's trust: it keeps the session secret its `Accept` carried and sends it
 * on every `ping` and on its `logout`; it proves a login its list fetch did not prove (the list came back without
 * it) with a `ping` at once; and it turns a `Refuse` into a sentence a person can read.
 */
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/protocol/index.js';
import { settle, startPeer, type PeerRig } from './support/harness.js';
import { imstateAccept, imstateList } from './support/wire.js';

const SECRET = 'Zm9vYmFyYmF6';
const acceptWithSecret = (seq: number): Message => ({ ...imstateAccept(seq), secret: SECRET } as Message);
const pings = (rig: PeerRig) => rig.sent().flatMap((s) => (s.message.type === 'ping' ? [s.message] : []));
const logouts = (rig: PeerRig) => rig.sent().flatMap((s) => (s.message.type === 'logout' ? [s.message] : []));
const withAlice = imstateList(1, [{ name: 'alice', endpoint: '127.0.0.1:5001' }]);
const withoutAlice = imstateList(1, [{ name: 'bob', endpoint: '127.0.0.1:5002' }]);

const loggedIn = async (rig: PeerRig, accept: Message): Promise<void> => {
  rig.actor.send({ type: 'LOGIN' });
  await settle();
  rig.receive(accept, '127.0.0.1:9000');
  await settle();
};

describe('peer: the session secret', () => {
  it('sends the secret on every ping and on its logout; none when the Accept carried none', async () => {
    const rig = startPeer({ fetchList: async () => withAlice });
    await loggedIn(rig, acceptWithSecret(1));
    expect(rig.actor.getSnapshot().value).toEqual({ online: { presence: 'live', heartbeat: 'beating' } });
    // Listed: the list fetch proved the login, so no ping goes out before the first heartbeat.
    expect(pings(rig)).toEqual([]);
    rig.advance(1000);
    expect(pings(rig)).toEqual([{ type: 'ping', name: 'alice', session: 's-alice', secret: SECRET }]);
    rig.actor.send({ type: 'LOGOUT' });
    expect(logouts(rig)).toEqual([expect.objectContaining({ session: 's-alice', secret: SECRET })]);

    const plain = startPeer({ fetchList: async () => withAlice });
    await loggedIn(plain, imstateAccept(1));
    plain.advance(1000);
    expect(pings(plain)).toEqual([{ type: 'ping', name: 'alice', session: 's-alice' }]);
    plain.actor.send({ type: 'LOGOUT' });
    expect(logouts(plain)[0]).not.toHaveProperty('secret');
  });

  it('proves its login with a ping at once when the fetched list does not show it (NAT, several addresses)', async () => {
    const rig = startPeer({ fetchList: async () => withoutAlice });
    await loggedIn(rig, acceptWithSecret(1));
    expect(pings(rig)).toEqual([{ type: 'ping', name: 'alice', session: 's-alice', secret: SECRET }]);
    // The pong says the server moved on (alice's join): the replica sees the gap and fetches the list again.
    rig.receive({ type: 'pong', seq: 2 }, '127.0.0.1:9000');
    await settle();
    expect(rig.actor.getSnapshot().value).toMatchObject({ online: { presence: 'gap' } });
  });
});

describe('peer: a Refuse', () => {
  it('fails with the reason as a sentence, and keeps an unknown reason as it came', async () => {
    const rig = startPeer();
    rig.actor.send({ type: 'LOGIN' });
    await settle();
    rig.receive({ type: 'Refuse', reason: 'name-taken,holder=127.0.0.2,retry=30' }, '127.0.0.1:9000');
    expect(rig.actor.getSnapshot().value).toBe('failed');
    expect(rig.actor.getSnapshot().output).toEqual({
      reason:
        'the server refused the login: alice is already online from 127.0.0.2 (a live session the server will not replace from another host); try again in 30 s',
    });
    const other = startPeer();
    other.actor.send({ type: 'LOGIN' });
    await settle();
    other.receive({ type: 'Refuse', reason: 'closed for maintenance' }, '127.0.0.1:9000');
    expect(other.actor.getSnapshot().output).toEqual({ reason: 'the server refused the login: closed for maintenance' });
  });
});

describe('peer: a list port that moved', () => {
  it('asks again with its login when a fetch fails, and fetches from the port the new Accept names', async () => {
    let calls = 0;
    const rig = startPeer({
      fetchList: async (address) => {
        calls++;
        if (address.port === 9001) throw new Error('refused');
        return withAlice;
      },
    });
    await loggedIn(rig, acceptWithSecret(1));
    const loginsBefore = rig.sent().filter((s) => s.message.type === 'login').length;
    expect(loginsBefore).toBe(2);
    // The restarted server answers the login with its new list port; the next try goes there.
    rig.receive({ ...acceptWithSecret(0), tcpPort: 9101 } as Message, '127.0.0.1:9000');
    rig.advance(3000);
    await settle();
    expect(rig.fetches.map((f) => f.port)).toEqual([9001, 9101]);
    expect(calls).toBe(2);
    expect(rig.actor.getSnapshot().value).toMatchObject({ online: {} });
  });
});

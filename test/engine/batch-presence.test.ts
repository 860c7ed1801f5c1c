/**
 * Batched presence over loopback: a real imstate peer (it says `batch=1`) learns of others from batch datagrams; a
 * raw socket that logged in as a batch peer gets batches of at most the server's `batchBytes` and no per-event
 * datagram; a classic peer still gets exactly the classic datagram, one per event; an imstate peer without
 * `batch=1` gets the sequenced one. (That a busy round packs many events is test/engine/batch-rounds.test.ts's.)
 */
import { createSocket, type Socket } from 'node:dgram';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeDatagram, type BatchMessage, type Message } from '../../src/protocol/index.js';
import { createLab, current, entries, until, waitFor, type Lab } from './support/harness.js';

const utf16 = (text: string): Buffer => Buffer.from(text, 'utf16le');

/** A raw UDP socket on loopback that keeps every datagram it gets, decoded. */
const rawPeer = async (lab: Lab): Promise<{ socket: Socket; endpoint: string; got: { bytes: Buffer; message?: Message }[] }> => {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  lab.defer(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  const got: { bytes: Buffer; message?: Message }[] = [];
  socket.on('message', (bytes) => {
    const decoded = decodeDatagram(bytes);
    got.push({ bytes, ...(decoded.ok ? { message: decoded.value } : {}) });
  });
  return { socket, endpoint: `127.0.0.1:${socket.address().port}`, got };
};

let lab: Lab;
beforeEach(async () => {
  lab = await createLab();
});
afterEach(async () => {
  await lab.cleanup();
});

describe('batched presence over loopback', () => {
  it('batch peers get batches, imstate peers without batch=1 the sequenced datagram, classic peers the classic one', async () => {
    // Heartbeats slow enough that the raw peers, which never ping, do not expire during the test.
    // Sixteen users on this one host: more than the per-host defaults allow.
    const server = await lab.server({ batchBytes: 300, heartbeatMs: 60_000, trust: { maxSessionsPerAddress: 64, loginBurst: 64 } });
    const { udpPort } = server.address;
    const batcher = await rawPeer(lab);
    const sequenced = await rawPeer(lab);
    const classic = await rawPeer(lab);
    const logIn = async (peer: { socket: Socket; endpoint: string; got: { message?: Message }[] }, text: string): Promise<void> => {
      peer.socket.send(utf16(text), udpPort, '127.0.0.1');
      await until(() => peer.got.some(({ message }) => message?.type === 'Accept'), `the Accept for ${text}`);
      // Then prove the login came from here, as peers do: an imstate peer pings with its secret, a classic one
      // fetches the list over TCP.
      const accept = peer.got.find(({ message }) => message?.type === 'Accept')?.message;
      if (accept?.type !== 'Accept') return;
      const [, name = '', , , session = ''] = text.split(',');
      if (accept.secret !== undefined) {
        peer.socket.send(utf16(`ping,${name},${session.replace('session=', '')},secret=${accept.secret}`), udpPort, '127.0.0.1');
      } else {
        const list = connect({ host: '127.0.0.1', port: accept.tcpPort });
        list.on('data', () => undefined);
        list.on('error', () => undefined);
        await new Promise<void>((resolve) => list.once('close', () => resolve()));
      }
    };
    // Sessions as long as a real peer's: an Accept is never larger than the login that asked for it, so a login
    // with a tiny session would be answered in the classic form.
    await logIn(batcher, `login,dora,${batcher.endpoint},imstate=1,session=dora-session-01,batch=1`);
    await logIn(sequenced, `login,ivan,${sequenced.endpoint},imstate=1,session=ivan-session-01`);
    await logIn(classic, `login,carl,${classic.endpoint}`);

    // A real peer, and then twelve more at once.
    const alice = await lab.online(server, 'alice');
    await Promise.all(Array.from({ length: 12 }, (_, i) => lab.online(server, `u${i}`)));
    const everyone = ['alice', ...Array.from({ length: 12 }, (_, i) => `u${i}`)];
    await until(() => server.handle.stats()['joined'] === 16, 'sixteen joins');

    // dora: only batches (after her Accept), none over 300 bytes, together naming every later join exactly once.
    const batchSeqs = (): Set<string> => {
      const names = new Set<string>();
      for (const { message } of batcher.got) {
        if (message?.type !== 'batch') continue;
        for (const entry of (message as BatchMessage).entries) if (entry.type === 'login') names.add(entry.name);
      }
      return names;
    };
    await until(() => everyone.every((name) => batchSeqs().has(name)), 'every later join in dora\'s batches');
    // (The pong answers the ping that proved her login.)
    const afterAccept = batcher.got.slice(1).filter(({ message }) => message?.type !== 'pong');
    expect(afterAccept.every(({ message }) => message?.type === 'batch')).toBe(true);
    expect(Math.max(...afterAccept.map(({ bytes }) => bytes.length))).toBeLessThanOrEqual(300);
    const ranges = afterAccept.map(({ message }) => message as BatchMessage).map((b) => [b.first, b.first + b.entries.length - 1] as const);
    // Every event after dora's own (seq 1, which she may or may not get: her list holds it) comes once.
    const seqs = ranges.flatMap(([first, last]) => Array.from({ length: last - first + 1 }, (_, i) => first + i)).filter((seq) => seq > 1);
    expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({ length: 15 }, (_, i) => i + 2));

    // ivan: one sequenced datagram per join; carl: the classic bytes exactly, one per join.
    await until(() => sequenced.got.filter(({ message }) => message?.type === 'login').length >= 14, 'ivan hearing of every later join');
    await until(() => classic.got.filter(({ message }) => message?.type === 'login').length >= 13, 'carl hearing of every later join');
    const users = server.handle.stats();
    expect(users['batchDatagrams']).toBeGreaterThan(0);
    for (const { message } of sequenced.got.filter(({ message }) => message?.type === 'login')) {
      expect(message).toMatchObject({ type: 'login', seq: expect.any(Number), session: expect.any(String) });
    }
    const serverUsers = await current(server.handle.users$);
    const online = new Map(serverUsers.map((user) => [user.name, user.endpoint]));
    const classicLogins = classic.got.filter(({ message }) => message?.type === 'login').map(({ bytes }) => bytes.toString('utf16le'));
    for (const name of everyone) expect(classicLogins).toContain(`login,${name},${online.get(name)}`);
    expect(classicLogins.every((text) => text.split(',').length === 3)).toBe(true);

    // The real peer took its list, and what followed from batches: it sees everyone the server lists.
    await waitFor(alice.handle.users$, (users) => users.length === 16, 'alice seeing all sixteen');
    expect(entries(await current(alice.handle.users$))).toEqual(entries(serverUsers));
  });
});

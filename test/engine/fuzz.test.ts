/**
 * 10,000 hostile datagrams at a running server, and 10,000 at a running peer, over real loopback sockets: nothing
 * crashes, every malformed one is counted in `stats().rejected` and logged, nobody's list changes, and afterwards a
 * normal login and a talk still work. Seeded: `IMSTATE_FUZZ_SEED` replays a run, `IMSTATE_FUZZ_DATAGRAMS` sizes it.
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeDatagram } from '../../src/protocol/index.js';
import { createLab, current, entries, sameUsers, until, waitFor, type Lab, type LabPeer, type LabServer } from './support/harness.js';
import { hostileDatagram, type Target } from './support/hostile-datagrams.js';

const SEED = Number(process.env.IMSTATE_FUZZ_SEED ?? 20_261_123);
const COUNT = Number(process.env.IMSTATE_FUZZ_DATAGRAMS ?? 10_000);
/**
 * Sent before waiting for the target to have read them all, so that its socket buffer (208 KiB by default, and each
 * datagram costs a few KiB of it however small) never overflows on loopback.
 */
const WINDOW_BYTES = 48 * 1024;
const WINDOW_DATAGRAMS = 48;

/**
 * A raw sender on another loopback host (127.0.0.66), closed at cleanup: the server's per-host buckets then spend the
 * flood's tokens, not those of the peers on 127.0.0.1.
 */
const openSender = async (lab: Lab): Promise<Socket> => {
  const socket = createSocket('udp4');
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.66', resolve));
  socket.on('message', () => undefined); // answers (an `unknown` to a ping, a receipt) are dropped
  lab.defer(() => new Promise<void>((resolve) => socket.close(() => setImmediate(resolve))));
  return socket;
};

const send = (socket: Socket, bytes: Buffer, port: number): Promise<void> =>
  new Promise((resolve, reject) => socket.send(bytes, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())));

/**
 * Throws the seeded stream at `port`, a window at a time, waiting after each window until the target has read it:
 * every malformed datagram rejected (`stats().rejected`), every datagram counted in (`stats().datagramsIn`).
 */
const throwAt = async (
  lab: Lab,
  port: number,
  target: Target,
  stats: () => Readonly<Record<string, number>>,
): Promise<{ malformed: number; kinds: Map<string, number> }> => {
  const socket = await openSender(lab);
  const start = { in: stats().datagramsIn ?? 0, rejected: stats().rejected ?? 0 };
  const kinds = new Map<string, number>();
  let malformed = 0;
  let sent = 0;
  for (let index = 0; index < COUNT; ) {
    let bytes = 0;
    const window: Promise<void>[] = [];
    while (index < COUNT && bytes < WINDOW_BYTES && window.length < WINDOW_DATAGRAMS) {
      const datagram = hostileDatagram(SEED, index++, target);
      // The stream's own promise: a malformed datagram our decoder accepted would be a codec bug, said here plainly.
      if (datagram.malformed && decodeDatagram(datagram.bytes).ok) {
        throw new Error(`datagram ${index - 1} (${datagram.kind}) is malformed but decodes: ${datagram.bytes.toString('utf16le')}`);
      }
      if (datagram.malformed) malformed++;
      kinds.set(datagram.kind, (kinds.get(datagram.kind) ?? 0) + 1);
      bytes += datagram.bytes.length;
      sent++;
      window.push(send(socket, datagram.bytes, port));
    }
    await Promise.all(window);
    await until(
      () => (stats().rejected ?? 0) - start.rejected === malformed && (stats().datagramsIn ?? 0) - start.in >= sent,
      `the ${target} to read ${sent} datagrams and reject ${malformed} (seed ${SEED})`,
    );
  }
  return { malformed, kinds };
};

describe(`hostile datagrams (seed ${SEED}, ${COUNT} each)`, () => {
  let lab: Lab;
  let server: LabServer;
  let alice: LabPeer;
  let bob: LabPeer;
  beforeEach(async () => {
    lab = await createLab();
    // Heartbeats slow enough that a busy event loop during the flood cannot expire anyone.
    server = await lab.server({ heartbeatMs: 1_000 });
    alice = await lab.online(server, 'alice');
    bob = await lab.online(server, 'bob');
    await waitFor(alice.handle.users$, (users) => users.length === 2, 'alice to see bob');
    await waitFor(bob.handle.users$, (users) => users.length === 2, 'bob to see alice');
  });
  afterEach(() => lab.cleanup());

  /** After the flood: the lists agree, and a new login and a talk work as before. */
  const stillServing = async (): Promise<void> => {
    const carol = await lab.online(server, 'carol');
    const three = await waitFor(server.handle.users$, (users) => users.length === 3, 'the server to list carol');
    for (const peer of [alice, bob, carol]) {
      await waitFor(peer.handle.users$, (users) => sameUsers(users, three), `${peer.name}'s list to equal the server's`);
    }
    const id = await alice.handle.say('carol', 'still here, 还在');
    await waitFor(alice.handle.messages$, (m) => m.id === id && m.status === 'delivered', 'the talk to carol to be delivered');
  };

  it('at the server: every malformed one rejected and logged, the list unchanged, logins still work', async () => {
    const before = entries(await current(server.handle.users$));
    const rejectedLines = () => server.lines.filter((line) => line.kind === 'rejected').length;
    const linesBefore = rejectedLines();
    const { malformed, kinds } = await throwAt(lab, server.address.udpPort, 'server', server.handle.stats);

    expect(kinds.size).toBeGreaterThanOrEqual(9);
    expect(malformed).toBeGreaterThan(COUNT * 0.8);
    expect(rejectedLines() - linesBefore).toBe(malformed);
    expect(entries(await current(server.handle.users$))).toEqual(before);
    expect(server.handle.stats()).toMatchObject({ joined: 2 });
    expect(server.handle.stats()['left.logout']).toBeUndefined();
    for (const peer of [alice, bob]) expect(sameUsers(await current(peer.handle.users$), await current(server.handle.users$))).toBe(true);
    await stillServing();
  });

  it('at a peer: every malformed one rejected, its list and its login unchanged, talk still works', async () => {
    const before = entries(await current(alice.handle.users$));
    const { malformed } = await throwAt(lab, Number(alice.handle.endpoint?.split(':')[1]), 'peer', alice.handle.stats);

    expect(alice.handle.stats().rejected).toBe(malformed);
    expect(entries(await current(alice.handle.users$))).toEqual(before);
    expect((await current(alice.handle.state$)).value).toMatch(/^online/);
    const heard = waitFor(alice.handle.messages$, (m) => m.direction === 'in' && m.from === 'bob', 'alice to hear bob');
    await bob.handle.say('alice', 'after the storm');
    expect((await heard).text).toBe('after the storm');
    await stillServing();
  });
});

/**
 * What the server trusts, attacked over real loopback sockets, other loopback addresses standing in for other hosts
 * (127.0.0.66 the attacker, 127.0.0.77 a victim it aims at, 127.0.0.2/.3 other honest hosts):
 *
 * - a reflector: logins naming the victim's endpoint get the victim nothing, and a login naming the attacker's own
 *   host gets one Accept no larger than itself and is never listed;
 * - forged logouts, classic and imstate (the session id is public), of an imstate peer and of the original client;
 * - a takeover of a live name from another host, refused with a sentence;
 * - more than 16 users from one host, and a login flood from one host;
 * - mutated copies of every datagram the attacker can see or guess.
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRandom } from '../../src/transport/index.js';
import { startOriginalClient } from './fakes/original-client.js';
import { createLab, current, entries, until, waitFor, type Lab, type LabServer } from './support/harness.js';

const ATTACKER = '127.0.0.66';
const VICTIM = '127.0.0.77';
const utf16 = (text: string): Buffer => Buffer.from(text, 'utf16le');

/** A raw socket on `host`, recording what it receives; closed at cleanup. */
const rawSocket = async (lab: Lab, host: string): Promise<{ socket: Socket; endpoint: string; received: string[] }> => {
  const socket = createSocket('udp4');
  socket.on('error', () => undefined);
  const received: string[] = [];
  socket.on('message', (bytes) => received.push(bytes.toString('utf16le')));
  await new Promise<void>((resolve) => socket.bind(0, host, resolve));
  lab.defer(() => new Promise<void>((resolve) => socket.close(() => setImmediate(resolve))));
  return { socket, endpoint: `${host}:${socket.address().port}`, received };
};

const sendTo = (socket: Socket, server: LabServer, text: string): Promise<void> =>
  new Promise((resolve) => socket.send(utf16(text), server.address.udpPort, '127.0.0.1', () => resolve()));

const serverOf = (server: LabServer) => ({ address: server.address.host, port: server.address.udpPort });

describe('what the server trusts, attacked over loopback', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await createLab();
  });
  afterEach(() => lab.cleanup());

  it('reflects nothing at a victim, and lists no login whose host never asked', async () => {
    const server = await lab.server({ heartbeatMs: 1_000 });
    const attacker = await rawSocket(lab, ATTACKER);
    const victim = await rawSocket(lab, VICTIM);
    const logins = [
      `login,forged0,${victim.endpoint}`,
      `login,forged1,${victim.endpoint},imstate=1,session=forged1-sess`,
      // Its own host, so the source check passes: one Accept back, but no list fetch ever proves it.
      `login,forged2,${attacker.endpoint}`,
    ];
    for (const text of logins) await sendTo(attacker.socket, server, text);
    await until(() => (server.handle.stats()['rejected.source-mismatch'] ?? 0) === 2 && attacker.received.length === 2, 'the refusals and the Accept');
    expect(victim.received).toEqual([]);
    // To the sender only: a Refuse for the imstate login (a classic one cannot read it), the Accept for its own host's.
    expect(attacker.received).toEqual(['Refuse,source-mismatch', expect.stringMatching(/^Accept,\d+$/)]);
    expect((attacker.received[0] ?? '').length).toBeLessThanOrEqual((logins[1] ?? '').length);
    expect((attacker.received[1] ?? '').length).toBeLessThanOrEqual((logins[2] ?? '').length);
    expect(await current(server.handle.users$)).toEqual([]);
    expect(server.lines.filter((line) => line.kind === 'refused').map((line) => line.text)).toEqual([
      expect.stringContaining('on another address than it came from'),
      expect.stringContaining('on another address than it came from'),
    ]);
  });

  it('ignores forged logouts, classic and imstate, of an imstate peer and of the original client', async () => {
    const server = await lab.server({ heartbeatMs: 1_000 });
    const alice = await lab.online(server, 'alice');
    const classic = await startOriginalClient('bob');
    lab.defer(() => classic.close());
    await classic.login(serverOf(server));
    const both = await waitFor(server.handle.users$, (users) => users.length === 2, 'the server to list alice and bob');
    const attacker = await rawSocket(lab, ATTACKER);
    const aliceUser = both.find((user) => user.name === 'alice');
    const bobUser = both.find((user) => user.name === 'bob');
    for (const text of [
      `logout,alice,${aliceUser?.endpoint}`,
      `logout,alice,${aliceUser?.endpoint},session=${aliceUser?.session}`,
      `logout,alice,${aliceUser?.endpoint},session=${aliceUser?.session},secret=AAAAAAAAAAAA`,
      `ping,alice,${aliceUser?.session}`,
      `logout,bob,${bobUser?.endpoint}`,
    ]) {
      await sendTo(attacker.socket, server, text);
    }
    const refused = () => (server.handle.stats()['rejected.bad-secret'] ?? 0) + (server.handle.stats()['rejected.logout-source'] ?? 0);
    await until(() => refused() === 5, 'the five forgeries to be refused');
    expect(entries(await current(server.handle.users$))).toEqual(entries(both));
    expect(server.handle.stats()['left.logout']).toBeUndefined();
    // The real logouts still work: alice's carries her secret, bob's comes from his host.
    await alice.handle.logout();
    await classic.logout(serverOf(server));
    await waitFor(server.handle.users$, (users) => users.length === 0, 'both to leave');
  });

  it('refuses a live name to another host with a sentence, and keeps the holder listed', async () => {
    const server = await lab.server({ heartbeatMs: 1_000 });
    await lab.online(server, 'alice');
    const holder = await current(server.handle.users$);
    const thief = lab.peer(server, 'alice', { host: '127.0.0.2' });
    await expect(thief.handle.login()).rejects.toThrow(
      /alice is already online from 127\.0\.0\.1 \(a live session the server will not replace from another host\); try again in \d+ s/,
    );
    expect(entries(await current(server.handle.users$))).toEqual(entries(holder));
    expect(server.handle.stats()['rejected.name-taken']).toBeGreaterThanOrEqual(1);
    // From another host, a free name is fine: its list fetch comes from 127.0.0.1, so its ping proves it.
    const carol = await lab.online(server, 'carol', { host: '127.0.0.2' });
    const two = await waitFor(server.handle.users$, (users) => users.length === 2, 'the server to list carol');
    expect(two.find((user) => user.name === 'carol')?.endpoint).toBe(carol.handle.endpoint);
  });

  it('lets one host have 16 users, refuses the 17th with a sentence, and drops a login flood from one host', async () => {
    const server = await lab.server({ heartbeatMs: 1_000, trust: { loginBurst: 40 } });
    const many = await Promise.all(Array.from({ length: 16 }, (_, i) => lab.online(server, `u${i}`, { host: '127.0.0.3' })));
    await waitFor(server.handle.users$, (users) => users.length === 16, 'the server to list 16 users of 127.0.0.3');
    await expect(lab.peer(server, 'u16', { host: '127.0.0.3' }).handle.login()).rejects.toThrow(
      /this host already has as many users online as the server allows/,
    );
    expect(many.every((peer) => peer.handle.endpoint?.startsWith('127.0.0.3:'))).toBe(true);
    // A flood of logins from one host: its bucket (40 here) runs dry and the rest are dropped; another host logs in.
    const attacker = await rawSocket(lab, ATTACKER);
    for (let i = 0; i < 100; i++) await sendTo(attacker.socket, server, `login,flood${i},${attacker.endpoint}`);
    await until(() => (server.handle.stats()['rejected.login-rate'] ?? 0) >= 100 - 40, 'the flood to be dropped');
    await lab.online(server, 'dave');
    const listed = await waitFor(server.handle.users$, (users) => users.some((user) => user.name === 'dave'), 'dave');
    expect(listed.filter((user) => user.name.startsWith('flood'))).toEqual([]);
    expect(server.handle.stats()['rejected.too-many-sessions']).toBeGreaterThanOrEqual(1);
  });

  it('changes nobody for mutated copies of every datagram the attacker can see or guess', async () => {
    const server = await lab.server({ heartbeatMs: 1_000 });
    const alice = await lab.online(server, 'alice');
    const classic = await startOriginalClient('bob');
    lab.defer(() => classic.close());
    await classic.login(serverOf(server));
    const before = await waitFor(server.handle.users$, (users) => users.length === 2, 'alice and bob');
    const attacker = await rawSocket(lab, ATTACKER);
    const victim = await rawSocket(lab, VICTIM);
    const a = before.find((user) => user.name === 'alice');
    const b = before.find((user) => user.name === 'bob');
    const seeds = [
      `login,alice,${a?.endpoint},imstate=1,session=${a?.session}`,
      `login,bob,${b?.endpoint}`,
      `login,mallory,${victim.endpoint},imstate=1,session=mallory-sess`,
      `logout,alice,${a?.endpoint},session=${a?.session},secret=AAAAAAAAAAAA`,
      `logout,bob,${b?.endpoint}`,
      `ping,alice,${a?.session},secret=AAAAAAAAAAAA`,
    ];
    const random = createRandom(20_261_203);
    const alphabet = ',:;.=0123456789abcdefimstaeloguinpAB\u0000\uffff';
    const mutate = (text: string): string => {
      const chars = [...text];
      for (let k = random.intBetween(1, 3); k > 0; k--) {
        const at = random.intBetween(0, chars.length - 1);
        const roll = random.next();
        if (roll < 0.4) chars[at] = alphabet[random.intBetween(0, alphabet.length - 1)] ?? ',';
        else if (roll < 0.7) chars.splice(at, 1);
        else chars.splice(at, 0, alphabet[random.intBetween(0, alphabet.length - 1)] ?? ',');
      }
      return chars.join('');
    };
    const COUNT = 2_000;
    for (let i = 0; i < COUNT; i++) {
      await sendTo(attacker.socket, server, mutate(seeds[i % seeds.length] ?? ''));
      if (i % 50 === 49) await until(() => (server.handle.stats().datagramsIn ?? 0) >= i, 'the server to read the window');
    }
    await until(() => (server.handle.stats().datagramsIn ?? 0) >= COUNT, 'the server to read them all');
    expect(entries(await current(server.handle.users$))).toEqual(entries(before));
    expect(victim.received).toEqual([]);
    expect((await current(alice.handle.state$)).value).toMatch(/^online/);
    expect(classic.death).toBeUndefined();
  });
});

/**
 * Server messages from a stranger, at a peer of an imstate server (which sends everything from its own socket): a
 * `pong` with a huge sequence number (which would send the peer fetching the list in a loop), a classic `logout` of
 * another user (which would take them off the list), an `unknown` (which would make the peer log in again), and a
 * `Refuse` during login. Each is rejected, counted and logged, and changes nothing; the same from the server acts.
 *
 * And at the server, a `login` naming the server's own endpoint, which once made it talk to itself forever (its
 * broadcasts read back as logins and logouts, replacing every real user as they came).
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIndexServer, createPeer } from '../../src/engine/index.js';
import { createMemoryNetwork } from '../../src/transport/index.js';
import { createLab, current, entries, until, waitFor, type Lab } from './support/harness.js';

const utf16 = (text: string): Buffer => Buffer.from(text, 'utf16le');

describe('spoofed server messages at a peer', () => {
  let lab: Lab;
  let stranger: Socket;
  beforeEach(async () => {
    lab = await createLab();
    stranger = createSocket('udp4');
    stranger.on('error', () => undefined);
    await new Promise<void>((resolve) => stranger.bind(0, '127.0.0.1', resolve));
    lab.defer(() => new Promise<void>((resolve) => stranger.close(() => setImmediate(resolve))));
  });
  afterEach(() => lab.cleanup());

  const from = (socket: Socket, text: string, to: string): Promise<void> => {
    const port = Number(to.slice(to.lastIndexOf(':') + 1));
    return new Promise((resolve) => socket.send(utf16(text), port, '127.0.0.1', () => resolve()));
  };

  it('rejects a pong, a logout and an unknown from a stranger, and its list and session stay as they were', async () => {
    const server = await lab.server({ heartbeatMs: 1_000 });
    const alice = await lab.online(server, 'alice');
    const bob = await lab.online(server, 'bob');
    const both = await waitFor(alice.handle.users$, (users) => users.length === 2, 'alice to see bob');
    const at = alice.handle.endpoint ?? '';
    const listsServed = server.handle.stats().listsServed;

    await from(stranger, 'pong,1000000', at);
    await from(stranger, `logout,bob,${bob.handle.endpoint},seq=3,session=x,reason=logout`, at);
    await from(stranger, `logout,bob,${bob.handle.endpoint}`, at);
    await from(stranger, 'unknown,alice', at);
    await until(() => alice.handle.stats()['rejected.not-from-server'] === 4, 'the four spoofs to be rejected');

    expect(alice.lines.filter((line) => line.kind === 'rejected').map((line) => line.text)).toEqual([
      expect.stringMatching(/rejected a "pong" datagram from 127\.0\.0\.1:\d+: only the server .* sends those/),
      expect.stringContaining('"logout"'),
      expect.stringContaining('"logout"'),
      expect.stringContaining('"unknown"'),
    ]);
    expect((await current(alice.handle.state$)).value).toMatch(/presence\.live/);
    expect(entries(await current(alice.handle.users$))).toEqual(entries(both));
    expect(server.handle.stats()).toMatchObject({ joined: 2, listsServed });

    // The peer still hears the real server: bob's logout, forwarded from the server's socket, takes bob off.
    await bob.handle.logout();
    await waitFor(alice.handle.users$, (users) => users.length === 1, 'alice to see bob leave');
  });

  it('ignores a Refuse from a stranger during login, and fails on the same Refuse from the server', async () => {
    // A "server" that never accepts: the test answers for it, from its own socket or from the stranger's.
    const silent = createSocket('udp4');
    silent.on('error', () => undefined);
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    lab.defer(() => new Promise<void>((resolve) => silent.close(() => setImmediate(resolve))));
    const logins: string[] = [];
    silent.on('message', (bytes) => logins.push(bytes.toString('utf16le')));

    const alice = createPeer({
      name: 'alice',
      server: `127.0.0.1:${silent.address().port}`,
      timings: { loginRetryMs: 5_000, loginRetryMaxMs: 5_000 },
    });
    lab.defer(() => alice.stop());
    const login = alice.login();
    login.catch(() => undefined);
    await until(() => logins.length === 1, 'the login to reach the silent server');
    const at = logins[0]?.split(',')[2] ?? '';

    await from(stranger, 'Refuse,the name is taken', at);
    await until(() => alice.stats()['rejected.not-from-server'] === 1, 'the spoofed Refuse to be rejected');
    expect((await current(alice.state$)).value).toBe('awaitingAccept');

    await from(silent, 'Refuse,the name is taken', at);
    await expect(login).rejects.toThrow('the server refused the login: the name is taken');
  });
});

describe('a login naming the server itself', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await createLab();
  });
  afterEach(() => lab.cleanup());

  it.each([['its own address'], ['the wildcard']])('is rejected when it names %s, and real users log in undisturbed', async (which) => {
    const server = await lab.server({ heartbeatMs: 1_000 });
    const port = server.address.udpPort;
    const named = which === 'the wildcard' ? `0.0.0.0:${port}` : `127.0.0.1:${port}`;
    const stranger = createSocket('udp4');
    stranger.on('error', () => undefined);
    lab.defer(() => new Promise<void>((resolve) => stranger.close(() => setImmediate(resolve))));
    await new Promise<void>((resolve) => stranger.send(utf16(`login,evil,${named}`), port, '127.0.0.1', () => resolve()));
    await until(() => server.handle.stats()['rejected.own-endpoint'] === 1, 'the login to be rejected');
    expect(server.lines.some((line) => line.kind === 'rejected' && line.text.includes("the server's own"))).toBe(true);

    const alice = await lab.online(server, 'alice');
    const bob = await lab.online(server, 'bob');
    await waitFor(alice.handle.users$, (users) => users.length === 2, 'alice to see bob');
    expect((await current(alice.handle.state$)).value).toMatch(/^online/);
    expect(server.handle.stats()).toMatchObject({ joined: 2, datagramsIn: 3 });
    expect(server.handle.stats()['left.replaced']).toBeUndefined();
    await bob.handle.logout();
    await waitFor(alice.handle.users$, (users) => users.length === 1, 'alice to see bob leave');
  });

  it('is rejected by a wildcard-bound server for any address of this host (in memory: no real wildcard binds)', async () => {
    const network = createMemoryNetwork({ seed: 3 });
    const server = createIndexServer({ network, host: '0.0.0.0', port: 9000 });
    lab.defer(() => server.stop());
    await server.start();
    const done = new Promise<void>((resolve) => {
      const subscription = network.udp({ host: '127.0.0.1', port: 0 }).subscribe((event) => {
        if (event.type !== 'listening') return;
        for (const named of ['127.0.0.1:9000', '127.0.0.9:9000', '0.0.0.0:9000']) {
          event.socket.send(utf16(`login,evil,${named}`), { address: '127.0.0.1', port: 9000, family: 'IPv4' });
        }
        resolve();
        lab.defer(() => subscription.unsubscribe());
      });
    });
    await done;
    await until(() => server.stats()['rejected.own-endpoint'] === 3, 'all three to be rejected');
    expect(server.stats().joined).toBeUndefined();
  });
});

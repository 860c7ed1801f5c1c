/**
 * A server bound to the wildcard answers from whatever address the route to the peer picks, which need not be the
 * address the peer sent to (a multi-homed host, or a peer on the server's own machine that dialled its LAN address).
 * The original client copes (it takes the list from the Accept's source address), and so must our peer, without
 * taking a stranger's datagrams for the server's. Wildcard binds stay off the real network: this runs on the
 * in-memory network, where 127.0.0.2 reaches a server bound to 0.0.0.0 and its answers come from 127.0.0.1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createIndexServer, createPeer } from '../../src/engine/index.js';
import type { IndexServerHandle, PeerHandle } from '../../src/engine/types.js';
import { createMemoryNetwork, socketAddress, type UdpEvent } from '../../src/transport/index.js';
import { fastTimings, sameUsers, until, waitFor } from './support/harness.js';

describe('a wildcard-bound server answering from another address', () => {
  const network = createMemoryNetwork({ seed: 5 });
  const running: Array<IndexServerHandle | PeerHandle> = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((handle) => handle.stop()));
    await network.whenClosed();
  });

  it('logs in through 127.0.0.2, takes the server\u2019s answers from 127.0.0.1, and still rejects a stranger\u2019s', async () => {
    const server = createIndexServer({ network, host: '0.0.0.0', port: 9000, heartbeatMs: 50 });
    running.push(server);
    await server.start();
    const alice = createPeer({ network, name: 'alice', server: '127.0.0.2:9000', timings: fastTimings });
    const bob = createPeer({ network, name: 'bob', server: '127.0.0.2:9000', timings: fastTimings });
    running.push(alice, bob);
    await Promise.all([alice.login(), bob.login()]);
    const both = await waitFor(server.users$, (users) => users.length === 2, 'both on the server');
    await waitFor(alice.users$, (users) => sameUsers(users, both), 'alice to see bob');
    // Heartbeats are answered from 127.0.0.1:9000 too: a few of them pass and alice stays online.
    await until(() => (alice.stats().datagramsIn ?? 0) >= 5, 'alice to get a few pongs');
    expect((await waitFor(alice.state$, () => true, 'alice state')).value).toMatch(/^online/);
    expect(alice.stats()['rejected.not-from-server']).toBeUndefined();

    // A stranger on another port is still not the server.
    const stranger = network.udp({ host: '127.0.0.1', port: 0 }).subscribe((event: UdpEvent) => {
      if (event.type === 'listening') {
        const port = Number(alice.endpoint?.split(':')[1]);
        event.socket.send(Buffer.from('pong,999999', 'utf16le'), socketAddress('127.0.0.1', port));
      }
    });
    await until(() => alice.stats()['rejected.not-from-server'] === 1, 'the stranger\u2019s pong to be rejected');
    stranger.unsubscribe();
  });
});

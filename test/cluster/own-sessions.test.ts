/**
 * A server sharing a log serves the sessions the log already records under its own id when it starts (a server
 * started again with its id, or its users written before it started): it forwards other servers' joins to them, and
 * not to the sessions another server holds.
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryCluster } from '../../src/engine/cluster/memory-cluster.js';
import { createIndexServer, type IndexServerHandle } from '../../src/engine/index.js';
import type { User } from '../../src/presence/types.js';

const sockets: Socket[] = [];
const servers: IndexServerHandle[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
  for (const socket of sockets.splice(0)) socket.close();
});

/** A bound loopback socket and what it has received, as text. */
const listener = async (): Promise<{ endpoint: string; received: string[] }> => {
  const socket = createSocket('udp4');
  sockets.push(socket);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const received: string[] = [];
  socket.on('message', (bytes) => received.push(bytes.toString('utf16le')));
  return { endpoint: `127.0.0.1:${socket.address().port}`, received };
};

const until = async (check: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
};

describe('a server started on a shared log', () => {
  it('serves the sessions recorded under its own id, and only those', async () => {
    const cluster = createMemoryCluster();
    const mine = await listener();
    const theirs = await listener();
    const user = (name: string, endpoint: string): User => ({ name, endpoint, session: `s-${name}`, imstate: true });
    const own = cluster.log('first');
    const other = cluster.log('second');
    await own.open();
    await other.open();
    expect((await own.append([{ type: 'joined', user: user('alice', mine.endpoint) }], 0)).ok).toBe(true);
    expect((await other.append([{ type: 'joined', user: user('bob', theirs.endpoint) }], 1)).ok).toBe(true);

    const server = createIndexServer({ store: own, port: 0 });
    servers.push(server);
    await server.start();
    // Another server records a login: this server forwards it to alice (its own), not to bob (the other's).
    expect((await other.append([{ type: 'joined', user: user('carol', theirs.endpoint) }], 2)).ok).toBe(true);
    await until(() => mine.received.some((text) => text.startsWith('login,carol,')), 'alice to hear of carol');
    expect(theirs.received).toEqual([]);
    expect(server.stats()['datagramsOut']).toBe(1);
  });
});

/**
 * The real TCP listener against clients that misbehave: one that floods it with bytes, one that connects and then
 * neither reads nor closes, one that resets mid-write. The listener must answer everyone else all the same and
 * leave nothing open. (Raw node:net clients here, since Network.tcpConnect cannot misbehave.)
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeNetwork } from '../../src/transport/node-network.js';
import type { TcpConnection } from '../../src/transport/types.js';
import { concat, fetchAll, openTcpServer, patternBytes, text, utf8, type OpenTcpServer } from './helpers.js';

const rawClient = (port: number): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });

const closed = (socket: Socket): Promise<void> => new Promise((resolve) => socket.once('close', () => resolve()));

describe('real TCP listener against hostile clients', () => {
  let server: OpenTcpServer | undefined;
  const clients: Socket[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    server?.close();
    await nodeNetwork.whenClosed();
  });

  const listServer = (idleTimeoutMs?: number) =>
    openTcpServer(
      nodeNetwork,
      (connection: TcpConnection) => {
        connection.write(utf8('list;end'));
        connection.end();
      },
      { idleTimeoutMs },
    );

  it('answers a client that floods it with bytes, and keeps answering others', async () => {
    server = await listServer();
    const flooder = await rawClient(server.local.port);
    clients.push(flooder);
    flooder.on('error', () => undefined);
    const received: Buffer[] = [];
    flooder.on('data', (chunk: Buffer) => received.push(chunk));
    const gone = closed(flooder);
    for (let i = 0; i < 64; i++) flooder.write(patternBytes(16 * 1024, i));
    flooder.end();
    await gone;
    expect(text(concat(received))).toBe('list;end');
    expect(text(concat(await fetchAll(nodeNetwork, server.local)))).toBe('list;end');
  });

  it('cuts a client that connects and then says and reads nothing, once it has been idle', async () => {
    server = await openTcpServer(nodeNetwork, () => undefined, { idleTimeoutMs: 50 });
    const silent = await rawClient(server.local.port);
    clients.push(silent);
    silent.on('error', () => undefined);
    silent.pause();
    await closed(silent);
    expect(silent.destroyed).toBe(true);
  });

  it('survives a client that resets while the list is being written', async () => {
    const big = patternBytes(4 * 1024 * 1024, 1);
    server = await openTcpServer(nodeNetwork, (connection) => {
      connection.write(big);
      connection.end();
    });
    const rude = await rawClient(server.local.port);
    rude.once('data', () => rude.resetAndDestroy());
    rude.on('error', () => undefined);
    await closed(rude);
    const chunks = await fetchAll(nodeNetwork, server.local);
    expect(concat(chunks).length).toBe(big.length);
  });
});

/**
 * Hostile clients on the server's TCP list port: one that floods it with garbage, many that connect and never read,
 * one that resets at once. None of them hurts the server: peers still log in and get their lists, and `stop()` still
 * leaves no handle (it destroys the connections the rude clients left open).
 */
import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLab, until, waitFor, type Lab, type LabServer } from './support/harness.js';

describe('hostile TCP clients on the list port', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await createLab();
  });
  afterEach(() => lab.cleanup());

  /** A raw client of the list port, destroyed at cleanup (after the server has stopped). */
  const rawClient = (server: LabServer): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: server.address.tcpPort });
      socket.on('error', () => undefined);
      lab.defer(
        () =>
          new Promise<void>((done) => {
            if (socket.destroyed) return done();
            socket.once('close', () => setImmediate(done));
            socket.destroy();
          }),
      );
      socket.once('connect', () => resolve(socket));
      socket.once('error', reject);
    });

  it('a client that floods garbage still gets the classic list, and a peer logs in meanwhile', async () => {
    const server = await lab.server();
    const flooder = await rawClient(server);
    const received: Buffer[] = [];
    flooder.on('data', (chunk: Buffer) => received.push(chunk));
    const ended = new Promise<void>((resolve) => flooder.once('end', () => resolve()));
    const garbage = Buffer.alloc(64 * 1024, 0xff);
    for (let i = 0; i < 32; i++) flooder.write(garbage);

    const alice = await lab.online(server, 'alice');
    await waitFor(alice.handle.users$, (users) => users.length === 1, 'alice to get her list');
    await ended;
    // The flooder connected before alice logged in: its list is the empty one, `end`, then the extension string.
    expect(Buffer.concat(received).subarray(0, 4)).toEqual(Buffer.from([0x03, 0x65, 0x6e, 0x64]));
    flooder.end();
  });

  it('fifty clients that connect and never read do not stop peers from logging in', async () => {
    const server = await lab.server();
    const silent = await Promise.all(Array.from({ length: 50 }, () => rawClient(server)));
    for (const socket of silent) socket.pause();
    await until(() => (server.handle.stats().listsServed ?? 0) === 50, 'the server to serve the 50 silent clients');

    const peers = await Promise.all(['alice', 'bob', 'carol'].map((name) => lab.online(server, name)));
    for (const peer of peers) await waitFor(peer.handle.users$, (users) => users.length === 3, `${peer.name} to list all three`);
    expect(server.handle.stats().listsServed).toBeGreaterThanOrEqual(53);
  });

  it('a client that resets at once, and one that half-closes before reading, leave the server serving', async () => {
    const server = await lab.server();
    const rude = await rawClient(server);
    rude.resetAndDestroy();
    const halfClosed = await rawClient(server);
    const chunks: Buffer[] = [];
    halfClosed.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise<void>((resolve) => halfClosed.once('end', () => resolve()));
    halfClosed.end();
    await ended;
    expect(Buffer.concat(chunks).subarray(0, 4)).toEqual(Buffer.from([0x03, 0x65, 0x6e, 0x64]));

    const alice = await lab.online(server, 'alice');
    await waitFor(alice.handle.users$, (users) => users.length === 1, 'alice to get her list');
    expect(server.lines.filter((line) => line.level === 'error')).toEqual([]);
  });
});

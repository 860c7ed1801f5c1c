/**
 * Starting and stopping: `stop()` leaves no open handle (a server, a peer, a peer that failed to log in), a login to
 * a port where nothing listens gives up with a sentence a person can act on, and a second server on a port in use
 * fails to start with a readable reason. Handles are counted with `process.getActiveResourcesInfo()`.
 */
import { createSocket } from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createIndexServer, createPeer } from '../../src/engine/index.js';
import { nodeNetwork } from '../../src/transport/index.js';
import { createLab, openSockets, settledSockets, waitFor, type Lab } from './support/harness.js';

/** A UDP port where nothing listens (bound, read, and closed again, its handle released before it resolves). */
const silentPort = (): Promise<number> =>
  new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => setImmediate(() => setImmediate(() => resolve(port))));
    });
  });

describe('engine lifecycle', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await createLab();
  });
  afterEach(() => lab.cleanup());

  it('a server that started and stopped leaves no socket open', async () => {
    const before = await settledSockets();
    const server = createIndexServer();
    const address = await server.start();
    expect(address.udpPort).toBeGreaterThan(0);
    expect(address.tcpPort).toBeGreaterThan(0);
    expect(openSockets()).toBe(before + 2);
    const states: string[] = [];
    server.state$.subscribe((state) => states.push(state.value));
    await server.stop();
    expect(openSockets()).toBe(before);
    expect(states.at(-1)).toBe('stopped');
    await server.stop(); // twice is fine
    await expect(server.start()).rejects.toMatchObject({ name: 'EngineError', code: 'stopped' });
  });

  it('a server or peer stopped before it ever started opens nothing', async () => {
    const before = await settledSockets();
    await createIndexServer().stop();
    await createPeer({ name: 'never' }).stop();
    expect(openSockets()).toBe(before);
  });

  it('a peer that logged in and stopped leaves no socket open, its list fetch included', async () => {
    const server = await lab.server();
    const before = await settledSockets();
    const peer = createPeer({ name: 'alice', server: server.endpoint });
    await peer.login();
    await waitFor(peer.users$, (users) => users.length === 1, 'alice to see herself');
    expect(openSockets()).toBeGreaterThan(before);
    await peer.stop();
    // Settled: the server's end of the list fetch closes when the peer's does, a turn later.
    expect(await settledSockets()).toBe(before);
    await waitFor(server.handle.users$, (users) => users.length === 0, 'the server to drop alice');
    await expect(peer.login()).rejects.toMatchObject({ name: 'EngineError', code: 'stopped' });
  });

  it('a peer of a server that is not there gives up after its tries with a readable reason, and leaves nothing open', async () => {
    const port = await silentPort();
    const before = await settledSockets();
    const peer = createPeer({ name: 'alice', server: `127.0.0.1:${port}`, loginTries: 2, timings: { loginRetryMs: 50, loginRetryMaxMs: 50 } });
    const failure = peer.login();
    await expect(failure).rejects.toMatchObject({ name: 'EngineError', code: 'login-failed' });
    await expect(failure).rejects.toThrow(`no answer from 127.0.0.1:${port} after 2 tries — is the server running?`);
    const state = await waitFor(peer.state$, (s) => s.value === 'failed', 'the failed state');
    expect(state.reason).toContain('after 2 tries');
    await peer.stop();
    await nodeNetwork.whenClosed();
    expect(openSockets()).toBe(before);
    expect(peer.stats()).toMatchObject({ datagramsOut: 2 });
  });

  it('a second server on a UDP port in use fails to start with a readable reason and leaves nothing open', async () => {
    const first = await lab.server();
    const before = await settledSockets();
    const second = createIndexServer({ port: first.address.udpPort });
    const warn = vi.spyOn(console, 'warn');
    const failure = second.start();
    await expect(failure).rejects.toMatchObject({ name: 'EngineError', code: 'start-failed' });
    await expect(failure).rejects.toThrow(new RegExp(`127\\.0\\.0\\.1:${first.address.udpPort}.*in use`));
    await second.stop();
    expect(openSockets()).toBe(before);
    // Stopping a server that failed to start sends its ended machine nothing (XState would warn).
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
    // The first server is unharmed.
    const alice = await lab.online(first, 'alice');
    expect(alice.handle.endpoint).toBeDefined();
  });

  it('a server stopped while it is still starting closes what the start opens', async () => {
    const before = await settledSockets();
    const server = createIndexServer();
    const starting = server.start();
    await server.stop();
    await expect(starting).rejects.toMatchObject({ name: 'EngineError', code: 'start-failed' });
    await nodeNetwork.whenClosed();
    expect(openSockets()).toBe(before);
  });

  it('a peer stopped while it is still binding and logging in leaves nothing open', async () => {
    const before = await settledSockets();
    const peer = createPeer({ name: 'alice', server: `127.0.0.1:${await silentPort()}` });
    const login = expect(peer.login()).rejects.toMatchObject({ name: 'EngineError', code: 'login-failed' });
    await peer.stop();
    await login;
    expect(openSockets()).toBe(before);
  });

  it('a peer whose UDP port is in use fails to log in with a readable reason and leaves nothing open', async () => {
    const server = await lab.server();
    const alice = await lab.online(server, 'alice');
    const port = Number(alice.handle.endpoint?.split(':')[1]);
    // Not made by the lab: if it left a socket open, the lab's cleanup would find it.
    const second = createPeer({ name: 'bob', server: server.endpoint, port });
    const failure = second.login();
    await expect(failure).rejects.toMatchObject({ name: 'EngineError', code: 'login-failed' });
    await expect(failure).rejects.toThrow(new RegExp(`could not open the peer's UDP socket: .*${port}.*in use`));
    await second.stop();
  });

  it('a second server on a TCP list port in use fails the same way', async () => {
    const first = await lab.server();
    const before = await settledSockets();
    const second = createIndexServer({ tcpPort: first.address.tcpPort });
    await expect(second.start()).rejects.toThrow(new RegExp(`${first.address.tcpPort}.*in use`));
    await second.stop();
    expect(openSockets()).toBe(before);
  });

  it('a server stopped with peers online ends cleanly, and the peers stop cleanly after it', async () => {
    const server = await lab.server();
    const alice = await lab.online(server, 'alice');
    const bob = await lab.online(server, 'bob');
    await waitFor(alice.handle.users$, (users) => users.length === 2, 'alice to see bob');
    await server.handle.stop();
    // The server is gone: an imstate peer waits for a logout confirmation that never comes, then leaves anyway.
    await Promise.all([alice.handle.logout(), bob.handle.logout()]);
    expect(alice.lines.some((line) => line.kind === 'logout' && line.text.includes('did not confirm'))).toBe(true);
  });
});

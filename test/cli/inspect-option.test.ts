/**
 * `--inspect`: a real `imstate server --json --inspect` process serves the live inspector, says where on stderr, and a
 * page connected there hears of the server's actor.
 */
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { killAll, spawnJson } from './support/processes.js';

afterEach(killAll);

describe('imstate --inspect', () => {
  it('serves the inspector for a server and shows its actor there', async () => {
    const server = spawnJson(['server', '--port', '0', '--json', '--inspect']);
    await server.next('ready', (line) => line.type === 'ready');
    const url = /live inspector at (http:\/\/\S+)/.exec(server.stderr())?.[1];
    expect(url, server.stderr()).toBeDefined();
    const socket = new WebSocket(`${url!.replace(/^http/, 'ws')}ws`);
    const received: string[] = [];
    socket.on('message', (data) => received.push(String(data)));
    await once(socket, 'open');
    for (let i = 0; i < 200 && !received.some((m) => m.includes('"server"')); i++) await new Promise((r) => setTimeout(r, 25));
    expect(received.some((m) => m.includes('"server"'))).toBe(true);
    socket.close();
    await once(socket, 'close');
    server.end();
    expect(await server.exit()).toBe(0);
  });
});

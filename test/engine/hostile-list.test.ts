/**
 * Our peer against a hostile list server: it accepts the login like the original (`Accept,<tcpPort>`), then serves
 * a TCP stream that is garbage, announces a gigabyte and stops, is cut short, carries a malformed list or extension,
 * or never ends. The peer survives each, gives up after its list tries with a reason a person can read, and leaves
 * no socket open.
 */
import { createSocket } from 'node:dgram';
import { createServer, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPeer } from '../../src/engine/index.js';
import { binaryWriterString } from './fakes/wire.js';
import { createLab, type Lab } from './support/harness.js';

/** Starts a UDP "server" that answers every login with `Accept,<tcpPort>` and a TCP listener that runs `serve`. */
const hostileServer = async (lab: Lab, serve: (socket: Socket) => void): Promise<string> => {
  const tcp = createServer();
  const open = new Set<Socket>();
  tcp.on('connection', (socket) => {
    open.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => open.delete(socket));
    serve(socket);
  });
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  const address = tcp.address();
  const tcpPort = typeof address === 'object' && address !== null ? address.port : 0;
  const udp = createSocket('udp4');
  udp.on('error', () => undefined);
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  udp.on('message', (bytes) => {
    const [type, , endpoint = ''] = bytes.toString('utf16le').split(',');
    const port = Number(endpoint.slice(endpoint.lastIndexOf(':') + 1));
    if (type === 'login') udp.send(Buffer.from(`Accept,${tcpPort}`, 'utf16le'), port, '127.0.0.1');
  });
  lab.defer(async () => {
    for (const socket of open) socket.destroy();
    await Promise.all([
      new Promise<void>((resolve) => tcp.close(() => resolve())),
      new Promise<void>((resolve) => udp.close(() => resolve())),
    ]);
    await new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
  });
  return `127.0.0.1:${udp.address().port}`;
};

const cases: ReadonlyArray<readonly [string, (socket: Socket) => void, RegExp]> = [
  ['garbage', (socket) => socket.end(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])), /is malformed/],
  ['a gigabyte announced, then silence', (socket) => socket.write(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x04])), /announces 1073741824\+ bytes; the limit is/],
  ['a string cut short', (socket) => socket.end(binaryWriterString('alice,127.0.0.1:5000;end').subarray(0, 10)), /cut short/],
  ['nothing at all', (socket) => socket.end(), /without sending the user list/],
  ['a list that is not a list', (socket) => socket.end(binaryWriterString('no separators here')), /could not be read/],
  [
    'a good list and a broken extension',
    (socket) => socket.end(Buffer.concat([binaryWriterString('end'), binaryWriterString('{not an extension')])),
    /could not be read/,
  ],
  // An imstate server may send a second string, so the peer waits for the close; the list timeout ends the wait.
  ['a good list, and the connection never closes', (socket) => socket.write(binaryWriterString('end')), /no answer/],
  ['a reset', (socket) => socket.resetAndDestroy(), /closed before it finished/],
];

describe('our peer against a hostile list server', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await createLab();
  });
  afterEach(() => lab.cleanup());

  it.each(cases)('gives up on %s with a readable reason', async (_, serve, why) => {
    const server = await hostileServer(lab, serve);
    const peer = createPeer({ name: 'alice', server, timings: { listTries: 2, listTimeoutMs: 150, loginRetryMs: 2_000 } });
    lab.defer(() => peer.stop());
    const login = peer.login();
    await expect(login).rejects.toThrow(/could not get the user list from 127\.0\.0\.1:\d+ after 2 tries: /);
    await expect(login).rejects.toThrow(why);
    expect(peer.stats().datagramsOut).toBe(1);
  });
});

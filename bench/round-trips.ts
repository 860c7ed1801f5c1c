/**
 * Round trips per second against any UDP server that answers a datagram with one datagram: the load generator for
 * the login benchmark, and the raw Node server it is compared to in the same run.
 * @module
 */
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';

/** Options of {@link measureRoundTrips}. */
export interface RoundTripOptions {
  /** The server's UDP port on 127.0.0.1. */
  readonly port: number;
  /** The i-th request, given the client's own receive endpoint text (`127.0.0.1:<port>`). */
  readonly request: (i: number, self: string) => Uint8Array;
  /** Requests kept in flight at once. */
  readonly outstanding?: number;
  /** How long to measure, after a warm-up of a fifth of it. */
  readonly durationMs?: number;
}

const bind = (socket: Socket): Promise<AddressInfo> =>
  new Promise((resolve) => socket.bind(0, '127.0.0.1', () => resolve(socket.address())));

/**
 * Keeps `outstanding` requests in flight and counts replies for `durationMs`. A lost datagram is replaced after a
 * quiet spell so that loss lowers the figure instead of stalling it. Resolves with replies per second.
 */
export const measureRoundTrips = async (options: RoundTripOptions): Promise<number> => {
  const { port, request, outstanding = 64, durationMs = 1500 } = options;
  const socket = createSocket('udp4');
  const self = `127.0.0.1:${(await bind(socket)).port}`;
  let sent = 0;
  let replies = 0;
  const send = (): void => {
    socket.send(request(sent++, self), port, '127.0.0.1');
  };
  socket.on('message', () => {
    replies++;
    send();
  });
  for (let i = 0; i < outstanding; i++) send();
  // Loss on loopback is rare but would starve the window: top it up when nothing came back for a while.
  let lastReplies = 0;
  const topUp = setInterval(() => {
    if (replies === lastReplies) for (let i = 0; i < outstanding; i++) send();
    lastReplies = replies;
  }, 50);
  await new Promise((r) => setTimeout(r, durationMs / 5));
  const start = replies;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, durationMs));
  const rate = ((replies - start) * 1000) / (performance.now() - t0);
  clearInterval(topUp);
  await new Promise<void>((r) => socket.close(() => r()));
  return rate;
};

/**
 * The raw baseline: a bare dgram server that reads each `login,<name>,<endpoint>` as UTF-16LE text and answers
 * `Accept,<tcpPort>` to the endpoint it names, with no state at all. Resolves with its port and a closer.
 */
export const startRawLoginServer = async (): Promise<{ port: number; close: () => Promise<void> }> => {
  const socket = createSocket('udp4');
  const accept = Buffer.from('Accept,1', 'utf16le');
  socket.on('message', (bytes) => {
    const fields = bytes.toString('utf16le').split(',');
    const endpoint = fields[2] ?? '';
    const colon = endpoint.lastIndexOf(':');
    socket.send(accept, Number(endpoint.slice(colon + 1)), endpoint.slice(0, colon));
  });
  const { port } = await bind(socket);
  return { port, close: () => new Promise((r) => socket.close(() => r())) };
};

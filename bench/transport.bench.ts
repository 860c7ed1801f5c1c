/**
 * What the Observable wrapper costs: UDP echo round trips per second through `nodeNetwork.udp()` against a raw
 * `node:dgram` echo server answering the same datagrams in the same run (64 in flight, loopback).
 * @module
 */
import { createSocket } from 'node:dgram';
import { firstValueFrom, filter, share } from 'rxjs';
import { nodeNetwork } from '../src/transport/node-network.js';
import type { Bench } from './report.js';
import { measureRoundTrips } from './round-trips.js';

const request = Buffer.from('login,alice,127.0.0.1:47092', 'utf16le');

const rawEcho = async (): Promise<{ port: number; close: () => Promise<void> }> => {
  const socket = createSocket('udp4');
  socket.on('message', (bytes, from) => socket.send(bytes, from.port, from.address));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, close: () => new Promise((r) => socket.close(() => r())) };
};

const observableEcho = async (): Promise<{ port: number; close: () => Promise<void> }> => {
  const events = nodeNetwork.udp({ host: '127.0.0.1', port: 0 }).pipe(share());
  const subscription = events.subscribe((event) => {
    if (event.type === 'datagram') socket.send(event.bytes, event.from);
  });
  const listening = await firstValueFrom(events.pipe(filter((e) => e.type === 'listening')));
  const socket = listening.socket;
  return {
    port: socket.local.port,
    close: async () => {
      subscription.unsubscribe();
      await nodeNetwork.whenClosed();
    },
  };
};

const roundTrips = async (start: () => Promise<{ port: number; close: () => Promise<void> }>): Promise<number> => {
  const server = await start();
  try {
    return await measureRoundTrips({ port: server.port, request: () => request, outstanding: 64 });
  } finally {
    await server.close();
  }
};

const bench: Bench = async ({ quick }) => {
  // Alternate the two, best of each, so that drift in the machine's load hits both alike (one round when quick).
  let raw = 0;
  let ours = 0;
  for (let round = 0; round < (quick ? 1 : 2); round++) {
    raw = Math.max(raw, await roundTrips(rawEcho));
    ours = Math.max(ours, await roundTrips(observableEcho));
  }
  return [
    {
      name: 'UDP echo via nodeNetwork.udp() Observable',
      value: ours,
      unit: 'rt/s',
      ratio: ours / raw,
      note: `÷ raw dgram echo ${Math.round(raw)} rt/s, 64 in flight; near 1 means the wrapper is free`,
    },
  ];
};

export default bench;

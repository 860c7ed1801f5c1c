/**
 * The chaos relay does what the chaos suite relies on: about the loss asked for, duplicates and late datagrams,
 * every peer behind its own loopback address with its `login` endpoint rewritten, the server's answers handed back
 * from the front socket, peer-to-peer datagrams passed lane to lane, and a killed peer cut off both ways.
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { noFaults, startRelay, type Relay } from './relay.js';

interface Raw {
  readonly socket: Socket;
  readonly port: number;
  readonly got: { text: string; from: string }[];
}
const raws: Socket[] = [];
const relays: Relay[] = [];
const raw = async (): Promise<Raw> => {
  const socket = createSocket('udp4');
  raws.push(socket);
  const got: { text: string; from: string }[] = [];
  socket.on('message', (bytes, from) => got.push({ text: bytes.toString('utf16le'), from: `${from.address}:${from.port}` }));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { socket, port: socket.address().port, got };
};
const send = (from: Raw, text: string, port: number, address = '127.0.0.1'): Promise<void> =>
  new Promise((resolve) => from.socket.send(Buffer.from(text, 'utf16le'), port, address, () => resolve()));
const until = async (check: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 2_500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
};

afterEach(async () => {
  await Promise.all(relays.splice(0).map((relay) => relay.close()));
  await Promise.all(raws.splice(0).map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))));
});

describe('the chaos relay', () => {
  it('drops about the share asked for, duplicates and delays some, and says how many', async () => {
    const server = await raw();
    const peer = await raw();
    const relay = await startRelay({ upstream: server.port, seed: 7, faults: { loss: 0.3, duplicate: 0.1, reorder: 0.2, maxDelayMs: 20 } });
    relays.push(relay);
    // In lockstep windows, so that no socket buffer overflows on a loaded machine: every loss is the relay's.
    for (let i = 0; i < 2_000; i += 50) {
      for (let k = i; k < i + 50; k++) await send(peer, `n,${k}`, relay.port);
      await until(() => relay.counts().received === i + 50, 'the window to reach the relay');
      await until(() => relay.counts().sent === server.got.length, 'the window to be relayed');
    }
    await new Promise((resolve) => setTimeout(resolve, 40));
    await until(() => relay.counts().sent === server.got.length, 'the late ones to arrive');
    const counts = relay.counts();
    expect(counts.dropped / 2_000).toBeGreaterThan(0.25);
    expect(counts.dropped / 2_000).toBeLessThan(0.35);
    expect(counts.duplicated).toBeGreaterThan(80);
    expect(counts.reordered).toBeGreaterThan(200);
    expect(server.got.length).toBe(counts.sent);
    const order = server.got.map((d) => Number(d.text.split(',')[1]));
    expect(order.some((n, i) => i > 0 && n < (order[i - 1] ?? 0))).toBe(true); // something overtook something
  });

  it('puts each peer behind its own address, rewrites its login, and hands answers and peer datagrams back', async () => {
    const server = await raw();
    const alice = await raw();
    const bob = await raw();
    const relay = await startRelay({ upstream: server.port, seed: 1, faults: noFaults });
    relays.push(relay);
    await send(alice, `login,alice,127.0.0.1:${alice.port},imstate=1`, relay.port);
    await send(bob, `login,bob,127.0.0.1:${bob.port}`, relay.port);
    await until(() => server.got.length === 2, 'both logins');
    const aliceLane = relay.relayEndpointOf(`127.0.0.1:${alice.port}`) ?? '';
    const bobLane = relay.relayEndpointOf(`127.0.0.1:${bob.port}`) ?? '';
    expect(aliceLane).toMatch(/^127\.1\.0\.\d+:\d+$/);
    expect(aliceLane).not.toBe(bobLane);
    expect(server.got.map((d) => d.text).sort()).toEqual([`login,alice,${aliceLane},imstate=1`, `login,bob,${bobLane}`].sort());
    expect(server.got.find((d) => d.text.includes('alice'))?.from).toBe(aliceLane);

    // The server answers at the lane; alice hears it from the relay's front socket.
    const [laneHost, lanePort] = aliceLane.split(':');
    await send(server, 'Accept,1234', Number(lanePort), laneHost);
    await until(() => alice.got.length === 1, 'the Accept at alice');
    expect(alice.got[0]).toEqual({ text: 'Accept,1234', from: `127.0.0.1:${relay.port}` });

    // bob talks to alice's listed (lane) endpoint; alice hears it from bob's lane.
    await send(bob, 'talk,10:00:00,bob,hi', Number(lanePort), laneHost);
    await until(() => alice.got.length === 2, 'the talk at alice');
    expect(alice.got[1]).toEqual({ text: 'talk,10:00:00,bob,hi', from: bobLane });

    // Killed: nothing from alice reaches the server, nothing reaches alice.
    relay.kill(`127.0.0.1:${alice.port}`);
    await send(alice, 'ping,alice,s', relay.port);
    await send(server, 'pong,1', Number(lanePort), laneHost);
    await until(() => relay.counts().killed === 2, 'both to be cut off');
    expect(server.got.length).toBe(2);
    expect(alice.got.length).toBe(2);
  });
});

/**
 * The transport contract over the in-memory network (fault-free, real timers), then what only it has:
 * seeded faults, reproducibility, crashes and a simulated clock.
 */
import { filter, firstValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createMemoryNetwork } from '../../src/transport/memory-network.js';
import { networkContract } from './contract.js';
import { concat, openTcpServer, openUdp, patternBytes, rejection, text, utf8 } from './helpers.js';
import { settle, simulatedNetwork } from './simulated.js';

networkContract('in-memory network', () => ({ network: createMemoryNetwork({ seed: 42 }), checksHandles: false }));

const numbered = (i: number): Uint8Array => {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, i);
  return bytes;
};
const numberOf = (bytes: Uint8Array): number => new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);

/** Sends `count` numbered datagrams a → b at time 0, lets the network settle, returns what b got, in order. */
const burst = async (seed: number, faults: Parameters<typeof simulatedNetwork>[1], count: number) => {
  const { network, clock } = simulatedNetwork(seed, faults);
  const a = await openUdp(network);
  const b = await openUdp(network);
  const received: Array<{ n: number; at: number }> = [];
  b.events.subscribe((e) => {
    if (e.type === 'datagram') received.push({ n: numberOf(e.bytes), at: clock.now() });
  });
  for (let i = 0; i < count; i++) a.socket.send(numbered(i), b.socket.local);
  settle(network, clock);
  a.close();
  b.close();
  return { received, stats: { ...network.stats }, pending: network.pending };
};

describe('in-memory network: faults', () => {
  const N = 10_000;

  it('loses about the configured share of datagrams', async () => {
    const { received, stats } = await burst(11, { loss: 0.3 }, N);
    expect(stats.sent).toBe(N);
    expect(stats.lost / N).toBeGreaterThan(0.27);
    expect(stats.lost / N).toBeLessThan(0.33);
    expect(received.length).toBe(N - stats.lost);
    expect(stats.delivered).toBe(received.length);
  });

  it('duplicates about the configured share, and each duplicate arrives', async () => {
    const { received, stats } = await burst(12, { duplicate: 0.2 }, N);
    expect(stats.duplicated / N).toBeGreaterThan(0.17);
    expect(stats.duplicated / N).toBeLessThan(0.23);
    expect(received.length).toBe(N + stats.duplicated);
    expect(new Set(received.map((r) => r.n)).size).toBe(N);
  });

  it('reorders about the configured share: later datagrams overtake them', async () => {
    const { received, stats } = await burst(13, { reorder: 0.25 }, N);
    let highest = -1;
    let overtaken = 0;
    for (const { n } of received) {
      if (n < highest) overtaken++;
      highest = Math.max(highest, n);
    }
    expect(stats.reordered / N).toBeGreaterThan(0.22);
    expect(stats.reordered / N).toBeLessThan(0.28);
    expect(overtaken / N).toBeGreaterThan(0.22);
    expect(overtaken).toBeLessThanOrEqual(stats.reordered);
    expect(received.length).toBe(N);
  });

  it('is FIFO without faults, and delivers nothing before its delay', async () => {
    const { received } = await burst(14, {}, 1000);
    expect(received.map((r) => r.n)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    const { network, clock } = simulatedNetwork(15, { delayMs: [10, 10] });
    const a = await openUdp(network);
    const b = await openUdp(network);
    a.socket.send(utf8('late'), b.socket.local);
    clock.set(9);
    expect(network.stats.delivered).toBe(0);
    clock.set(10);
    expect(text((await b.datagrams(1))[0]!.bytes)).toBe('late');
    a.close();
    b.close();
  });

  it('draws delays within the configured range', async () => {
    const { received } = await burst(16, { delayMs: [5, 20] }, 2000);
    const times = received.map((r) => r.at);
    expect(Math.min(...times)).toBe(5);
    expect(Math.max(...times)).toBe(20);
  });

  it('replays exactly from a seed, and differs with another seed', async () => {
    const faults = { loss: 0.2, duplicate: 0.2, reorder: 0.2, delayMs: [0, 5] as const };
    const first = await burst(99, faults, 500);
    const again = await burst(99, faults, 500);
    const other = await burst(100, faults, 500);
    expect(again).toEqual(first);
    expect(other.received).not.toEqual(first.received);
  });

  it('changes faults mid-run: setFaults({}) lets everything through again', async () => {
    const { network, clock } = simulatedNetwork(17, { loss: 1 });
    const a = await openUdp(network);
    const b = await openUdp(network);
    for (let i = 0; i < 100; i++) a.socket.send(numbered(i), b.socket.local);
    settle(network, clock);
    expect(network.stats.lost).toBe(100);
    network.setFaults({});
    for (let i = 0; i < 100; i++) a.socket.send(numbered(i), b.socket.local);
    settle(network, clock);
    expect((await b.datagrams(100)).length).toBe(100);
    a.close();
    b.close();
  });

  it('flush() delivers what is due now, replies included, without moving the clock', async () => {
    const { network, clock } = simulatedNetwork(18);
    const a = await openUdp(network);
    const b = await openUdp(network);
    b.events.subscribe((e) => {
      if (e.type === 'datagram') b.socket.send(utf8(`echo ${text(e.bytes)}`), e.from);
    });
    a.socket.send(utf8('hi'), b.socket.local);
    expect(network.pending).toBe(1);
    expect(network.flush()).toBe(2);
    expect(network.pending).toBe(0);
    expect(clock.now()).toBe(0);
    expect(text((await a.datagrams(1))[0]!.bytes)).toBe('echo hi');
    a.close();
    b.close();
  });
});

describe('in-memory network: addresses, crashes and TCP', () => {
  it('sends from 127.0.0.1 when bound to the wildcard, as the OS picks for loopback', async () => {
    const { network, clock } = simulatedNetwork(20);
    const any = await openUdp(network, '0.0.0.0');
    const other = await openUdp(network, '127.0.0.2');
    any.socket.send(utf8('from where?'), other.socket.local);
    settle(network, clock);
    const [d] = await other.datagrams(1);
    expect(d!.from).toEqual({ address: '127.0.0.1', port: any.socket.local.port, family: 'IPv4' });
    other.socket.send(utf8('back'), d!.from);
    settle(network, clock);
    expect(text((await any.datagrams(1))[0]!.bytes)).toBe('back');
    const clash = await rejection(openUdp(network, '127.0.0.5', any.socket.local.port));
    expect(clash).toMatchObject({ code: 'address-in-use' });
    any.close();
    other.close();
  });

  it('crash() makes a UDP socket vanish silently and frees its port', async () => {
    const { network, clock } = simulatedNetwork(21);
    const a = await openUdp(network);
    const b = await openUdp(network);
    let ended = false;
    b.events.subscribe({ error: () => (ended = true), complete: () => (ended = true) });
    a.socket.send(utf8('in flight'), b.socket.local);
    expect(network.crash(b.socket.local)).toBe(true);
    expect(network.crash(b.socket.local)).toBe(false);
    b.socket.send(utf8('from the dead'), a.socket.local);
    a.socket.send(utf8('too late'), b.socket.local);
    settle(network, clock);
    expect(ended).toBe(false);
    expect(b.socket.sendErrors).toBe(0);
    expect(network.stats).toMatchObject({ sent: 2, delivered: 0, unroutable: 2 });
    const reborn = await openUdp(network, '127.0.0.1', b.socket.local.port);
    a.socket.send(utf8('hello again'), reborn.socket.local);
    settle(network, clock);
    expect(text((await reborn.datagrams(1))[0]!.bytes)).toBe('hello again');
    for (const s of [a, b, reborn]) s.close();
  });

  it('crash() resets a listener’s connections and later connects are refused', async () => {
    const { network, clock } = simulatedNetwork(22);
    const server = await openTcpServer(network, () => undefined);
    const stream = firstValueFrom(network.tcpConnect(server.local, { timeoutMs: 0 }).pipe(toArray()));
    settle(network, clock);
    await server.connection(0);
    expect(network.crash(server.local)).toBe(true);
    settle(network, clock);
    expect(await rejection(stream)).toMatchObject({ code: 'closed' });
    const refused = firstValueFrom(network.tcpConnect(server.local).pipe(toArray()));
    settle(network, clock);
    expect(await rejection(refused)).toMatchObject({ code: 'connection-refused' });
    server.close();
  });

  it('cuts TCP writes into seeded chunks, the same for the same seed', async () => {
    const sizes = async (seed: number): Promise<number[]> => {
      const { network, clock } = simulatedNetwork(seed, { delayMs: [0, 3] });
      const payload = patternBytes(5000);
      const server = await openTcpServer(network, (c) => {
        c.write(payload.subarray(0, 2));
        c.write(payload.subarray(2));
        c.end();
      });
      const chunks = firstValueFrom(network.tcpConnect(server.local).pipe(toArray()));
      settle(network, clock);
      const got = await chunks;
      expect(concat(got)).toEqual(payload);
      server.close();
      return got.map((c) => c.length);
    };
    const first = await sizes(30);
    expect(first.length).toBeGreaterThan(2);
    expect(await sizes(30)).toEqual(first);
    expect(await sizes(31)).not.toEqual(first);
  });

  it('times out a silent connection on the clock, not before', async () => {
    const { network, clock } = simulatedNetwork(23);
    const server = await openTcpServer(network, () => undefined);
    let outcome: unknown;
    network.tcpConnect(server.local, { timeoutMs: 50 }).subscribe({ error: (e: unknown) => (outcome = e) });
    clock.set(49);
    expect(outcome).toBeUndefined();
    clock.set(50);
    expect(outcome).toMatchObject({ name: 'TransportError', code: 'timeout' });
    server.close();
  });

  it('cuts a server connection that stays idle, so a silent client cannot hold it', async () => {
    const { network, clock } = simulatedNetwork(24);
    const server = await openTcpServer(network, () => undefined, { idleTimeoutMs: 100 });
    let completed = false;
    network.tcpConnect(server.local, { timeoutMs: 0 }).subscribe({ complete: () => (completed = true) });
    network.flush();
    clock.set(99);
    expect(completed).toBe(false);
    clock.set(100);
    network.flush();
    expect(completed).toBe(true);
    server.close();
  });

  it('reports send failures on the stream without ending it', async () => {
    const { network } = simulatedNetwork(25);
    const a = await openUdp(network);
    a.socket.send(new Uint8Array(65_508), a.socket.local);
    const [event] = await firstValueFrom(a.events.pipe(filter((e) => e.type === 'send-error'), take(1), toArray()));
    expect(event?.error.message).toContain('too large');
    expect(a.subscription.closed).toBe(false);
    a.close();
  });
});

/**
 * Reliable talk between two real peers (`createPeer`, real UDP on loopback, logged in to a real server): alice keeps
 * 32 messages to bob in flight, each `say()` counted when alice's `messages$` reports it `delivered` (bob's receipt
 * came back). The raw baseline, in the same run: two bare `node:dgram` sockets, one sending the same `rtalk`
 * datagrams, the other answering each with its `receipt`, 32 in flight: the request/receipt loop with nothing else.
 *
 * Rows: `talk-rate` (delivered per second, ÷ raw; target ≥ 0.4) and `talk-latency-p99` (99th percentile from
 * `say()` to `delivered`, ms, ÷ raw's; target ≤ 2).
 * @module
 */
import { createSocket, type Socket } from 'node:dgram';
import { filter } from 'rxjs';
import { createIndexServer, createPeer } from '../src/engine/index.js';
import type { Bench, BenchRow } from './report.js';

const IN_FLIGHT = 32;

const utf16 = (text: string): Buffer => Buffer.from(text, 'utf16le');

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

interface LoopResult {
  readonly rate: number;
  readonly p99: number;
  readonly p50: number;
}

const bound = async (): Promise<Socket> => {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket;
};

/** The raw loop: `rtalk` out, `receipt` back, 32 in flight, for `durationMs` after a warm-up of a fifth. */
const rawLoop = async (durationMs: number): Promise<LoopResult> => {
  const alice = await bound();
  const bob = await bound();
  bob.on('message', (bytes, from) => {
    const [, id = ''] = bytes.toString('utf16le').split(',', 3);
    bob.send(utf16(`receipt,${id},bob`), from.port, from.address);
  });
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let next = 0;
  let measuring = false;
  let open = true;
  // Read once: socket.address() is a system call, and a raw sender knows where it sends.
  const bobPort = bob.address().port;
  const send = (): void => {
    const id = `m${next++}`;
    sentAt.set(id, performance.now());
    alice.send(utf16(`rtalk,${id},10:41:40,alice,hello bob, 你好`), bobPort, '127.0.0.1');
  };
  alice.on('message', (bytes) => {
    const [, id = ''] = bytes.toString('utf16le').split(',', 3);
    const at = sentAt.get(id);
    if (at === undefined) return;
    sentAt.delete(id);
    if (measuring) latencies.push(performance.now() - at);
    if (open) send();
  });
  for (let i = 0; i < IN_FLIGHT; i++) send();
  await new Promise((r) => setTimeout(r, durationMs / 5));
  measuring = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, durationMs));
  const elapsed = performance.now() - t0;
  measuring = false;
  open = false;
  const rate = (latencies.length * 1000) / elapsed;
  alice.close();
  bob.close();
  return { rate, p99: percentile(latencies, 99), p50: percentile(latencies, 50) };
};

/** Ours: two peers of a real server; alice says to bob, 32 in flight, each done when `delivered`. */
const peerLoop = async (durationMs: number): Promise<LoopResult> => {
  const server = createIndexServer({ heartbeatMs: 60_000 });
  const { udpPort } = await server.start();
  const alice = createPeer({ name: 'alice', server: `127.0.0.1:${udpPort}` });
  const bob = createPeer({ name: 'bob', server: `127.0.0.1:${udpPort}` });
  await bob.login();
  await alice.login();
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let measuring = false;
  let open = true;
  let failed = 0;
  const send = (): void => {
    const at = performance.now();
    void alice.say('bob', 'hello bob, 你好').then((id) => sentAt.set(id, at), () => failed++);
  };
  const subscription = alice.messages$.pipe(filter((m) => m.direction === 'out' && (m.status === 'delivered' || m.status === 'failed'))).subscribe((m) => {
    const at = sentAt.get(m.id);
    if (at === undefined) return;
    sentAt.delete(m.id);
    if (m.status === 'failed') failed++;
    else if (measuring) latencies.push(performance.now() - at);
    if (open) send();
  });
  for (let i = 0; i < IN_FLIGHT; i++) send();
  await new Promise((r) => setTimeout(r, durationMs / 5));
  measuring = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, durationMs));
  const elapsed = performance.now() - t0;
  measuring = false;
  open = false;
  const rate = (latencies.length * 1000) / elapsed;
  // Let what is in flight finish, so that logout does not race receipts.
  await new Promise((r) => setTimeout(r, 200));
  subscription.unsubscribe();
  await alice.logout();
  await bob.logout();
  await server.stop();
  if (failed > 0) throw new Error(`${failed} reliable talks failed in the talk bench`);
  return { rate, p99: percentile(latencies, 99), p50: percentile(latencies, 50) };
};

const bench: Bench = async ({ quick }) => {
  const durationMs = quick ? 1_500 : 3_000;
  const rounds = quick ? 1 : 2;
  let raw: LoopResult = { rate: 0, p99: Infinity, p50: Infinity };
  let ours: LoopResult = { rate: 0, p99: Infinity, p50: Infinity };
  for (let round = 0; round < rounds; round++) {
    const r = await rawLoop(durationMs);
    if (r.rate > raw.rate) raw = r;
    const o = await peerLoop(durationMs);
    if (o.rate > ours.rate) ours = o;
  }
  const rows: BenchRow[] = [
    {
      name: `reliable talk, two peers, ${IN_FLIGHT} in flight`,
      figure: 'talk-rate',
      value: ours.rate,
      unit: 'delivered/s',
      baseline: raw.rate,
      ratio: ours.rate / raw.rate,
      target: 'ratio ≥ 0.4',
      note: '÷ a raw dgram rtalk/receipt loop, same datagrams; best round',
    },
    {
      name: 'reliable talk p99 latency, say() to delivered',
      figure: 'talk-latency-p99',
      value: ours.p99,
      unit: 'ms',
      baseline: raw.p99,
      ratio: ours.p99 / raw.p99,
      target: 'ratio ≤ 2',
      note: `ours ÷ raw (smaller is better); p50 ${ours.p50.toFixed(2)} ms vs ${raw.p50.toFixed(2)} ms; same round as the rate`,
    },
  ];
  return rows;
};

export default bench;

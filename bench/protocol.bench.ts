/**
 * The wire codec's speed beside the raw work it cannot avoid: decode+encode of a datagram through the codec,
 * against `Buffer` UTF-16LE decode+encode of the same text, measured in the same run.
 * @module
 */
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import type { Bench, BenchRow } from './report.js';
import { decodeDatagram, encodeDatagram } from '../src/protocol/index.js';

/** Operations per second of `op`, best of a few time-boxed rounds (the first rounds warm the JIT). */
const opsPerSecond = (op: () => unknown, rounds = 5, roundMs = 300): number => {
  let best = 0;
  for (let round = 0; round < rounds; round++) {
    let count = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < roundMs) {
      for (let i = 0; i < 1000; i++) op();
      count += 1000;
      elapsed = performance.now() - start;
    }
    best = Math.max(best, (count / elapsed) * 1000);
  }
  return best;
};

let sink: unknown;

const datagramRow = (name: string, text: string): BenchRow => {
  const bytes = Buffer.from(text, 'utf16le');
  const raw = (): void => {
    sink = Buffer.from(bytes.toString('utf16le'), 'utf16le');
  };
  const codec = (): void => {
    const message = decodeDatagram(bytes);
    if (message.ok) sink = encodeDatagram(message.value);
  };
  const rawRate = opsPerSecond(raw);
  const codecRate = opsPerSecond(codec);
  return {
    name,
    value: codecRate,
    unit: 'dgram/s',
    ratio: codecRate / rawRate,
    note: `decode+encode vs raw Buffer utf16le round trip (${Math.round(rawRate)}/s)`,
  };
};

const bench: Bench = async () => [
  datagramRow('login decode+encode', 'login,alice,127.0.0.1:47092'),
  datagramRow('login+extensions decode+encode (IPv6)', 'login,剑痴,[::1]:47092,imstate=1,session=7f3c9a10-5b2e'),
  datagramRow('talk decode+encode', 'talk,10:41:40,alice,你好, world, how are you?'),
];

export default bench;

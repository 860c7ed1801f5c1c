/**
 * The wire codec's speed beside the raw work it cannot avoid: decode+encode of a datagram through the codec,
 * against `Buffer` UTF-16LE decode+encode of the same text, measured in the same run.
 * @module
 */
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import type { Bench, BenchRow } from './report.js';
import { decodeDatagram, encodeDatagram } from '../src/protocol/index.js';

/** Operations per second of `op` over one time-boxed round. */
const rate = (op: () => unknown, roundMs: number): number => {
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < roundMs) {
    for (let i = 0; i < 1000; i++) op();
    count += 1000;
    elapsed = performance.now() - start;
  }
  return (count / elapsed) * 1000;
};

/** Best rates of `baseline` and `measured`, their rounds interleaved so that a busy machine slows both alike. */
const compare = (baseline: () => unknown, measured: () => unknown, rounds = 6, roundMs = 250): [number, number] => {
  let bestBaseline = 0;
  let bestMeasured = 0;
  for (let round = 0; round < rounds; round++) {
    bestBaseline = Math.max(bestBaseline, rate(baseline, roundMs));
    bestMeasured = Math.max(bestMeasured, rate(measured, roundMs));
  }
  return [bestBaseline, bestMeasured];
};

let sink: unknown;

const datagramRow = (name: string, text: string, rounds: number): BenchRow => {
  const bytes = Buffer.from(text, 'utf16le');
  const raw = (): void => {
    sink = Buffer.from(bytes.toString('utf16le'), 'utf16le');
  };
  const codec = (): void => {
    const message = decodeDatagram(bytes);
    if (message.ok) sink = encodeDatagram(message.value);
  };
  const [rawRate, codecRate] = compare(raw, codec, rounds);
  return {
    name,
    value: codecRate,
    unit: 'dgram/s',
    ratio: codecRate / rawRate,
    note: `decode+encode vs raw Buffer utf16le round trip (${Math.round(rawRate)}/s)`,
  };
};

const bench: Bench = async ({ quick }) => {
  // A quick run interleaves half as many rounds.
  const rounds = quick ? 3 : 6;
  return [
    datagramRow('login decode+encode', 'login,alice,127.0.0.1:47092', rounds),
    datagramRow('login+extensions decode+encode (IPv6)', 'login,剑痴,[::1]:47092,imstate=1,session=7f3c9a10-5b2e', rounds),
    datagramRow('talk decode+encode', 'talk,10:41:40,alice,你好, world, how are you?', rounds),
  ];
};

export default bench;

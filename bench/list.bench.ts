/**
 * The TCP list fetch, server side and peer side, each beside a raw baseline measured in the same run.
 *
 * The fetching client runs in a worker thread (its own event loop, the machine's other core): it connects, reads to
 * the close, counts the bytes, and connects again, `concurrency` at a time. The raw server is a bare `node:net`
 * listener that writes the very bytes our server writes (taken from a fetch of ours) and closes: the least a list
 * server can do. Both run on this thread, alternated, best of each.
 *
 * Rows:
 * - `list-fetch-1k-c32`: fetches per second of a 1,000-user list, 32 concurrent. Ratio ÷ raw; target ≥ 0.5.
 * - `list-fetch-100k`: milliseconds per fetch of a 100,000-user list, one at a time, from the kept encoding. Ratio
 *   ours ÷ raw (smaller is better); target ≤ 3.
 * - `list-encode-100k`: the first fetch after a change (the encoding itself), in ms.
 * - `list-bytes-per-user`: what one user costs on the wire, both strings, ÷ the classic list alone.
 * - `list-read-1m`: a peer reading a 1,000,000-user list (bytes framed as our server writes them, fed in 64 KiB
 *   chunks through the BinaryWriter reader, then parsed into a snapshot), in ms; full runs only.
 * @module
 */
import { createServer, type Server, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';
import { createIndexServer, type IndexServerHandle } from '../src/engine/index.js';
import { encodeListResponse } from '../src/engine/list-serve.js';
import { readUserList } from '../machines/peer.wire.js';
import { createMemoryLog, fromSnapshot, type PresenceChange, type User } from '../src/presence/index.js';
import { createBinaryStringReader, encodeBinaryString } from '../src/protocol/index.js';
import type { Bench, BenchRow } from './report.js';

/** A fetching client in a worker: `run(port, concurrency, ms)` resolves fetches done, bytes of the last, and times. */
const startFetcher = async () => {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     const net = require('node:net');
     parentPort.on('message', ({ port, concurrency, durationMs, count }) => {
       let done = 0, bytes = 0, open = true, active = 0;
       const times = [];
       const deadline = Date.now() + durationMs;
       const one = () => {
         if (!open) return;
         active++;
         const t0 = process.hrtime.bigint();
         let got = 0;
         const socket = net.connect(port, '127.0.0.1');
         socket.on('data', (chunk) => { got += chunk.length; });
         socket.on('error', () => undefined);
         socket.on('close', () => {
           active--;
           times.push(Number(process.hrtime.bigint() - t0) / 1e6);
           done++; bytes = got;
           if (Date.now() >= deadline || (count !== undefined && done >= count)) open = false;
           if (open) one();
           else if (active === 0) parentPort.postMessage({ done, bytes, times });
         });
       };
       for (let i = 0; i < concurrency; i++) one();
     });`,
    { eval: true },
  );
  return {
    run: (message: { port: number; concurrency: number; durationMs: number; count?: number }) =>
      new Promise<{ done: number; bytes: number; times: number[] }>((resolve) => {
        worker.once('message', resolve);
        worker.postMessage(message);
      }),
    close: () => worker.terminate().then(() => undefined),
  };
};

/** A bare TCP listener that writes `bytes` to each connection and closes it. */
const startRawListServer = async (bytes: Uint8Array): Promise<{ port: number; close: () => Promise<void> }> => {
  const open = new Set<Socket>();
  const server: Server = createServer((socket) => {
    open.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => open.delete(socket));
    socket.resume();
    socket.end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

const usersAt = (count: number): User[] =>
  Array.from({ length: count }, (_, i) => ({
    name: `user${i}`,
    endpoint: `127.0.0.${1 + (i % 250)}:${1024 + (i % 60_000)}`,
    session: `S${i.toString(36).padStart(11, '0')}`,
    imstate: true,
  }));

const startServer = async (count: number): Promise<{ server: IndexServerHandle; tcpPort: number }> => {
  const log = createMemoryLog();
  await log.append(usersAt(count).map((user): PresenceChange => ({ type: 'joined', user })), 0);
  const server = createIndexServer({ log, heartbeatMs: 60_000 });
  const { tcpPort } = await server.start();
  return { server, tcpPort };
};

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

const bench: Bench = async ({ quick }) => {
  const rows: BenchRow[] = [];
  const fetcher = await startFetcher();
  const rounds = quick ? 1 : 2;
  try {
    // 1,000 users, 32 concurrent fetches.
    {
      const { server, tcpPort } = await startServer(1_000);
      const first = await fetcher.run({ port: tcpPort, concurrency: 1, durationMs: 0, count: 1 });
      const bytes = encodeListResponse(fromSnapshot({ seq: 1_000, users: usersAt(1_000) }), 60_000);
      if (!bytes.ok || bytes.value.length !== first.bytes) throw new Error(`the list bench's bytes differ from the server's (${first.bytes})`);
      const raw = await startRawListServer(bytes.value);
      const durationMs = quick ? 1_000 : 2_000;
      let ours = 0;
      let rawRate = 0;
      for (let round = 0; round < rounds; round++) {
        const r = await fetcher.run({ port: raw.port, concurrency: 32, durationMs });
        rawRate = Math.max(rawRate, (r.done * 1000) / durationMs);
        const o = await fetcher.run({ port: tcpPort, concurrency: 32, durationMs });
        ours = Math.max(ours, (o.done * 1000) / durationMs);
      }
      await raw.close();
      await server.stop();
      rows.push({
        name: 'list fetch @1000 users, 32 concurrent',
        figure: 'list-fetch-1k-c32',
        value: ours,
        unit: 'fetches/s',
        baseline: rawRate,
        ratio: ours / rawRate,
        target: 'ratio ≥ 0.5',
        note: `÷ a bare net server writing the same ${first.bytes} bytes; client in a worker`,
      });
      const classic = encodeBinaryString(usersAt(1_000).map((u) => `${u.name},${u.endpoint};`).join('') + 'end').length;
      rows.push({
        name: 'list bytes per user (classic list + extension)',
        figure: 'list-bytes-per-user',
        value: first.bytes / 1_000,
        unit: 'bytes',
        baseline: classic / 1_000,
        ratio: first.bytes / classic,
        note: 'both strings ÷ the classic list alone; 12-character sessions',
      });
    }
    // 100,000 users, one fetch at a time.
    {
      const { server, tcpPort } = await startServer(100_000);
      const first = await fetcher.run({ port: tcpPort, concurrency: 1, durationMs: 0, count: 1 });
      const bytes = encodeListResponse(fromSnapshot({ seq: 100_000, users: usersAt(100_000) }), 60_000);
      if (!bytes.ok) throw new Error(bytes.error.reason);
      const raw = await startRawListServer(bytes.value);
      const count = quick ? 8 : 20;
      let ours = Infinity;
      let rawMs = Infinity;
      for (let round = 0; round < rounds; round++) {
        rawMs = Math.min(rawMs, median((await fetcher.run({ port: raw.port, concurrency: 1, durationMs: 60_000, count })).times));
        ours = Math.min(ours, median((await fetcher.run({ port: tcpPort, concurrency: 1, durationMs: 60_000, count })).times));
      }
      await raw.close();
      await server.stop();
      rows.push({
        name: 'list fetch @100000 users, one at a time',
        figure: 'list-fetch-100k',
        value: ours,
        unit: 'ms',
        baseline: rawMs,
        ratio: ours / rawMs,
        target: 'ratio ≤ 3',
        note: `ours ÷ a bare net server writing the same ${(first.bytes / 1e6).toFixed(2)} MB (smaller is better), median of ${count}`,
      });
      rows.push({
        name: 'list first fetch after a change @100000 (encoding)',
        figure: 'list-encode-100k',
        value: first.times[0] ?? NaN,
        unit: 'ms',
        baseline: rawMs,
        ratio: (first.times[0] ?? NaN) / rawMs,
        note: 'the one fetch per online-list state that encodes it; later fetches reuse the bytes',
      });
    }
    // A peer reading 1,000,000 users: full runs only (building the list takes a while).
    if (!quick) {
      const count = 1_000_000;
      const users = usersAt(count);
      const bytes = encodeListResponse(fromSnapshot({ seq: count, users }), 60_000);
      if (!bytes.ok) throw new Error(bytes.error.reason);
      const t0 = performance.now();
      const reader = createBinaryStringReader();
      const strings: string[] = [];
      for (let at = 0; at < bytes.value.length; at += 65_536) {
        const read = reader.push(bytes.value.subarray(at, at + 65_536));
        if (!read.ok) throw new Error(read.error.reason);
        strings.push(...read.value);
      }
      const [list = '', extension] = strings;
      const snapshot = readUserList(extension === undefined ? { list } : { list, extension });
      const ms = performance.now() - t0;
      if (!snapshot.ok || snapshot.value.users.length !== count) throw new Error('the 1,000,000-user list did not read back whole');
      rows.push({
        name: 'peer reads a list of 1000000 users',
        figure: 'list-read-1m',
        value: ms,
        unit: 'ms',
        note: `${(bytes.value.length / 1e6).toFixed(1)} MB in 64 KiB chunks: framing, UTF-8, parse, snapshot`,
      });
    }
  } finally {
    await fetcher.close();
  }
  return rows;
};

export default bench;

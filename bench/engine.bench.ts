/**
 * What a login costs the real index server (`createIndexServer`, real UDP on loopback) at 0, 10,000 and 100,000 users
 * online, each figure beside a raw baseline measured in the same run. The users online are preloaded: the server
 * starts on a presence log already holding them (`createIndexServer({ log })`), so no 10^5 broadcasts are needed to
 * get there; their endpoints all point at a UDP sink in a worker thread (it reads and counts, off the server's event
 * loop). The load generator is bench/round-trips.ts's (64 requests in flight, a lost one replaced after a quiet
 * spell), on a socket bound before the server starts so that its session can be in the preloaded log.
 *
 * Rows, for each number N of users online:
 * - `login again (Accept, no fan-out) @N`: login round trips per second when every login repeats an online session
 *   (same name, session and endpoint: a peer whose Accept was lost). The server finds the name, sends `Accept` again
 *   and changes nothing: the login path without the broadcast. Ratio: ÷ a raw `node:dgram` server that reads the same
 *   datagrams and answers `Accept` with no state at all (bench/round-trips.ts), alternated with ours, best of two
 *   each. Target: at least 0.25 at 10,000. The presence lookup is O(1); what still drops from 0 to 100,000
 *   is V8's garbage collector working over a bigger heap (the same drop shows at 0 users with 100,000 unrelated
 *   objects on the heap).
 * - `new-user login + fan-out @N` (N > 0): logins by names not yet online, each broadcast to all N users at the sink,
 *   8 in flight. One such login is N datagrams, so the rate falls as 1/N by nature: the ratio is ÷ that bound, the
 *   raw send rate below ÷ N (the note also gives it ÷ the raw login server). The online count grows by the logins
 *   measured, a few hundred at most.
 * - `fan-out datagrams @N`: datagrams per second the server sent during those logins, ÷ a raw dgram socket sending
 *   the same bytes to the same sink in a loop: near 1 means the engine adds little to the broadcast itself.
 * - The last two again at 100,000 with 8,972-byte batches (`batchBytes` for a jumbo-frame path; `-9k-batches`): a
 *   login at 100,000 batch peers is bound by the bytes a round sends, and this shows how far larger datagrams move it.
 * - `heap per online user @100000`: heap used, after a full GC, by a server started on a log of 100,000 users (the
 *   log's events and fold, the server's online list, the session directory), per user, ÷ the same users in a plain
 *   `Map` (smaller is better): once fresh, and once every user has pinged (every session active: the steady state),
 *   sessions as directory entries (the default); a full run also measures it with `sessionActors` (one actor per
 *   session, as when an inspector watches; made at a user's first ping).
 * @module
 */
import { createSocket, type Socket } from 'node:dgram';
import v8 from 'node:v8';
import vm from 'node:vm';
import { defaultBatchBytes } from '../src/engine/broadcast.js';
import { createIndexServer, type IndexServerHandle } from '../src/engine/index.js';
import { batchLine, packBatches } from '../src/protocol/batch.js';
import { createMemoryLog, type PresenceChange, type User } from '../src/presence/index.js';
import type { Bench, BenchRow } from './report.js';
import { acceptSecret, liftedTrust } from './lifted-trust.js';
import { startRawLoginServer } from './round-trips.js';
import { startSink } from './sink.js';

/**
 * Batch datagrams the size a jumbo-frame path carries (9,000-byte MTU less 28 bytes of IPv4 and UDP headers): the
 * `batchBytes` option for a LAN or loopback, measured beside the default to show that the login rate is bound by the
 * bytes a round sends, not by the datagrams.
 */
const JUMBO_BATCH_BYTES = 8_972;
/** The users online for each run of the rows; `batchBytes` runs only the fan-out rows, with that option. */
interface Run {
  readonly size: number;
  readonly batchBytes?: number;
}
const SIZES: readonly Run[] = [{ size: 0 }, { size: 10_000 }, { size: 100_000 }, { size: 100_000, batchBytes: JUMBO_BATCH_BYTES }];
// Quick: the fan-out at 10,000 (a round at 100,000 leaves ~800,000 datagrams to drain, over a minute on 2 cores).
const QUICK_SIZES: readonly Run[] = [{ size: 0 }, { size: 10_000 }];
const FANOUT_IN_FLIGHT = 8;

/** Thousands as `k` in a figure's name: 100000 → `100k`. */
const short = (n: number): string => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const utf16 = (text: string): Buffer => Buffer.from(text, 'utf16le');

/**
 * imstate peers say `batch=1` and get presence in batch datagrams; `IMSTATE_BENCH_UNBATCHED=1` measures them as
 * imstate peers that do not (one datagram per event each, as every peer was before batches).
 */
const batched = process.env['IMSTATE_BENCH_UNBATCHED'] !== '1';

/** N imstate users, all listening at the sink. */
const usersAt = (count: number, endpoint: string): User[] =>
  Array.from({ length: count }, (_, i) => ({ name: `user${i}`, endpoint, session: `s${i}`, imstate: true, ...(batched ? { batch: true } : {}) }));

/** A full batch datagram of logins like the bench's, for the raw socket to send as ours are sent. */
const sampleBatch = (self: string, seq: number, batchBytes: number): Uint8Array => {
  const [address = '127.0.0.1', port = '1'] = self.split(':');
  // More lines than a batch holds (a line is 30 bytes or more), so the first datagram is a full one.
  const entries = Array.from({ length: Math.ceil(batchBytes / 30) + 1 }, (_, i) => batchLine(seq + i, {
    type: 'login',
    name: `new${seq + i}`,
    endpoint: { family: 'IPv4', address, port: Number(port) },
    session: `n${seq + i}`,
    imstate: true,
  })!);
  return packBatches(entries, batchBytes)[0]!;
};

const startServer = async (
  users: readonly User[],
  options: { readonly sessionActors?: boolean; readonly batchBytes?: number } = {},
): Promise<{ server: IndexServerHandle; udpPort: number }> => {
  const log = createMemoryLog();
  await log.append(users.map((user): PresenceChange => ({ type: 'joined', user })), 0);
  const server = createIndexServer({ log, port: 0, trust: liftedTrust, ...options });
  const { udpPort } = await server.start();
  return { server, udpPort };
};

/** A bound client socket: the load generator's. Bound first, so a login can name it before the server starts. */
const bindClient = async (): Promise<{ socket: Socket; self: string }> => {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  // The new users of the fan-out rows all listen here, so it gets every batch once per new user: room for them.
  socket.setRecvBufferSize(16 * 1024 * 1024);
  return { socket, self: `127.0.0.1:${socket.address().port}` };
};

/**
 * bench/round-trips.ts's load generator on a socket bound beforehand: keeps `inFlight` requests outstanding for
 * `durationMs` (after a warm-up of a fifth of it) and returns replies per second. Only datagrams `isReply` accepts
 * count (a new user's socket also gets the broadcasts of the logins after it); a lost one is replaced after a quiet
 * spell, so that loss lowers the figure instead of stalling it.
 */
const roundTrips = async (
  socket: Socket,
  port: number,
  options: { request: (i: number) => Uint8Array; inFlight: number; durationMs: number; isReply?: (bytes: Buffer) => boolean },
): Promise<number> => {
  let sent = 0;
  let replies = 0;
  let open = true;
  const send = (): void => void socket.send(options.request(sent++), port, '127.0.0.1');
  const onMessage = (bytes: Buffer): void => {
    if (options.isReply !== undefined && !options.isReply(bytes)) return;
    replies++;
    if (open) send();
  };
  socket.on('message', onMessage);
  for (let i = 0; i < options.inFlight; i++) send();
  let lastReplies = 0;
  const topUp = setInterval(() => {
    if (replies === lastReplies) for (let i = 0; i < options.inFlight; i++) send();
    lastReplies = replies;
  }, 250);
  await new Promise((r) => setTimeout(r, options.durationMs / 5));
  const start = replies;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, options.durationMs));
  const rate = ((replies - start) * 1000) / (performance.now() - t0);
  open = false;
  clearInterval(topUp);
  // Let what is still in flight come back before the socket is measured again.
  await new Promise((r) => setTimeout(r, 50));
  socket.off('message', onMessage);
  return rate;
};

/** A raw dgram socket sending `count` copies of `bytes` to the sink: datagrams per second until the last is sent. */
const rawFanOut = async (sinkPort: number, bytes: Buffer, count: number): Promise<number> => {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    let done = 0;
    const sent = (): void => void (++done === count && resolve());
    for (let i = 0; i < count; i++) socket.send(bytes, sinkPort, '127.0.0.1', sent);
  });
  const rate = (count * 1000) / (performance.now() - t0);
  await new Promise<void>((r) => socket.close(() => r()));
  return rate;
};

/** Sends every user's `ping` from `socket`, a few hundred at a time; resolves with how many the server received. */
const pingAll = async (server: IndexServerHandle, port: number, users: readonly User[]): Promise<number> => {
  const { socket } = await bindClient();
  const received = (): number => server.stats()['datagramsIn'] ?? 0;
  const before = received();
  for (let i = 0; i < users.length; i++) {
    const user = users[i]!;
    socket.send(utf16(`ping,${user.name},${user.session}`), port, '127.0.0.1');
    // Yield so that the server (on this event loop) reads them before its socket buffer overflows.
    if (i % 256 === 255) while (received() - before < i - 512) await new Promise((r) => setImmediate(r));
  }
  for (let last = -1; received() !== last; ) {
    last = received();
    await new Promise((r) => setTimeout(r, 100));
  }
  socket.close();
  return received() - before;
};

/**
 * Heap per user of a server started on a log of `count` users: fresh (no session actor yet), then once every user
 * has pinged (one session actor each, the steady state); and of the same users in a plain Map.
 */
const heapPerUser = async (
  count: number,
  endpoint: string,
  sessionActors?: boolean,
): Promise<{ fresh: number; pinged: number; pings: number; plain: number }> => {
  gc();
  const base = process.memoryUsage().heapUsed;
  const users = usersAt(count, endpoint);
  let plainMap: Map<string, User> | undefined = new Map(users.map((user) => [user.name, user]));
  gc();
  const plain = (process.memoryUsage().heapUsed - base) / plainMap.size;
  plainMap = undefined;
  const { server, udpPort } = await startServer(users, sessionActors === undefined ? {} : { sessionActors });
  gc();
  const fresh = (process.memoryUsage().heapUsed - base) / count;
  const pings = await pingAll(server, udpPort, users);
  gc();
  const pinged = (process.memoryUsage().heapUsed - base) / count;
  await server.stop();
  return { fresh, pinged, pings, plain };
};

const bench: Bench = async ({ quick }) => {
  const rounds = quick ? 1 : 2;
  const loginMs = quick ? 1_200 : 2_500;
  // Long enough for several batch rounds (one is 100,000 datagrams: about 0.4 s on an idle machine, more when busy).
  const fanoutMs = quick ? 3_000 : 6_000;
  const rows: BenchRow[] = [];
  const sink = await startSink();
  const sinkEndpoint = `127.0.0.1:${sink.port}`;
  const raw = await startRawLoginServer();
  try {
    // First, on a quiet socket and heap: a fan-out round leaves datagrams for the socket to drain.
    const memory = await heapPerUser(100_000, sinkEndpoint);
    rows.push({
      name: 'heap per online user @100000, fresh start',
      figure: 'memory-per-user-100k-fresh',
      value: memory.fresh,
      unit: 'bytes',
      baseline: memory.plain,
      ratio: memory.fresh / memory.plain,
      note: `÷ ${Math.round(memory.plain)} bytes per user in a plain Map of the same users; log + list + directory`,
    });
    rows.push({
      name: 'heap per online user @100000, all pinged',
      figure: 'memory-per-user-100k-active',
      value: memory.pinged,
      unit: 'bytes',
      baseline: memory.plain,
      ratio: memory.pinged / memory.plain,
      target: '≤ 2048 bytes',
      note: `the same after ${memory.pings} pings (every session active), sessions as directory entries: the default without an inspector`,
    });
    if (!quick) {
      const inspected = await heapPerUser(100_000, sinkEndpoint, true);
      rows.push({
        name: 'heap per online user @100000, all pinged, session actors',
        figure: 'memory-per-user-100k-session-actors',
        value: inspected.pinged,
        unit: 'bytes',
        baseline: inspected.plain,
        ratio: inspected.pinged / inspected.plain,
        note: `after ${inspected.pings} pings with sessionActors (on when an inspector watches): one session actor per user`,
      });
    }
    for (const { size, batchBytes } of quick ? QUICK_SIZES : SIZES) {
      const suffix = batchBytes === undefined ? '' : `-${Math.round(batchBytes / 1000)}k-batches`;
      // The generator's socket is online from the start, as the session `bench`: every login below repeats it.
      const client = await bindClient();
      const bench: User = { name: 'bench', endpoint: client.self, session: 'bench', imstate: true };
      const { server, udpPort } = await startServer([...usersAt(size, sinkEndpoint), bench], batchBytes === undefined ? {} : { batchBytes });
      try {
        // (a) The online session logging in again: alternate with the raw server, best of each. Once per number of
        // users: with another batch size only the raw login server is measured again (the fan-out note compares).
        const again = utf16(`login,bench,${client.self},imstate=1,session=bench`);
        const login = { request: () => again, inFlight: 64, durationMs: loginMs };
        const measured = batchBytes === undefined;
        let rawRate = 0;
        let ours = 0;
        for (let round = 0; round < rounds; round++) {
          rawRate = Math.max(rawRate, await roundTrips(client.socket, raw.port, login));
          if (measured) ours = Math.max(ours, await roundTrips(client.socket, udpPort, login));
        }
        const joined = server.stats()['joined'] ?? 0;
        if (measured) {
          rows.push({
            name: `login again (Accept, no fan-out) @${size}`,
            figure: `login-again-${short(size)}`,
            value: ours,
            unit: 'rt/s',
            baseline: rawRate,
            ratio: ours / rawRate,
            ...(size === 10_000 ? { target: 'ratio ≥ 0.25' } : {}),
            note: `÷ raw dgram login server ${Math.round(rawRate)} rt/s, 64 in flight; ${joined} joined; target ≥ 0.25 at 10000`,
          });
        }
        if (size === 0) continue;

        // (b) New names: every login is broadcast to the `size` users at the sink.
        const fresh = await bindClient();
        const stat = (name: string): number => server.stats()[name] ?? 0;
        const before = stat('datagramsOut');
        const eventsBefore = stat('batchEvents');
        const sinkBefore = await sink.received();
        const t0 = performance.now();
        const accept = utf16('Accept');
        // A new login is listed (and fanned out) once proven: a ping with the secret its Accept carried, as a peer
        // does. Accepts come back in the order the logins went (one socket, loopback), so the k-th is new<k>'s.
        let proven = 0;
        const accepted = await roundTrips(fresh.socket, udpPort, {
          request: (i) => utf16(`login,new${i},${fresh.self},imstate=1,session=n${i}${batched ? ',batch=1' : ''}`),
          inFlight: FANOUT_IN_FLIGHT,
          durationMs: fanoutMs,
          isReply: (bytes) => {
            if (!bytes.subarray(0, accept.length).equals(accept)) return false;
            const secret = acceptSecret(bytes.toString('utf16le'));
            const k = proven++;
            if (secret !== undefined) fresh.socket.send(utf16(`ping,new${k},n${k},secret=${secret}`), udpPort, '127.0.0.1');
            return true;
          },
        });
        const elapsed = performance.now() - t0;
        const outPerSecond = ((stat('datagramsOut') - before) * 1000) / elapsed;
        // Events that went out in batch rounds meanwhile: a login counts only as fast as everyone is told of it.
        const fannedOut = ((stat('batchEvents') - eventsBefore) * 1000) / elapsed;
        const logins = batched ? Math.min(accepted, fannedOut) : accepted;
        const delivered = (await sink.received()) - sinkBefore;
        fresh.socket.close();
        const sample = utf16(`login,new123,${fresh.self},seq=${size + 123},session=n123,imstate=1`);
        const rawSends = await rawFanOut(sink.port, sample, Math.min(size, 100_000));
        // The raw socket sending datagrams the size of ours (full batches, or one event each).
        const rawOurSize = batched
          ? await rawFanOut(sink.port, Buffer.from(sampleBatch(fresh.self, size, batchBytes ?? defaultBatchBytes)), Math.min(size, 100_000))
          : rawSends;
        // The bound a login rate can reach when each login is `size` sends at the raw socket's speed.
        const bound = rawSends / size;
        rows.push({
          name: `new-user login + fan-out @${size} imstate peers${batchBytes === undefined ? '' : `, ${batchBytes}-byte batches`}`,
          figure: `login-fanout-${short(size)}-imstate${suffix}`,
          value: logins,
          unit: 'logins/s',
          baseline: bound,
          ratio: logins / bound,
          ...(size === 100_000 && batchBytes === undefined ? { target: '≥ 50 logins/s' } : {}),
          note:
            `÷ ${bound.toPrecision(3)}/s = raw dg/s ÷ ${size}, the most a login that is ${size} datagrams allows; ` +
            `${batched ? `batched: ${Math.round(accepted)} Accepts/s, ${Math.round(fannedOut)} events/s fanned out (the lower counts), ${stat('loginsHeld')} logins held; ` : 'unbatched; '}` +
            `${(logins / rawRate).toExponential(1)} of the raw login server; ${FANOUT_IN_FLIGHT} in flight`,
        });
        rows.push({
          name: `fan-out datagrams @${size}${batchBytes === undefined ? '' : `, ${batchBytes}-byte batches`}`,
          figure: `fanout-datagrams-${short(size)}${suffix}`,
          value: outPerSecond,
          unit: 'dg/s',
          baseline: rawOurSize,
          ratio: outPerSecond / rawOurSize,
          note: `÷ raw dgram send loop of datagrams our size (${batched ? 'full batches' : 'one event'}) ${Math.round(rawOurSize)} dg/s to the same sink, which read ${delivered} of ours`,
        });
      } finally {
        client.socket.close();
        await server.stop();
      }
    }
  } finally {
    await raw.close();
    await sink.close();
  }
  return rows;
};

export default bench;

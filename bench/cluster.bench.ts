/**
 * Several index servers on one Redis (`createIndexServer({ store })`): what sharing the presence log costs a login,
 * and what spreading the fan-out over servers buys.
 *
 * The cluster: 1, 2 or 3 server processes (bench/cluster/server-process.ts: each its own event loop, as on its own
 * machine) on one `redis-server` this bench starts (no persistence, on a free port, stopped by PID), sharing 30,000
 * online peers (3,000 with `--quick`), a third or a half of them logged in to each server. The peers are written to
 * the shared log before the servers start, under their server's id, so each server starts already holding its share;
 * they all "listen" at a deaf sink (bench/cluster/deaf-sink.ts) that reads nothing and costs no CPU. A login is
 * then one Lua append in Redis, followed by every server, each fanning it out to its own share: the cluster sends one
 * datagram per online peer, whichever server took the login.
 *
 * Rows:
 * - `cluster-logins-1`: new-user logins per second, each fanned out to every online peer, with 8 in flight at the
 *   one server on Redis; ratio ÷ one server on its in-process log (the same process, peers and load): the price of
 *   the shared log when fan-out dominates.
 * - `cluster-logins-2`, `cluster-logins-3`: the same with the peers spread over 2 and 3 servers, 8 logins in flight
 *   at each, all servers' listed logins together; ratio ÷ `cluster-logins-1`. On a machine of C cores, k servers, Redis and
 *   this load generator share those C cores: the ratio is bounded by about C, not k (on 2 cores, 3 servers can at
 *   best match 2). The note gives the cores the servers used.
 * - `cluster-login-latency-p50`, `cluster-login-latency-p99`: the time from a login's send until it is listed (its
 *   `Accept`, then the `pong` to the ping proving it, which the server sends once the login is in the log), one at a
 *   time, each followed by its logout so that the list stays empty (no fan-out), at a server in this process on Redis;
 *   ratio ÷ the same at a server on its in-process log: the Redis round trip a login waits for.
 * Full runs take the best of two rounds of each rate, the rounds alternating between configurations.
 * @module
 */
import { cpus } from 'node:os';
import { createIndexServer, type IndexServerHandle } from '../src/engine/index.js';
import { createRedisLog } from '../src/engine/redis/redis-log.js';
import { startRedis, type TestRedis } from '../test/cluster/support/redis-server.js';
import { startServerProcess, type ServerProcess } from './cluster/children.js';
import { startDeafSink, type DeafSink } from './cluster/deaf-sink.js';
import { loginLatencies, newUserLogins, type Latencies } from './cluster/logins.js';
import type { Bench, BenchRow } from './report.js';
import { liftedTrust } from './lifted-trust.js';

const IN_FLIGHT = 8;
/** The users written at start never ping: a heartbeat period this long keeps them online through the bench. */
const HEARTBEAT_MS = 600_000;
const LEASE_MS = 10_000;

/** One cluster's measurement: logins per second, cores the servers used, datagrams sent per login. */
interface ClusterRun {
  readonly rate: number;
  readonly perServer: readonly number[];
  readonly cores: number;
  readonly perLogin: number;
}

let runs = 0;

/**
 * Starts `servers` server processes sharing `peers` online users (on Redis, or one alone on its in-process log
 * when `redis` is undefined), measures new-user logins with fan-out, and ends every process.
 */
const measureCluster = async (
  servers: number,
  peers: number,
  redis: TestRedis | undefined,
  sink: DeafSink,
  timing: { readonly warmupMs: number; readonly durationMs: number },
): Promise<ClusterRun> => {
  const run = ++runs;
  const share = Math.ceil(peers / servers);
  const started: ServerProcess[] = [];
  try {
    // One after another: each writes its share at the log's end without racing the others.
    for (let j = 0; j < servers; j++) {
      started.push(
        await startServerProcess({
          ...(redis === undefined ? {} : { redis: { host: redis.address.host, port: redis.address.port, prefix: `bench${run}:` } }),
          serverId: `bench${run}-server${j}`,
          first: j * share,
          count: Math.min(share, peers - j * share),
          endpoint: `127.0.0.1:${sink.port}`,
          heartbeatMs: HEARTBEAT_MS,
          leaseMs: LEASE_MS,
        }),
      );
    }
    const ports: number[] = [];
    for (const server of started) ports.push(await server.start());
    const before = await Promise.all(started.map((server) => server.stats()));
    const t0 = performance.now();
    const rates = await newUserLogins(ports, { tag: `r${run}`, inFlight: IN_FLIGHT, ...timing });
    const after = await Promise.all(started.map((server) => server.stats()));
    const wall = performance.now() - t0;
    const delta = (key: string): number => after.reduce((sum, stats, j) => sum + (stats[key] ?? 0) - (before[j]?.[key] ?? 0), 0);
    return { rate: rates.total, perServer: rates.perServer, cores: delta('cpuMs') / wall, perLogin: delta('datagramsOut') / Math.max(1, rates.accepted) };
  } finally {
    await Promise.all(started.map((server) => server.stop()));
  }
};

/** Login latencies at a server in this process: on Redis when `redis` is given, else on its in-process log. */
const measureLatency = async (redis: TestRedis | undefined, count: number): Promise<Latencies> => {
  const run = ++runs;
  const server: IndexServerHandle = createIndexServer({
    port: 0,
    heartbeatMs: HEARTBEAT_MS,
    trust: liftedTrust,
    ...(redis === undefined ? {} : { store: createRedisLog({ address: redis.address, prefix: `latency${run}:`, serverId: `latency${run}`, leaseMs: LEASE_MS }) }),
  });
  try {
    const { udpPort } = await server.start();
    await loginLatencies(udpPort, { tag: `w${run}u`, count: Math.ceil(count / 10) });
    return await loginLatencies(udpPort, { tag: `l${run}u`, count });
  } finally {
    await server.stop();
  }
};

const best = (a: ClusterRun | undefined, b: ClusterRun): ClusterRun => (a === undefined || b.rate > a.rate ? b : a);
const cores = (run: ClusterRun): string => `servers used ${run.cores.toFixed(2)} cores`;

const bench: Bench = async ({ quick }) => {
  const peers = quick ? 3_000 : 30_000;
  const rounds = quick ? 1 : 2;
  const timing = quick ? { warmupMs: 500, durationMs: 1_500 } : { warmupMs: 2_000, durationMs: 6_000 };
  const latencyCount = quick ? 200 : 2_000;
  const machineCores = cpus().length;
  const redis = await startRedis();
  let sink: DeafSink | undefined;
  try {
    sink = await startDeafSink();
    let alone: ClusterRun | undefined;
    const cluster: (ClusterRun | undefined)[] = [undefined, undefined, undefined];
    for (let round = 0; round < rounds; round++) {
      alone = best(alone, await measureCluster(1, peers, undefined, sink, timing));
      for (let k = 1; k <= 3; k++) cluster[k - 1] = best(cluster[k - 1], await measureCluster(k, peers, redis, sink, timing));
    }
    const [one, two, three] = cluster as [ClusterRun, ClusterRun, ClusterRun];
    const inProcess = await measureLatency(undefined, latencyCount);
    const onRedis = await measureLatency(redis, latencyCount);

    const perServer = (run: ClusterRun): string => run.perServer.map((rate) => rate.toFixed(1)).join(' + ');
    const scaling = (run: ClusterRun, k: number): BenchRow => ({
      name: `login + fan-out, ${k} servers on one Redis @${peers} peers`,
      figure: `cluster-logins-${k}`,
      value: run.rate,
      unit: 'logins/s',
      baseline: one.rate,
      ratio: run.rate / one.rate,
      note:
        `÷ 1 server on Redis, same ${peers} peers; ${perServer(run)} logins/s, ${IN_FLIGHT} in flight each, ${run.perLogin.toFixed(0)} dg per login; ` +
        `${k} server processes + redis-server + generator on ${machineCores} cores` +
        (k > machineCores ? `, so the ratio is bounded by about ${machineCores}, not ${k}` : '') +
        `; ${cores(run)}`,
    });
    const latency = (q: 'p50' | 'p99'): BenchRow => ({
      name: `login latency ${q}, server on Redis`,
      figure: `cluster-login-latency-${q}`,
      value: onRedis[q],
      unit: 'ms',
      baseline: inProcess[q],
      ratio: onRedis[q] / inProcess[q],
      note: `÷ the same server on its in-process log; ${onRedis.samples} logins one at a time, each then logged out (empty list, no fan-out)${onRedis.lost + inProcess.lost > 0 ? `; ${onRedis.lost} + ${inProcess.lost} lost` : ''}`,
    });
    return [
      {
        name: `login + fan-out, 1 server on Redis @${peers} peers`,
        figure: 'cluster-logins-1',
        value: one.rate,
        unit: 'logins/s',
        baseline: alone!.rate,
        ratio: one.rate / alone!.rate,
        note: `÷ 1 server process on its in-process log, same ${peers} peers and load; ${IN_FLIGHT} in flight, ${one.perLogin.toFixed(0)} dg per login; ${cores(one)} (${cores(alone!).slice(13)} alone)`,
      },
      scaling(two, 2),
      scaling(three, 3),
      latency('p50'),
      latency('p99'),
    ];
  } finally {
    await sink?.close();
    await redis.stop();
  }
};

export default bench;

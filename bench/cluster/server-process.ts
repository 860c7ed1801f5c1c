/**
 * One index server in a process of its own, for bench/cluster.bench.ts: each server of a cluster gets its own event
 * loop (and, machine permitting, its own core), as it would on its own machine.
 *
 * `node --import tsx bench/cluster/server-process.ts '<json ServerProcessConfig>'`. It first writes its share of the
 * online users to its log (recorded under its own server id in Redis, or in an in-process log), says
 * `{"loaded":seq}` on stdout, then waits for lines on stdin: `start` (starts the server on that log, answers
 * `{"ready":{"udpPort":…}}`), `stats` (answers `{"stats":{…}}`, the server's counters, `cpuMs`, the process's CPU time so far, and `conflicts` and `gaveUp`, the decisions made again and the logins given up on conflicts with the shared log) and `stop` (stops the
 * server, closes the log and exits). Nothing else is written to stdout; what goes wrong goes to stderr.
 * @module
 */
import { createInterface } from 'node:readline';
import { createIndexServer, type IndexServerHandle } from '../../src/engine/index.js';
import type { SharedPresenceLog } from '../../src/engine/cluster/shared-log.js';
import { createRedisLog } from '../../src/engine/redis/redis-log.js';
import { createMemoryLog, type PresenceChange, type PresenceLog, type User } from '../../src/presence/index.js';
import { liftedTrust } from '../lifted-trust.js';

/** What the bench tells one server process. */
export interface ServerProcessConfig {
  /** The shared log in Redis, or none for the in-process log of a server alone. */
  readonly redis?: { readonly host: string; readonly port: number; readonly prefix: string };
  readonly serverId: string;
  /** This server's share of the online users: `user<first>` … `user<first + count - 1>`, all at `endpoint`. */
  readonly first: number;
  readonly count: number;
  readonly endpoint: string;
  /** Long enough that the users written at start (who never ping) do not expire during the bench. */
  readonly heartbeatMs: number;
  readonly leaseMs: number;
}

const BATCH = 500;

const config = JSON.parse(process.argv[2] ?? '{}') as ServerProcessConfig;
const say = (message: unknown): void => void process.stdout.write(`${JSON.stringify(message)}\n`);

const users: User[] = Array.from({ length: config.count }, (_, i) => ({
  name: `user${config.first + i}`,
  endpoint: config.endpoint,
  session: `s${config.first + i}`,
  imstate: true,
}));

/** Appends the users in batches at the log's end, taking the seq a refusal reports (another server wrote first). */
const preload = async (log: PresenceLog | SharedPresenceLog): Promise<number> => {
  let at = log.seq;
  for (let i = 0; i < users.length; ) {
    const changes = users.slice(i, i + BATCH).map((user): PresenceChange => ({ type: 'joined', user }));
    const result = await log.append(changes, at);
    if ('ok' in result && !result.ok) {
      at = result.seq;
      continue;
    }
    at += changes.length;
    i += changes.length;
  }
  return at;
};

const shared =
  config.redis === undefined
    ? undefined
    : createRedisLog({ address: { host: config.redis.host, port: config.redis.port, db: 0 }, prefix: config.redis.prefix, serverId: config.serverId, leaseMs: config.leaseMs });
const memory = shared === undefined ? createMemoryLog() : undefined;
await shared?.open();
say({ loaded: await preload(shared ?? memory!) });

let server: IndexServerHandle | undefined;
let conflicts = 0;
let gaveUp = 0;
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  void (async () => {
    if (line === 'start' && server === undefined) {
      server = createIndexServer({ ...(shared === undefined ? { log: memory! } : { store: shared }), port: 0, heartbeatMs: config.heartbeatMs, trust: liftedTrust });
      server.log$.subscribe((entry) => {
        // A conflict on the shared log is decided again; after a few, the login is given up (the peer retries).
        if (entry.kind === 'presence' && entry.text.includes('deciding again')) conflicts++;
        else if (entry.kind === 'presence' && entry.text.startsWith('gave up')) gaveUp++;
        else if (entry.level !== 'info') process.stderr.write(`${config.serverId}: ${entry.text}\n`);
      });
      const { udpPort } = await server.start();
      say({ ready: { udpPort } });
    } else if (line === 'stats') {
      const { user, system } = process.cpuUsage();
      say({ stats: { ...(server?.stats() ?? {}), cpuMs: (user + system) / 1000, conflicts, gaveUp } });
    }
    else if (line === 'stop') {
      lines.close();
      await server?.stop();
      if (server === undefined) await shared?.close();
      process.exit(0);
    }
  })().catch((error: unknown) => {
    process.stderr.write(`${config.serverId}: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  });
});

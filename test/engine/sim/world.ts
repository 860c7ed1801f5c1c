/**
 * A whole imstate deployment in memory: one index server and N peer slots, the real engines (and so the real machines
 * and presence reducer) on one memory network, all on one {@link SteppedClock}. The convergence property applies a
 * schedule to it, lifts the faults, lets time run, and reads what everybody believes.
 * @module
 */
import type { PeerOptions } from '../../../machines/peer.options.js';
import { createMemoryLog, type MemoryPresenceLog, type User } from '../../../src/presence/index.js';
import { createMemoryNetwork, type Faults, type MemoryNetwork } from '../../../src/transport/index.js';
import { settleFaults } from '../../../src/transport/memory-wire.js';
import { createSlots, type PeerTally, type PeerView, type Slot } from './peer-slots.js';
import { PEER_NAMES, type Action } from './schedule.js';
import { runServer, type ServerRun, type ServerTally, type ServerView } from './server-run.js';
import type { SteppedClock } from './stepped-clock.js';
import { simulatedTime } from './world-time.js';

/** The server's ports: a restarted server comes back on the same ones, as one started from the same config would. */
export const SERVER_HOST = '127.0.0.1';
export const SERVER_PORT = 9000;
export const SERVER_TCP_PORT = 9001;

/** Short heartbeats, so expiry and the pong's sequence number (which reveals a lost last event) come up in every run. */
export const SERVER_TIMINGS = { heartbeatMs: 1_000, missedHeartbeats: 3 } as const;

/**
 * Peers patient enough that giving up is a finding, not bad luck: 30 login tries with waits capped at 2 s (about a
 * minute; at 30% loss each way a try gets through about half the time) and 12 list fetches of 1 s each, both longer
 * than a schedule's total server downtime (MAX_TOTAL_DOWNTIME_MS). With the defaults (5 tries, 3 fetches) a peer
 * logging in across a long outage gives up with a readable reason, as designed; that is not what this test is about.
 */
export const PEER_TIMINGS: Partial<PeerOptions> = {
  loginRetryMs: 200,
  loginBackoff: 2,
  loginRetryMaxMs: 2_000,
  loginTries: 30,
  listTimeoutMs: 1_000,
  listTries: 12,
  resyncDelayMs: 200,
  pongMisses: 3,
  logoutTimeoutMs: 500,
};

/**
 * The longest a datagram can stay in flight under `faults` (delay plus reorder hold-back), plus 1 ms: the network's
 * "maximum segment lifetime".
 */
export const datagramLifetime = (faults: Faults): number => {
  const settled = settleFaults(faults);
  return settled.delayMax + settled.reorderMs + 1;
};

/** One user as a comparable line: name, endpoint, session, and the classic flag. */
export const userLine = (user: User): string => `${user.name}@${user.endpoint}#${user.session}${user.imstate ? '' : ' classic'}`;

/** A list as sorted {@link userLine}s (the comparison is about who is online, not about the trie's order). */
export const listLines = (users: readonly User[]): string[] => users.map(userLine).sort();

export type { PeerView } from './peer-slots.js';
export type { ServerView } from './server-run.js';

const TRACE_LINES = 400;

/** How often the paths that make convergence hard were taken in one run. */
export interface Tally extends ServerTally, PeerTally {}

/** A trace of everyone's last log lines, stamped with the time, for a failure message. */
export const createTrace = (now: () => number, size = TRACE_LINES): { note(who: string, text: string): void; text(): string } => {
  const lines: string[] = [];
  return {
    note(who, text) {
      lines.push(`${String(now()).padStart(7)} ${who}: ${text}`);
      if (lines.length > size) lines.shift();
    },
    text: () => lines.join('\n'),
  };
};

/** The deployment. Create with {@link createWorld}, then `await world.start()`. */
export interface World {
  readonly clock: SteppedClock;
  readonly network: MemoryNetwork;
  /** Starts the first server. */
  start(): Promise<void>;
  /** Applies one schedule action (after its gap). */
  apply(action: Action): Promise<void>;
  /** Lifts the faults and lets `ms` of simulated time run. */
  quiesce(ms: number): Promise<void>;
  server(): ServerView;
  peers(): PeerView[];
  /** The last log lines of everyone, stamped with the simulated time, for a failure message. */
  trace(): string;
  readonly tally: Readonly<Tally>;
  /** Stops every peer and the server; resolves when all have ended. Rejects if one does not end in `ms`. */
  close(ms?: number): Promise<void>;
}

/** Options of {@link createWorld}. */
export interface WorldOptions {
  readonly peers: number;
  readonly seed: number;
  readonly faults: Faults;
  /**
   * Let a name log in again while datagrams of its previous session may still be in flight. Off by default: the
   * server's "newer login replaces the older session" cannot tell a late copy of the old session's `login` from a
   * new login, so such a copy takes the name back (a known gap, like a TCP port reused within 2 × MSL). On, the
   * property shows it.
   */
  readonly reloginWithinLifetime?: boolean;
}

/** Builds a deployment of `peers` slots on a memory network seeded with `seed` and faulted with `faults`. */
export const createWorld = (options: WorldOptions): World => {
  const time = simulatedTime();
  const { clock } = time;
  const network = createMemoryNetwork({ seed: options.seed, faults: options.faults, clock });
  const trace = createTrace(() => clock.now());
  const { note } = trace;
  const tally: Tally = { expired: 0, replaced: 0, rejoined: 0, serverSilent: 0, resyncs: 0, batches: 0 };
  const slots = createSlots({
    names: PEER_NAMES.slice(0, options.peers),
    network,
    time,
    timings: PEER_TIMINGS,
    lifetime: datagramLifetime(options.faults),
    ...(options.reloginWithinLifetime === undefined ? {} : { reloginWithinLifetime: options.reloginWithinLifetime }),
    note,
    tally,
  });
  const address = `${SERVER_HOST}:${SERVER_PORT}`;

  let server: ServerRun | undefined;
  let generation = 0;
  let log: MemoryPresenceLog = createMemoryLog();

  const startServer = async (keepLog = false): Promise<void> => {
    if (!keepLog) log = createMemoryLog();
    const who = `server#${++generation}${keepLog ? ' (on the old log)' : ''}`;
    server = await runServer({
      who,
      network,
      time,
      note,
      tally,
      server: { log, host: SERVER_HOST, port: SERVER_PORT, tcpPort: SERVER_TCP_PORT, ...SERVER_TIMINGS },
    });
  };

  const stopServer = async (): Promise<void> => {
    const run = server;
    server = undefined;
    await run?.stop();
  };

  const leave = (slot: Slot, crash: boolean): void => {
    slot.expectedOnline = false;
    slots.end(slot, crash);
  };

  return {
    clock,
    network,
    start: () => startServer(),
    async apply(action) {
      await clock.advance(action.gapMs);
      switch (action.kind) {
        case 'login':
          return slots.login(slots.all[action.peer]!, address);
        case 'logout':
          return leave(slots.all[action.peer]!, false);
        case 'crash':
          return leave(slots.all[action.peer]!, true);
        case 'restart':
          await stopServer();
          await clock.advance(action.downtimeMs);
          return startServer(action.keepLog);
      }
    },
    async quiesce(ms) {
      network.setFaults({});
      await clock.advance(ms);
    },
    server: () => server?.view() ?? { state: 'none', users: [] },
    peers: () => slots.views(),
    trace: () => trace.text(),
    tally,
    async close(ms = 10_000) {
      let ended = false;
      const all = slots.endAll().finally(() => (ended = true));
      await clock.advance(ms);
      if (!ended) throw new Error(`a peer did not end within ${ms} ms of simulated time after logout()`);
      await all;
      await stopServer();
      slots.close();
      await clock.advance(ms);
    },
  };
};

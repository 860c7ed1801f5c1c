/**
 * A whole imstate deployment in memory: one index server and N peer slots, the real engines (and so the real machines
 * and presence reducer) on one memory network, all on one {@link SteppedClock}. The convergence property applies a
 * schedule to it, lifts the faults, lets time run, and reads what everybody believes.
 * @module
 */
import type { Subscription } from 'rxjs';
import type { PeerOptions } from '../../../machines/peer.options.js';
import { createIndexServer, createPeer, type IndexServerHandle, type LifecycleState, type PeerHandle } from '../../../src/engine/index.js';
import { createMemoryLog, type MemoryPresenceLog, type User } from '../../../src/presence/index.js';
import { parseEndpoint } from '../../../src/protocol/index.js';
import { createMemoryNetwork, type Faults, type MemoryNetwork } from '../../../src/transport/index.js';
import { settleFaults } from '../../../src/transport/memory-wire.js';
import { PEER_NAMES, type Action } from './schedule.js';
import { SteppedClock } from './stepped-clock.js';

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

/** What one peer slot is and believes. */
export interface PeerView {
  readonly name: string;
  /** The schedule's last word on this slot was a login. */
  readonly expectedOnline: boolean;
  /** The current handle's lifecycle state, or `none` when the slot has no handle. */
  readonly state: string;
  readonly reason?: string;
  readonly endpoint?: string;
  readonly users: readonly User[];
}

/** What the server is and believes. */
export interface ServerView {
  readonly state: string;
  readonly users: readonly User[];
}

interface Slot {
  readonly name: string;
  handle?: PeerHandle;
  expectedOnline: boolean;
  state: LifecycleState;
  users: readonly User[];
  subscriptions: Subscription[];
  /** Handles made so far, to tell one login's log lines from the next. */
  handles: number;
  /** When the schedule last logged this slot out or crashed it (simulated ms). */
  endedAt: number;
}

const TRACE_LINES = 400;

/** How often the paths that make convergence hard were taken in one run. */
export interface Tally {
  /** Sessions the server expired (a crashed peer, or one whose pings were all lost). */
  expired: number;
  /** Sessions replaced by a newer login of the name. */
  replaced: number;
  /** Peers told `unknown` by a server that did not know them (it restarted, or expired them). */
  rejoined: number;
  /** Peers that took the server for gone after unanswered pings. */
  serverSilent: number;
  /** Resync list fetches after a gap in the presence sequence. */
  resyncs: number;
}

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
  const clock = new SteppedClock();
  const network = createMemoryNetwork({ seed: options.seed, faults: options.faults, clock });
  const lines: string[] = [];
  const note = (who: string, text: string): void => {
    lines.push(`${String(clock.now()).padStart(7)} ${who}: ${text}`);
    if (lines.length > TRACE_LINES) lines.shift();
  };
  const endings: Promise<unknown>[] = [];
  const tally: Tally = { expired: 0, replaced: 0, rejoined: 0, serverSilent: 0, resyncs: 0 };

  let server: IndexServerHandle | undefined;
  let serverState: LifecycleState = { value: 'none' };
  let serverUsers: readonly User[] = [];
  let serverSubscriptions: Subscription[] = [];
  let generation = 0;

  const slots: Slot[] = PEER_NAMES.slice(0, options.peers).map((name) => ({
    name,
    expectedOnline: false,
    state: { value: 'none' },
    users: [],
    subscriptions: [],
    handles: 0,
    endedAt: Number.NEGATIVE_INFINITY,
  }));

  /** Runs `promise` while no simulated time passes; fails if it needs time (starting and stopping must not). */
  const withoutTime = async <T>(what: string, promise: Promise<T>): Promise<T> => {
    let settled = false;
    const watched = promise.finally(() => (settled = true));
    await clock.advance(0);
    if (!settled) throw new Error(`${what} did not settle without simulated time passing`);
    return watched;
  };

  let log: MemoryPresenceLog = createMemoryLog();

  const startServer = async (keepLog = false): Promise<void> => {
    if (!keepLog) log = createMemoryLog();
    const handle = createIndexServer({
      network,
      clock,
      log,
      host: SERVER_HOST,
      port: SERVER_PORT,
      tcpPort: SERVER_TCP_PORT,
      ...SERVER_TIMINGS,
    });
    const who = `server#${++generation}${keepLog ? ' (on the old log)' : ''}`;
    serverUsers = [];
    serverSubscriptions = [
      handle.state$.subscribe((state) => (serverState = state)),
      handle.users$.subscribe((users) => (serverUsers = users)),
      handle.log$.subscribe((line) => {
        if (line.kind === 'expired') tally.expired++;
        if (line.kind === 'replaced') tally.replaced++;
        note(who, `${line.kind}: ${line.text}`);
      }),
    ];
    server = handle;
    await withoutTime(`${who}.start()`, handle.start());
  };

  const stopServer = async (): Promise<void> => {
    const handle = server;
    if (handle === undefined) return;
    server = undefined;
    await withoutTime('server.stop()', handle.stop());
    for (const subscription of serverSubscriptions) subscription.unsubscribe();
    serverState = { value: 'none' };
    serverUsers = [];
  };

  const lifetime = datagramLifetime(options.faults);

  const login = async (slot: Slot): Promise<void> => {
    slot.expectedOnline = true;
    if (slot.handle !== undefined) return; // logged in or logging in: a second click changes nothing
    const wait = slot.endedAt + lifetime - clock.now();
    if (wait > 0 && options.reloginWithinLifetime !== true) await clock.advance(wait);
    const handle = createPeer({ name: slot.name, network, clock, server: `${SERVER_HOST}:${SERVER_PORT}`, timings: PEER_TIMINGS });
    slot.handle = handle;
    slot.state = { value: 'idle' };
    slot.users = [];
    const who = `${slot.name}#${++slot.handles}`;
    slot.subscriptions = [
      handle.state$.subscribe((state) => {
        if (state.value.includes('resyncing')) tally.resyncs++;
        if (slot.handle === handle) slot.state = state;
      }),
      handle.users$.subscribe((users) => slot.handle === handle && (slot.users = users)),
      handle.log$.subscribe((line) => {
        if (line.text.includes('does not know this session')) tally.rejoined++;
        if (line.text.includes('answered none of the last')) tally.serverSilent++;
        note(who, `${line.kind}: ${line.text}`);
      }),
    ];
    // A login ended by the schedule's own logout or crash rejects; one that fails by itself shows in the final state.
    endings.push(handle.login().catch((error: unknown) => note(who, `login() rejected: ${String(error)}`)));
  };

  /** Ends the slot's handle: a logout, or (after a crash) a stop whose datagrams go nowhere. */
  const leave = (slot: Slot, crash: boolean): void => {
    slot.expectedOnline = false;
    const handle = slot.handle;
    if (handle === undefined) return;
    slot.endedAt = clock.now();
    if (crash) {
      const endpoint = handle.endpoint === undefined ? undefined : parseEndpoint(handle.endpoint);
      if (endpoint?.ok === true) network.crash(endpoint.value);
    }
    slot.handle = undefined;
    slot.state = { value: 'none' };
    slot.users = [];
    endings.push(handle.logout());
  };

  return {
    clock,
    network,
    start: () => startServer(),
    async apply(action) {
      await clock.advance(action.gapMs);
      switch (action.kind) {
        case 'login':
          return login(slots[action.peer]!);
        case 'logout':
          return leave(slots[action.peer]!, false);
        case 'crash':
          return leave(slots[action.peer]!, true);
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
    server: () => ({ state: serverState.value, users: serverUsers }),
    peers: () =>
      slots.map((slot) => ({
        name: slot.name,
        expectedOnline: slot.expectedOnline,
        state: slot.state.value,
        ...(slot.state.reason === undefined ? {} : { reason: slot.state.reason }),
        ...(slot.handle?.endpoint === undefined ? {} : { endpoint: slot.handle.endpoint }),
        users: slot.users,
      })),
    trace: () => lines.join('\n'),
    tally,
    async close(ms = 10_000) {
      for (const slot of slots) leave(slot, false);
      let ended = false;
      const all = Promise.all(endings).finally(() => (ended = true));
      await clock.advance(ms);
      if (!ended) throw new Error(`a peer did not end within ${ms} ms of simulated time after logout()`);
      await all;
      await stopServer();
      for (const slot of slots) for (const subscription of slot.subscriptions) subscription.unsubscribe();
      await clock.advance(ms);
    },
  };
};

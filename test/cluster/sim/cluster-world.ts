/**
 * Several index servers sharing one presence log, and N peer slots, the real engines on one memory network: the
 * single-server world (test/engine/sim/world.ts) with a server per port pair. Server `s` listens on
 * `127.0.0.1:9000 + 2s` (TCP one above) and is `server-s` in the log; restarted after a kill it comes back on the same
 * ports as `server-s.<n>`. A peer logs in to its home server (`i mod servers`), or to the next live one while that one
 * is down. A kill strands the server's peers: they stay as they are (pinging a server that is gone), nobody should
 * list them once the orphan bound has passed, and they are back when their server restarts.
 * @module
 */
import { orphanBound } from '../../../src/engine/cluster/member.js';
import type { SharedPresenceLog } from '../../../src/engine/cluster/shared-log.js';
import { createMemoryNetwork, type Faults, type MemoryNetwork } from '../../../src/transport/index.js';
import { createSlots, type PeerView, type Slot } from '../../engine/sim/peer-slots.js';
import { PEER_NAMES } from '../../engine/sim/schedule.js';
import { runServer, type ServerRun, type ServerView } from '../../engine/sim/server-run.js';
import { createTrace, datagramLifetime, PEER_TIMINGS, SERVER_HOST, SERVER_TIMINGS, type Tally } from '../../engine/sim/world.js';
import type { WorldTime } from '../../engine/sim/world-time.js';
import type { ClusterAction } from './cluster-schedule.js';
import type { ClusterStore } from './cluster-stores.js';

/** The first server's UDP port; server `s` has `FIRST_PORT + 2s` (UDP) and the one above (TCP). */
export const FIRST_PORT = 9000;

/** One server slot as the checks see it. */
export interface ClusterServerView extends ServerView {
  /** Its id in the log now (a restart gives it a new one). */
  readonly id: string;
  /** `127.0.0.1:<udp port>`: what its peers log in to. */
  readonly address: string;
  readonly live: boolean;
}

/** The deployment. Create with {@link createClusterWorld}, then `await world.start()`. */
export interface ClusterWorld {
  readonly network: MemoryNetwork;
  readonly time: WorldTime;
  /** Starts every server. */
  start(): Promise<void>;
  /** Applies one schedule action (after its gap). */
  apply(action: ClusterAction): Promise<void>;
  /** Lifts the faults (the time then runs as the test says). */
  liftFaults(): void;
  servers(): ClusterServerView[];
  peers(): PeerView[];
  /** The server the log records as holding `name`'s session (read through a live server's handle). */
  ownerOf(name: string): string | undefined;
  /** Bounds the run broke on the way (a killed server's users still listed after the orphan bound), one line each. */
  readonly broken: readonly string[];
  trace(): string;
  readonly tally: Readonly<Tally & { serverCrashes: number; serverRestarts: number; orphaned: number }>;
  /** Logs every peer out and stops every server; rejects if the peers have not ended after `ms` (simulated time). */
  close(ms?: number): Promise<void>;
}

/** Options of {@link createClusterWorld}. */
export interface ClusterWorldOptions {
  readonly servers: number;
  readonly peers: number;
  readonly seed: number;
  readonly faults: Faults;
  readonly time: WorldTime;
  /** Makes the shared log on `time` (the model or a real Redis). */
  readonly store: (time: WorldTime) => ClusterStore;
  /**
   * What the store's round trips add to the orphan bound (the lease, one sweep, and the append: its tries' round
   * trips and the other servers' follow), in ms. Default 0.
   */
  readonly storeSlackMs?: number;
  /** The servers' heartbeats (default the single-server world's). */
  readonly serverTimings?: { readonly heartbeatMs: number; readonly missedHeartbeats: number };
}

interface ServerSlot {
  readonly index: number;
  readonly address: string;
  readonly port: number;
  id: string;
  run?: ServerRun;
  store?: SharedPresenceLog;
  restarts: number;
}

/** Builds a deployment of `servers` servers and `peers` slots on a memory network seeded with `seed`. */
export const createClusterWorld = (options: ClusterWorldOptions): ClusterWorld => {
  const { time } = options;
  const network = createMemoryNetwork({ seed: options.seed, faults: options.faults, ...(time.clock === undefined ? {} : { clock: time.clock }) });
  const trace = createTrace(() => time.now());
  const { note } = trace;
  const tally = { expired: 0, replaced: 0, rejoined: 0, serverSilent: 0, resyncs: 0, batches: 0, serverCrashes: 0, serverRestarts: 0, orphaned: 0 };
  const broken: string[] = [];
  const store = options.store(time);
  const slots = createSlots({
    names: PEER_NAMES.slice(0, options.peers),
    network,
    time,
    timings: PEER_TIMINGS,
    // In real time nothing is delayed or copied, so nothing of a session outlives its logout.
    lifetime: time.clock === undefined ? 0 : datagramLifetime(options.faults),
    note,
    tally,
  });
  const servers: ServerSlot[] = Array.from({ length: options.servers }, (_, index) => {
    const port = FIRST_PORT + 2 * index;
    return { index, port, address: `${SERVER_HOST}:${port}`, id: `server-${index}`, restarts: 0 };
  });
  /** Slots whose server was killed while they were on it, by server index. */
  const stranded = new Map<Slot, ServerSlot>();

  const live = (): ServerSlot[] => servers.filter((server) => server.run !== undefined);

  const startServer = async (server: ServerSlot): Promise<void> => {
    const log = store.log(server.id);
    server.store = log;
    server.run = await runServer({
      who: server.id,
      network,
      time,
      note,
      tally,
      server: {
        store: log,
        host: SERVER_HOST,
        port: server.port,
        tcpPort: server.port + 1,
        ...(options.serverTimings ?? SERVER_TIMINGS),
      },
    });
  };

  /** Sessions (name and session) the log records as `id`'s that a live server still lists. */
  const listedOrphans = (id: string, sessions: ReadonlySet<string>): string[] => {
    const found: string[] = [];
    for (const server of live()) {
      for (const user of server.run?.view().users ?? []) {
        if (sessions.has(`${user.name}#${user.session}`) && ownerOf(user.name) === id) found.push(`${server.id} lists ${user.name}#${user.session}`);
      }
    }
    return found;
  };

  const ownerOf = (name: string): string | undefined => live()[0]?.store?.ownerOf(name);

  const killServer = async (server: ServerSlot): Promise<void> => {
    const run = server.run;
    if (run === undefined || live().length < 2) return;
    tally.serverCrashes++;
    const id = server.id;
    const sessions = new Set(run.view().users.filter((user) => server.store?.ownerOf(user.name) === id).map((user) => `${user.name}#${user.session}`));
    tally.orphaned += sessions.size;
    note('world', `killing ${id}, which holds ${[...sessions].join(', ') || 'nobody'}`);
    store.kill(id);
    server.run = undefined;
    delete server.store;
    await run.stop();
    for (const slot of slots.all) {
      if (slot.handle === undefined || slot.server !== server.address) continue;
      stranded.set(slot, server);
      slot.expectedOnline = false;
    }
    // Plus 1 ms: the sweep that finds them and the look may fall on one instant.
    await time.within(orphanBound(store.leaseMs) + (options.storeSlackMs ?? 0) + 1, `${id} was killed holding ${[...sessions].join(', ')}`, () => listedOrphans(id, sessions), broken);
  };

  const restartServer = async (server: ServerSlot): Promise<void> => {
    if (server.run !== undefined) return;
    tally.serverRestarts++;
    server.id = `server-${server.index}.${++server.restarts}`;
    note('world', `restarting server ${server.index} as ${server.id}`);
    await startServer(server);
    for (const [slot, home] of stranded) {
      if (home !== server) continue;
      stranded.delete(slot);
      // Still pinging this address: it logs in again by itself.
      slot.expectedOnline = slot.handle !== undefined && !['failed', 'loggedOut'].includes(slot.state.value);
    }
  };

  const login = async (slot: Slot, home: number): Promise<void> => {
    const reachable = slot.server !== undefined && live().some((server) => server.address === slot.server);
    if (slot.handle !== undefined && reachable && !['failed', 'loggedOut'].includes(slot.state.value)) {
      slot.expectedOnline = true;
      return;
    }
    // Its server is gone or the peer gave up: the person starts the client again, against a server that is up.
    stranded.delete(slot);
    slots.end(slot, false);
    const up = live();
    const target = up.find((server) => server.index >= home) ?? up[0];
    if (target === undefined) throw new Error('no server is up');
    await slots.login(slot, target.address);
  };

  const leave = (slot: Slot, crash: boolean): void => {
    stranded.delete(slot);
    slot.expectedOnline = false;
    slots.end(slot, crash);
  };

  return {
    network,
    time,
    async start() {
      for (const server of servers) await startServer(server);
    },
    async apply(action) {
      await time.pass(action.gapMs);
      switch (action.kind) {
        case 'login':
          return login(slots.all[action.peer]!, action.peer % servers.length);
        case 'logout':
          return leave(slots.all[action.peer]!, false);
        case 'crash':
          return leave(slots.all[action.peer]!, true);
        case 'serverCrash':
          return killServer(servers[action.server]!);
        case 'serverRestart':
          return restartServer(servers[action.server]!);
      }
    },
    liftFaults: () => network.setFaults({}),
    servers: () =>
      servers.map((server) => ({
        id: server.id,
        address: server.address,
        live: server.run !== undefined,
        ...(server.run?.view() ?? { state: 'none', users: [] }),
      })),
    peers: () => slots.views(),
    ownerOf,
    broken,
    trace: () => trace.text(),
    tally,
    async close(ms = 10_000) {
      let ended = false;
      const all = slots.endAll().finally(() => (ended = true));
      await time.pass(time.clock === undefined ? 0 : ms);
      if (time.clock === undefined) await time.settle('every peer to end', all);
      if (!ended) throw new Error(`a peer did not end within ${ms} ms after logout()`);
      await all;
      for (const server of servers) {
        const run = server.run;
        server.run = undefined;
        await run?.stop();
      }
      slots.close();
      await time.pass(time.clock === undefined ? 0 : ms);
    },
  };
};

/**
 * The engine tests' lab: real servers and peers on loopback with short timings, bounded waits for observable facts
 * (never fixed sleeps), and a cleanup that stops everything the test made and then checks that no UDP or TCP handle
 * is left open.
 * @module
 */
import { combineLatest, filter, firstValueFrom, interval, map, type Observable, startWith, throwError, timeout } from 'rxjs';
import { createIndexServer, createPeer, type CreateIndexServerOptions, type CreatePeerOptions } from '../../../src/engine/index.js';
import type { IndexServerHandle, LogEntry, PeerHandle, ServerAddress } from '../../../src/engine/types.js';
import type { User } from '../../../src/presence/types.js';
import { nodeNetwork } from '../../../src/transport/index.js';
import type { PeerOptions } from '../../../machines/peer.options.js';

/** How long a test waits for one expected fact before it fails, saying what it waited for. */
export const WAIT_MS = 10_000;

/** Peer timings for loopback: quick retries, so that a lost datagram costs milliseconds, not seconds. */
export const fastTimings: Partial<PeerOptions> = {
  loginRetryMs: 100,
  loginRetryMaxMs: 400,
  loginTries: 8,
  listTimeoutMs: 3_000,
  resyncDelayMs: 50,
  logoutTimeoutMs: 1_000,
  receiptTimeoutMs: 200,
  talkTries: 8,
};

/** The OS handles a leak would show up as. */
const socketKinds = new Set(['UDPWrap', 'TCPServerWrap', 'TCPSocketWrap']);

/** How many UDP sockets, TCP listeners and TCP connections this process holds right now. */
export const openSockets = (): number => process.getActiveResourcesInfo().filter((kind) => socketKinds.has(kind)).length;

/**
 * {@link openSockets} after two turns of the event loop: a socket whose peer closed it has emitted `'close'` but
 * libuv frees its handle a turn later, so a count taken at once can include one that is already gone.
 */
export const settledSockets = async (): Promise<number> => {
  await new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
  return openSockets();
};

/** The first value of `source` that passes `test`; fails after `ms` with "timed out waiting for <what>". */
export const waitFor = <T>(source: Observable<T>, test: (value: T) => boolean, what: string, ms = WAIT_MS): Promise<T> =>
  firstValueFrom(
    source.pipe(
      filter(test),
      timeout({ first: ms, with: () => throwError(() => new Error(`timed out after ${ms} ms waiting for ${what}`)) }),
    ),
  );

/**
 * Waits until `check()` holds, looking every 2 ms: for facts that only a function shows (`stats()`).
 * Fails after `ms` with what it waited for.
 */
export const until = (check: () => boolean, what: string, ms = WAIT_MS): Promise<void> =>
  waitFor(
    interval(2).pipe(
      startWith(0),
      map(() => check()),
    ),
    (done) => done,
    what,
    ms,
  ).then(() => undefined);

/** A user as compared across views: what the server and every replica must agree on. */
export const entryOf = ({ name, endpoint, session }: User): string => `${name} ${endpoint} ${session}`;

/** A list as a sorted array of {@link entryOf}, so that two views compare with `toEqual`. */
export const entries = (users: readonly User[]): string[] => users.map(entryOf).sort();

/** True when two lists hold the same users (names, endpoints and sessions), in any order. */
export const sameUsers = (a: readonly User[], b: readonly User[]): boolean => {
  const x = entries(a);
  const y = entries(b);
  return x.length === y.length && x.every((entry, i) => entry === y[i]);
};

/**
 * Waits until `peer` is online and its list holds the same users as `users`. Both at once: while a peer logs in again
 * (after a server restart, say) its `users$` still shows the list it had, which may already look right.
 */
export const onlineWith = (peer: LabPeer, users: readonly User[], what: string): Promise<unknown> =>
  waitFor(
    combineLatest([peer.handle.state$, peer.handle.users$]),
    ([state, list]) => state.value.startsWith('online') && sameUsers(list, users),
    what,
  );

/** The latest value of a stream that replays its current value on subscription (`users$`). */
export const current = <T>(source: Observable<T>): Promise<T> => firstValueFrom(source);

/** A server under test, with every log line it printed. */
export interface LabServer {
  readonly handle: IndexServerHandle;
  readonly address: ServerAddress;
  /** `127.0.0.1:<udpPort>` or `[::1]:<udpPort>`: what a peer's `server` option takes. */
  readonly endpoint: string;
  readonly lines: readonly LogEntry[];
}

/** A peer under test, with every log line it printed. */
export interface LabPeer {
  readonly handle: PeerHandle;
  readonly name: string;
  readonly lines: readonly LogEntry[];
}

/** Everything one test made; {@link Lab.cleanup} stops it all and checks for leaks. */
export interface Lab {
  /** Starts an index server (port 0 unless told) with `heartbeatMs: 100` unless told otherwise. */
  server(options?: CreateIndexServerOptions): Promise<LabServer>;
  /** Creates a peer of `server` with {@link fastTimings}; does not log in. */
  peer(server: LabServer | string, name: string, options?: Partial<CreatePeerOptions>): LabPeer;
  /** Creates a peer and logs it in. */
  online(server: LabServer | string, name: string, options?: Partial<CreatePeerOptions>): Promise<LabPeer>;
  /** Registers anything else to close at cleanup (fakes, raw sockets, child processes), run before the handles are counted. */
  defer(close: () => Promise<void> | void): void;
  /** Stops every peer, then every server, runs the deferred closes, and fails if a socket handle is left. */
  cleanup(): Promise<void>;
}

const collect = (source: Observable<LogEntry>, lines: LogEntry[]): void => {
  source.subscribe({ next: (line) => lines.push(line), error: () => undefined });
};

/** Makes a {@link Lab}, counting the sockets open before it (call it in `beforeEach`). */
export const createLab = async (): Promise<Lab> => {
  const before = await settledSockets();
  const servers: IndexServerHandle[] = [];
  const peers: PeerHandle[] = [];
  const deferred: Array<() => Promise<void> | void> = [];

  const peer = (server: LabServer | string, name: string, options: Partial<CreatePeerOptions> = {}): LabPeer => {
    const handle = createPeer({
      name,
      server: typeof server === 'string' ? server : server.endpoint,
      ...options,
      timings: { ...fastTimings, ...options.timings },
    });
    peers.push(handle);
    const lines: LogEntry[] = [];
    collect(handle.log$, lines);
    return { handle, name, lines };
  };

  return {
    async server(options = {}) {
      const handle = createIndexServer({ heartbeatMs: 100, ...options });
      servers.push(handle);
      const lines: LogEntry[] = [];
      collect(handle.log$, lines);
      const address = await handle.start();
      const endpoint = address.host.includes(':') ? `[${address.host}]:${address.udpPort}` : `${address.host}:${address.udpPort}`;
      return { handle, address, endpoint, lines };
    },
    peer,
    async online(server, name, options) {
      const made = peer(server, name, options);
      await made.handle.login();
      return made;
    },
    defer(close) {
      deferred.push(close);
    },
    async cleanup() {
      const failures: unknown[] = [];
      const settle = async (work: Promise<unknown>): Promise<void> => {
        await work.catch((error: unknown) => failures.push(error));
      };
      await Promise.all(peers.splice(0).map((p) => settle(p.stop())));
      await Promise.all(servers.splice(0).map((s) => settle(s.stop())));
      for (const close of deferred.splice(0).reverse()) await settle(Promise.resolve().then(close));
      await nodeNetwork.whenClosed();
      if (failures.length > 0) throw new AggregateError(failures, 'cleanup failed');
      const left = (await settledSockets()) - before;
      if (left !== 0) {
        throw new Error(`${left} socket handle(s) left open: ${process.getActiveResourcesInfo().join(', ')}`);
      }
    },
  };
};

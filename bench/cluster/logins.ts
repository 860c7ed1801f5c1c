/**
 * The cluster bench's load generators. {@link newUserLogins}: new names logging in to several servers at once, a
 * fixed number in flight at each, retrying as peers do, each proven by a ping with its secret and counted once listed
 * (the rate of logins with fan-out). {@link loginLatencies}: one
 * login at a time to one server, each followed by its logout so the list stays empty (the time a login takes, with
 * no fan-out to speak of).
 * @module
 */
import { createSocket, type Socket } from 'node:dgram';
import { acceptSecret, peerSession } from '../lifted-trust.js';

const utf16 = (text: string): Buffer => Buffer.from(text, 'utf16le');
const starts = (prefix: string): ((bytes: Buffer) => boolean) => {
  const head = utf16(prefix);
  return (bytes) => bytes.subarray(0, head.length).equals(head);
};
const isAccept = starts('Accept');
const isPong = starts('pong');
const isUnknown = starts('unknown');

const bind = async (): Promise<{ socket: Socket; self: string }> => {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { socket, self: `127.0.0.1:${socket.address().port}` };
};
const close = (socket: Socket): Promise<void> => new Promise((resolve) => socket.close(() => resolve()));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What {@link newUserLogins} measured. */
export interface LoginRates {
  /** Logins listed per second, all servers together. */
  readonly total: number;
  /** Logins listed per second at each server. */
  readonly perServer: readonly number[];
  /** Logins listed in all, warm-up included. */
  readonly accepted: number;
  /** Logins and proving pings sent again, unanswered after a peer's retry interval, during the measurement. */
  readonly retries: number;
}

/** How a peer retries an unanswered login (machines/peer.options.ts): after 500 ms, doubling up to 8 s. */
const RETRY_MS = 500;
const RETRY_MAX_MS = 8_000;

/**
 * Keeps `inFlight` logins of new names outstanding at each server for `durationMs` after a warm-up of `warmupMs`.
 * Each of them is a peer of its own: its own socket (whose endpoint the login names, so the `Accept` comes back to
 * it), retrying its login as a peer does until it is accepted, then logging in the next new name. `tag` keeps the
 * names of one run apart from another's.
 */
export const newUserLogins = async (
  ports: readonly number[],
  options: { readonly tag: string; readonly inFlight: number; readonly warmupMs: number; readonly durationMs: number },
): Promise<LoginRates> => {
  const clients = await Promise.all(ports.flatMap(() => Array.from({ length: options.inFlight }, () => bind())));
  let open = true;
  const accepted = ports.map(() => 0);
  let retries = 0;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  try {
    clients.forEach(({ socket, self }, c) => {
      const j = Math.floor(c / options.inFlight);
      const port = ports[j]!;
      let next = 0;
      let bytes: Buffer = Buffer.alloc(0);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const retry = (ms: number): void => {
        timer = setTimeout(() => {
          timers.delete(timer!);
          if (!open) return;
          retries++;
          socket.send(bytes, port, '127.0.0.1');
          retry(Math.min(ms * 2, RETRY_MAX_MS));
        }, ms);
        timers.add(timer);
      };
      let name = '';
      let proving = false;
      const send = (datagram: Buffer): void => {
        if (timer !== undefined) (clearTimeout(timer), timers.delete(timer));
        bytes = datagram;
        socket.send(bytes, port, '127.0.0.1');
        retry(RETRY_MS);
      };
      const login = (): void => {
        name = `${options.tag}s${j}c${c}n${next++}`;
        proving = false;
        send(utf16(`login,${name},${self},imstate=1,session=${peerSession(name)}`));
      };
      // A login counts once it is listed: its Accept, then the pong to the ping that proves it (sent once the
      // login is in the log, so after the append). Other servers' logins are forwarded to the new users too.
      socket.on('message', (reply) => {
        if (timer === undefined) return;
        if (!proving && isAccept(reply)) {
          proving = true;
          send(utf16(`ping,${name},${peerSession(name)},secret=${acceptSecret(reply.toString('utf16le')) ?? ''}`));
          return;
        }
        // A login the server gave up on (its append kept conflicting) is forgotten: the ping is `unknown`, and this
        // peer logs in again under a new name rather than pinging in vain.
        if (proving && isUnknown(reply)) {
          login();
          return;
        }
        if (!proving || !isPong(reply)) return;
        clearTimeout(timer);
        timers.delete(timer);
        timer = undefined;
        accepted[j]!++;
        if (open) login();
      });
      login();
    });
    await sleep(options.warmupMs);
    const before = [...accepted];
    const retriesBefore = retries;
    const t0 = performance.now();
    await sleep(options.durationMs);
    const seconds = (performance.now() - t0) / 1000;
    const perServer = accepted.map((count, j) => (count - before[j]!) / seconds);
    return { total: perServer.reduce((a, b) => a + b, 0), perServer, accepted: accepted.reduce((a, b) => a + b, 0), retries: retries - retriesBefore };
  } finally {
    open = false;
    for (const timer of timers) clearTimeout(timer);
    await Promise.all(clients.map(({ socket }) => close(socket)));
  }
};

/** What {@link loginLatencies} measured, in ms. */
export interface Latencies {
  readonly p50: number;
  readonly p99: number;
  readonly samples: number;
  /** Logins or logouts that got no answer within the time allowed (and were left out). */
  readonly lost: number;
}

/** The `q`-quantile of sorted values. */
const quantile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

/**
 * `count` logins of new names to the server at `port`, one at a time: the time from the login's send until it is
 * listed (its `Accept`, then the `pong` to the ping proving it), each followed (unmeasured) by the user's logout and
 * its confirmation, so every login finds the same empty list. An answer not back within `timeoutMs` counts as lost.
 */
export const loginLatencies = async (port: number, options: { readonly tag: string; readonly count: number; readonly timeoutMs?: number }): Promise<Latencies> => {
  const { socket, self } = await bind();
  const timeoutMs = options.timeoutMs ?? 2_000;
  let waiting: { readonly prefix: Buffer; readonly resolve: (reply: string | undefined) => void } | undefined;
  socket.on('message', (bytes) => {
    if (waiting !== undefined && bytes.subarray(0, waiting.prefix.length).equals(waiting.prefix)) {
      const { resolve } = waiting;
      waiting = undefined;
      resolve(bytes.toString('utf16le'));
    }
  });
  /** Sends `text` and waits for a datagram starting with `prefix`; undefined if none comes in time. */
  const exchange = (text: string, prefix: string): Promise<string | undefined> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        waiting = undefined;
        resolve(undefined);
      }, timeoutMs);
      waiting = { prefix: utf16(prefix), resolve: (reply) => (clearTimeout(timer), resolve(reply)) };
      socket.send(utf16(text), port, '127.0.0.1');
    });
  const times: number[] = [];
  let lost = 0;
  try {
    for (let i = 0; i < options.count; i++) {
      const name = `${options.tag}${i}`;
      const session = peerSession(name);
      const t0 = performance.now();
      const accept = await exchange(`login,${name},${self},imstate=1,session=${session}`, 'Accept');
      const secret = accept === undefined ? undefined : acceptSecret(accept);
      // Listed once the pong to the proving ping comes: the server answers it after the login's append.
      if (secret === undefined || (await exchange(`ping,${name},${session},secret=${secret}`, 'pong')) === undefined) {
        lost++;
        continue;
      }
      times.push(performance.now() - t0);
      if ((await exchange(`logout,${name},${self},session=${session},secret=${secret}`, `logout,${name},`)) === undefined) lost++;
    }
  } finally {
    await close(socket);
  }
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99), samples: times.length, lost };
};

/**
 * `createPeer()`: the peer machine (machines/peer.machine.ts) driven by a UDP socket and TCP list fetches. This is the
 * only place a peer's actors meet sockets: datagrams in become `datagram` events, emitted commands become datagrams.
 * @module
 */
import { Subject, type Subscription } from 'rxjs';
import { createActor, fromPromise, toPromise, waitFor } from 'xstate';
import { datagramEvent } from '../../machines/commands.js';
import { peerMachine, type PeerEmitted } from '../../machines/peer.machine.js';
import type { PeerOptions as PeerTimings } from '../../machines/peer.options.js';
import { loginRetryOf } from '../../machines/peer.retry.js';
import { emptyPresence } from '../presence/index.js';
import { encodeDatagram, parseEndpoint, validateName, type Message, type Result } from '../protocol/index.js';
import { formatAddress, nodeNetwork, socketAddress, type SocketAddress, type UdpSocket } from '../transport/index.js';
import { createCounters } from './counters.js';
import { endpointCache } from './endpoint-cache.js';
import { EngineError } from './errors.js';
import { messageIdSource, newSessionId } from './ids.js';
import { intake } from './intake.js';
import { lifecycleOf } from './lifecycle.js';
import { fetchList } from './list-fetch.js';
import { createPresenceFeed } from './presence-feed.js';
import { actorOptions, entry, type EngineOptions } from './options.js';
import { longTimeString } from './talk-time.js';
import type { ChatMessage, LogEntry, PeerHandle } from './types.js';

/** Options of {@link createPeer}. Only `name` is required. */
export interface CreatePeerOptions extends EngineOptions {
  /** The name to log in with: no `,` `;` `:` or control characters. */
  readonly name: string;
  /** The index server's UDP endpoint. Default `127.0.0.1:9000`; `localhost:<port>` is read as `127.0.0.1:<port>`. */
  readonly server?: string;
  /** The address the peer's UDP socket binds and advertises. Default `127.0.0.1` (`::1` for IPv6). */
  readonly host?: string;
  /** The peer's UDP port. Default 0: any free port. */
  readonly port?: number;
  /**
   * `login` datagrams before giving up (default 5), and, once online, before giving up on a lost server (default:
   * never). Shorthand for `timings.loginTries` and `timings.reconnectTries`.
   */
  readonly loginTries?: number;
  /** The peer machine's timings and counters (retries, timeouts); see machines/peer.options.ts. */
  readonly timings?: Partial<PeerTimings>;
}

const resolveServer = (server: string): string => server.replace(/^localhost:/, '127.0.0.1:');

/**
 * Creates a peer. Nothing is opened until {@link PeerHandle.login}. Throws an {@link EngineError} (`bad-name`,
 * `bad-endpoint`) at once for a name or server address the wire cannot carry.
 *
 * @example
 * ```ts
 * const alice = createPeer({ name: 'alice', server: '127.0.0.1:9000' });
 * alice.messages$.subscribe((m) => console.log(`${m.from}: ${m.text} (${m.status})`));
 * await alice.login();
 * await alice.say('bob', 'hello, 世界');
 * await alice.logout();
 * ```
 */
export const createPeer = (options: CreatePeerOptions): PeerHandle => {
  const name = validateName(options.name, options.limits);
  if (!name.ok) throw new EngineError('bad-name', `the name "${options.name}" cannot be used: ${name.error.reason}`);
  const server = resolveServer(options.server ?? '127.0.0.1:9000');
  const serverEndpoint = parseEndpoint(server);
  if (!serverEndpoint.ok) {
    throw new EngineError('bad-endpoint', `the server address "${server}" cannot be used: ${serverEndpoint.error.reason}`);
  }
  const network = options.network ?? nodeNetwork;
  const host = options.host ?? (serverEndpoint.value.family === 'IPv6' ? '::1' : '127.0.0.1');
  const counters = createCounters();
  const log$ = new Subject<LogEntry>();
  const messages$ = new Subject<ChatMessage>();
  const feed = createPresenceFeed();
  const nextId = messageIdSource();
  const outgoing = new Map<string, { to: string; text: string; time: string; bytes: Result<Uint8Array> }>();
  const endpoints = endpointCache();
  const log = (entry: LogEntry): void => log$.next(entry);
  let socket: UdpSocket | undefined;
  let udp: Subscription | undefined;

  const bindSocket = (): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      udp = network.udp({ host, port: options.port ?? 0 }).subscribe({
        next(event) {
          if (event.type === 'listening') {
            socket = event.socket;
            resolve(formatAddress(event.socket.local));
          } else if (event.type === 'datagram') {
            const message = intake(event.bytes, event.from, counters, log, options.limits);
            if (message === undefined) return;
            // A late duplicate (of the logout confirmation, say) can land after the machine ended and before the
            // socket is closed: it is counted above, but a finished actor gets nothing (XState warns on each).
            if (actor.getSnapshot().status === 'active') {
              actor.send(datagramEvent(message, event.from));
            }
          } else {
            counters.add('sendErrors');
            log(entry('warn', 'send', event.error.message));
          }
        },
        error(error: unknown) {
          if (socket === undefined) reject(error);
          else log(entry('error', 'socket', `the peer's socket failed: ${String(error)}`));
        },
      });
    });

  const send = (to: string, message: Message): void => {
    // An rtalk of ours (and each retransmission of it) goes as the bytes say() already encoded to check that it fits.
    const ours = message.type === 'rtalk' ? outgoing.get(message.id) : undefined;
    const bytes =
      ours !== undefined && message.type === 'rtalk' && ours.text === message.text ? ours.bytes : encodeDatagram(message, options.limits);
    const endpoint = endpoints.parse(to);
    if (!bytes.ok || !endpoint.ok || socket === undefined) {
      counters.add('unsendable');
      const why = !bytes.ok ? bytes.error.reason : !endpoint.ok ? endpoint.error.reason : 'the socket is closed';
      log(entry('warn', 'send', `could not send ${message.type} to ${to}: ${why}`));
      return;
    }
    counters.add('datagramsOut');
    socket.send(bytes.value, endpoint.value);
  };

  const machine = peerMachine.provide({
    actors: {
      bindSocket: fromPromise<string, { name: string }>(() => bindSocket()),
      fetchList: fromPromise(({ input, signal }: { input: { address: string; port: number }; signal: AbortSignal }) =>
        fetchList(network, socketAddress(input.address, input.port), { signal, limits: options.limits }),
      ),
    },
  });
  const actor = createActor(machine, {
    input: {
      name: name.value,
      server,
      session: newSessionId(),
      options: {
        ...options.timings,
        ...(options.loginTries === undefined ? {} : { loginTries: options.loginTries, reconnectTries: options.loginTries }),
      },
    },
    ...actorOptions(options),
  });

  const on = <T extends PeerEmitted['type']>(type: T, handler: (event: Extract<PeerEmitted, { type: T }>) => void): void => {
    actor.on(type, handler as never);
  };
  on('send', ({ to, message }) => send(to, message));
  // A replica without a list yet (before the first fetch) lists nobody, as replicaUsers says.
  on('users', ({ replica }) => feed.next(replica.state ?? emptyPresence()));
  on('log', ({ level, kind, text }) => log(entry(level, kind, text)));
  // The machine's rules refused a datagram (a server-only one from elsewhere): counted and logged as the codec's are.
  on('rejected', ({ code, text }) => {
    counters.add('rejected');
    counters.add(`rejected.${code}`);
    log(entry('warn', 'rejected', text));
  });
  on('talk.received', ({ from, time, text, id }) => {
    counters.add('talkIn');
    messages$.next({ id: id ?? nextId(), direction: 'in', from, to: name.value, text, time, status: 'received' });
  });
  on('talk.status', ({ id, to, status, reason }) => {
    const sent = outgoing.get(id);
    if (status !== 'sending') outgoing.delete(id);
    messages$.next({
      id,
      direction: 'out',
      from: name.value,
      to,
      text: sent?.text ?? '',
      time: sent?.time ?? '',
      status,
      ...(reason === undefined ? {} : { reason }),
    });
  });

  let started: Promise<void> | undefined;
  let stopped: Promise<void> | undefined;

  /** Resolves when the machine is first online; rejects when it ends (failed, logged out, stopped) before that. */
  const untilOnline = async (): Promise<void> => {
    const ended = (reason?: string) => new EngineError('login-failed', reason ?? 'the peer stopped before it was online');
    const snapshot = await waitFor(actor, (state) => state.matches('online') || state.status !== 'active').catch(
      (error: unknown) => {
        // waitFor rejects with its own error when the actor is stopped first; the machine's own error goes through.
        throw actor.getSnapshot().status === 'stopped' ? ended() : error;
      },
    );
    if (!snapshot.matches('online')) throw ended(snapshot.context.reason);
  };

  /** Closes the socket and completes the streams, once; resolves when the network has released every handle. */
  const close = async (): Promise<void> => {
    udp?.unsubscribe();
    socket = undefined;
    actor.stop();
    await network.whenClosed();
    log$.complete();
    messages$.complete();
    feed.complete();
  };

  const logout = (): Promise<void> =>
    (stopped ??= (async () => {
      if (started !== undefined && actor.getSnapshot().status === 'active') {
        // Settles when the machine ends, whichever way (logged out, failed, or stopped by close()).
        const done = toPromise(actor).catch(() => undefined);
        actor.send({ type: 'LOGOUT' });
        await done;
      }
      await close();
    })());

  // A peer that ends by itself (failed, or replaced by a newer session) releases its socket at once.
  actor.subscribe({ complete: () => void (stopped ??= close()) });

  return {
    state$: lifecycleOf(actor, loginRetryOf),
    presence$: feed.presence$,
    users$: feed.users$,
    messages$: messages$.asObservable(),
    log$: log$.asObservable(),
    login() {
      if (stopped !== undefined) return Promise.reject(new EngineError('stopped', 'this peer has been stopped; create a new one'));
      if (started === undefined) {
        actor.start();
        actor.send({ type: 'LOGIN' });
        started = untilOnline();
      }
      return started;
    },
    logout,
    stop: logout,
    async say(to: string, text: string) {
      const state = actor.getSnapshot();
      // Reconnecting, the peer still knows whom to talk to: peer-to-peer talk needs no server.
      if (state.status !== 'active' || !(state.matches('online') || state.matches('reconnecting'))) {
        throw new EngineError('not-online', `cannot talk to ${to}: ${name.value} is not online`);
      }
      const id = nextId();
      const time = longTimeString(new Date());
      // Refuse at once what no datagram can carry (an unpaired surrogate, too long), rather than retrying it until the
      // receipt times out. The reliable form is the longer one, so what it can carry the classic one can too.
      const fits = encodeDatagram({ type: 'rtalk', id, time, name: name.value, text }, options.limits);
      if (!fits.ok) throw new EngineError('bad-text', `cannot send that text to ${to}: ${fits.error.reason}`);
      outgoing.set(id, { to, text, time, bytes: fits });
      counters.add('talkOut');
      actor.send({ type: 'SAY', to, text, id, time });
      return id;
    },
    get endpoint() {
      return socket === undefined ? undefined : formatAddress(socket.local);
    },
    stats: () => counters.read(),
  };
};

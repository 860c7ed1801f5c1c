/**
 * `createIndexServer()`: the server machine (machines/server.machine.ts) driven by a UDP socket and a TCP list
 * listener. The only place a server's actors meet sockets: datagrams in become `datagram.<type>` events; the machine's
 * `send` and `broadcast` commands become datagrams, its `presence.append` a conditional append to the presence log
 * (./presence-link.ts), whose events come back to it; TCP connections get the list from the machine's fold.
 * With a `store`, that log is shared by several servers (./cluster/): the fold is the global list, while the fan-out,
 * the heartbeats and the expiries concern only this server's own sessions (./cluster/own-sessions.ts).
 * @module
 */
import { randomBytes } from 'node:crypto';
import { Subject } from 'rxjs';
import { createActor, fromPromise, toPromise, waitFor } from 'xstate';
import { joinCluster, type ClusterMember } from './cluster/member.js';
import { createOwnSessions, everySession, ownSessionDirectory } from './cluster/own-sessions.js';
import { sharedLogOf } from './cluster/store-option.js';
import { datagramEvent } from '../../machines/commands.js';
import { serverMachine, type BindRequest, type ServerEmitted } from '../../machines/server.machine.js';
import { createMemoryLog, type PresenceLog } from '../presence/index.js';
import { encodeDatagram, parseEndpoint, type Message } from '../protocol/index.js';
import { formatAddress, nodeNetwork, type SocketAddress } from '../transport/index.js';
import { createFanOut } from './broadcast.js';
import { createCounters } from './counters.js';
import { EngineError } from './errors.js';
import { intake } from './intake.js';
import { lifecycleOf } from './lifecycle.js';
import { createListServer } from './list-serve.js';
import { linkPresenceLog, type PresenceLink } from './presence-link.js';
import { actorOptions, clockNow, entry } from './options.js';
import type { CreateIndexServerOptions } from './server-options.js';
import { aimAtSelf, ownEndpoint } from './self.js';
import { createPresenceFeed } from './presence-feed.js';
import { openServerSockets, type ServerSockets } from './server-sockets.js';
import type { IndexServerHandle, LogEntry, ServerAddress } from './types.js';

export type { CreateIndexServerOptions } from './server-options.js';

/**
 * Creates an index server. Nothing is opened until {@link IndexServerHandle.start}.
 *
 * @example
 * ```ts
 * const server = createIndexServer({ port: 9000 });
 * server.log$.subscribe((line) => console.log(line.text));
 * const { udpPort, tcpPort } = await server.start();
 * // … later
 * await server.stop();
 * ```
 */
export const createIndexServer = (options: CreateIndexServerOptions = {}): IndexServerHandle => {
  const network = options.network ?? nodeNetwork;
  if (options.store !== undefined && options.log !== undefined) {
    throw new EngineError('bad-store', 'give a server either a presence log or a shared store, not both');
  }
  const shared = options.store === undefined ? undefined : sharedLogOf(options.store, options.leaseMs);
  const presenceLog: PresenceLog = shared ?? options.log ?? createMemoryLog();
  // Alone on its log a server holds every session; sharing it, only those whose login it decided.
  const own = shared === undefined ? everySession : createOwnSessions((name) => shared.ownerOf(name), shared.serverId);
  const counters = createCounters();
  const log$ = new Subject<LogEntry>();
  const feed = createPresenceFeed();
  const log = (line: LogEntry): void => log$.next(line);
  let sockets: ServerSockets | undefined;
  const lists = createListServer({
    limits: options.limits,
    refused: (error, seq) =>
      log(entry('error', 'list', `refused to serve the user list at seq ${seq} (fetches get no list until it changes): ${error.reason}`)),
  });

  const fanOut = createFanOut({
    socket: () => sockets?.udp,
    presence: () => actor.getSnapshot().context.presence,
    // With a shared log, only this server's own peers (the others hear from their own servers).
    holds: (user) => own.holds(user.session),
    counters,
    ...(options.batchBytes === undefined ? {} : { batchBytes: options.batchBytes }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
  });

  const send = (to: string, message: Message): void => {
    // A pong tells how far the log is, but never past the presence batches already sent (./broadcast.ts).
    const bytes = encodeDatagram(message.type === 'pong' ? { ...message, seq: fanOut.pongSeq(message.seq) } : message, options.limits);
    const endpoint = parseEndpoint(to);
    // Never to itself: whatever named the server's endpoint, answering it would start the server talking to itself.
    if (!bytes.ok || !endpoint.ok || sockets === undefined || isSelf?.(endpoint.value) === true || !ownNotice(message)) {
      counters.add('unsendable');
      return;
    }
    counters.add('datagramsOut');
    sockets.udp.send(bytes.value, endpoint.value);
  };

  /** A replaced notice goes only to this server's own peer: another server's peer hears it from its own server. */
  const ownNotice = (message: Message): boolean =>
    !(message.type === 'logout' && message.reason === 'replaced' && message.session !== undefined && !own.holds(message.session));

  /** The time a datagram is stamped with (the rate limits read it): the machines' clock's. */
  const now = clockNow(options);

  /** Serves a held list fetch once the machine says so (`list.serve`). */
  const serveList = (id: number): void => {
    const { presence, options: machineOptions } = actor.getSnapshot().context;
    const served = lists.serveHeld(id, presence, machineOptions.heartbeatMs);
    if (served !== undefined) counters.add(served ? 'listsServed' : 'listsRefused');
  };

  /** Whether an endpoint is the server's own UDP endpoint (see ./self.ts); known once bound. */
  let isSelf: ((endpoint: { address: string; port: number }) => boolean) | undefined;

  /** A datagram from the server's own socket, or a login naming it: counted, logged and dropped (see ./self.ts). */
  const aimsAtSelf = (message: Message, from: SocketAddress): boolean => {
    const why = isSelf === undefined ? undefined : aimAtSelf(isSelf, message, from);
    if (why === undefined) return false;
    counters.add('rejected');
    counters.add(`rejected.${why.code}`);
    log(entry('warn', 'rejected', `rejected a "${message.type}" datagram from ${formatAddress(from)}: ${why.text}`));
    return true;
  };

  /** The bind in flight, if any: `unbind` waits for it, so that a stop during `starting` closes what it opens. */
  let binding: Promise<unknown> | undefined;

  const bind = async ({ input, signal }: { input: BindRequest; signal: AbortSignal }): Promise<BindRequest> => {
    const opening = openServerSockets(network, input, {
      datagram({ bytes, from }) {
        const message = intake(bytes, from, counters, log, options.limits);
        if (message === undefined || aimsAtSelf(message, from)) return;
        const event = datagramEvent(message, from, now?.());
        // A login waits while the batched fan-out is behind (./login-hold.ts); nothing else does.
        if (message.type === 'login') fanOut.admitLogin(() => actor.send(event));
        else actor.send(event);
      },
      sendError(error) {
        counters.add('sendErrors');
        log(entry('warn', 'send', error.message));
      },
      connection(connection) {
        // The machine decides first: a fetch from a pending login's address proves it, and is answered once listed.
        actor.send({ type: 'list.requested', id: lists.hold(connection), from: connection.remote });
      },
      failure(error) {
        log(entry('error', 'socket', `a listener failed: ${error instanceof Error ? error.message : String(error)}`));
      },
    });
    binding = opening.catch(() => undefined);
    const opened = await opening;
    // Stopped while binding (STOP in `starting` aborts this actor): nobody will ever unbind these, so close them now.
    if (signal.aborted) {
      opened.close();
      throw new Error('the server was stopped while it was starting');
    }
    sockets = opened;
    isSelf = ownEndpoint(opened.udp.local);
    return { host: input.host, udpPort: opened.udp.local.port, tcpPort: opened.tcpPort };
  };

  const unbind = async (): Promise<void> => {
    await binding;
    lists.dropHeld();
    sockets?.close();
    sockets = undefined;
    await network.whenClosed();
  };

  const machine = serverMachine.provide({
    actors: {
      bind: fromPromise(bind),
      unbind: fromPromise(unbind),
      ...(shared === undefined ? {} : { sessions: ownSessionDirectory(own) }),
    },
  });
  const host = options.host ?? '127.0.0.1';
  const actor = createActor(machine, {
    input: {
      host,
      udpPort: options.port ?? 0,
      tcpPort: options.tcpPort ?? 0,
      ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
      ...(options.missedHeartbeats === undefined ? {} : { missedHeartbeats: options.missedHeartbeats }),
      sessionActors: options.sessionActors ?? options.inspect !== undefined,
      ...(options.trust === undefined ? {} : { trust: options.trust }),
      randomBytes: (size: number) => randomBytes(size),
    },
    ...actorOptions(options),
  });

  const on = <T extends ServerEmitted['type']>(type: T, handler: (event: Extract<ServerEmitted, { type: T }>) => void): void => {
    actor.on(type, handler as never);
  };
  on('send', ({ to, message }) => send(to, message));
  on('broadcast', (broadcast) => fanOut.broadcast(broadcast));
  /** The machine's link to the presence log, from start() (it follows the log from the snapshot START carried). */
  let link: PresenceLink | undefined;
  on('presence.append', (command) => {
    own.claim(command.changes);
    link?.append(command);
  });
  let member: ClusterMember | undefined;
  on('log', ({ level, kind, text }) => log(entry(level, kind, text)));
  // A rule's refusal of a well-formed datagram: `refused` in all and `rejected.<reason>` each (`rejected` alone counts
  // the datagrams the codec could not read), and a log line of kind `refused`.
  on('rejected', ({ code, text }) => {
    counters.add('refused');
    counters.add(`rejected.${code}`);
    log(entry('warn', 'refused', text));
  });
  on('list.serve', ({ id }) => serveList(id));
  // The machine folds presence (its context is the list); the feed turns each new list into joins and leaves.
  actor.subscribe({
    next: (snapshot) => feed.next(snapshot.context.presence),
    // An observer without an error callback would make XState rethrow; the failure is reported here instead.
    error: (error) => log(entry('error', 'machine', `the server machine failed: ${error instanceof Error ? error.message : String(error)}`)),
  });

  let started: Promise<ServerAddress> | undefined;
  let stopped: Promise<void> | undefined;
  /** False until start() has read the log and started the actor: a stop() before that has no machine to stop. */
  let actorStarted = false;

  return {
    state$: lifecycleOf(actor),
    presence$: feed.presence$,
    users$: feed.users$,
    log$: log$.asObservable(),
    start() {
      if (stopped !== undefined) return Promise.reject(new EngineError('stopped', 'this server has been stopped; create a new one'));
      started ??= (async () => {
        if (shared !== undefined) {
          await shared.open().catch((error: unknown) => {
            throw new EngineError('start-failed', error instanceof Error ? error.message : String(error), { cause: error });
          });
        }
        // Start from the log: a server restarted on a log that outlives it knows who is online, no broadcast needed.
        const presence = await presenceLog.snapshot().catch((error: unknown) => {
          throw new EngineError('start-failed', `could not read the presence log: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        });
        if (stopped !== undefined) throw new EngineError('start-failed', 'the server was stopped while it was starting');
        // Sharing the log, the sessions it already records under this server's id are this server's to serve.
        own.adopt(presence.users);
        actorStarted = true;
        actor.start();
        const preloaded = presence.seq > 0 || presence.users.length > 0;
        actor.send({ type: 'START', ...(preloaded ? { presence } : {}) });
        link = linkPresenceLog(actor, presenceLog, presence.seq, {
          recorded: (events) => {
            for (const event of events) counters.add(event.type === 'joined' ? 'joined' : `left.${event.reason}`);
          },
          delivered: (events) => own.release(events),
          failed: (text) => log(entry('error', 'log', text)),
        });
        if (shared !== undefined) {
          member = joinCluster({
            store: shared,
            log,
            ...(options.clock === undefined ? {} : { clock: options.clock }),
            expire: (user) => {
              counters.add('orphansExpired');
              if (actor.getSnapshot().status === 'active') actor.send({ type: 'session.expired', name: user.name, session: user.session });
            },
          });
        }
        await waitFor(actor, (snapshot) => snapshot.status !== 'active' || snapshot.matches('running')).catch(() => undefined);
        const { status, context } = actor.getSnapshot();
        if (status !== 'active' || context.address === undefined) {
          await unbind();
          throw new EngineError('start-failed', context.reason ?? 'the server stopped before it was running');
        }
        const { udpPort, tcpPort } = context.address;
        return { host, udpPort, tcpPort };
      })().catch(async (error: unknown) => {
        // Nothing of a failed start stays open: no sweeps, no follower, no lease in the store.
        member?.close();
        link?.close();
        await shared?.close().catch(() => undefined);
        throw error;
      });
      return started;
    },
    stop() {
      stopped ??= (async () => {
        // A server that failed to start has ended already: it takes no more events (XState warns on each).
        if (actorStarted && actor.getSnapshot().status === 'active') {
          actor.send({ type: 'STOP' });
          await toPromise(actor).catch(() => undefined);
        }
        member?.close();
        link?.close();
        fanOut.close();
        actor.stop();
        await unbind();
        await shared?.close();
        log$.complete();
        feed.complete();
      })();
      return stopped;
    },
    stats: () => counters.read(),
  };
};

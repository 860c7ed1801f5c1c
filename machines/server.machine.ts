/**
 * The index server's lifecycle: `idle → starting → running → stopping → stopped`, or `failed` with a reason a person
 * can read (e.g. the port is in use). While running it decides presence (who is online) from its fold of the
 * presence log, and keeps one session actor per user in the session directory. The log is the one authority: the
 * machine never numbers an event; it appends conditionally and folds what the log delivers (./server.presence.ts).
 *
 * ## Contract with the engine
 * - **Input** {@link ServerInput}: `{ host, udpPort, tcpPort, heartbeatMs?, missedHeartbeats? }` (ports may be 0).
 * - **Events in** {@link ServerEvent}: `START { presence? }` (`presence`: the presence log's snapshot to start from, so
 *   that a server restarted on a durable log knows who is online without one broadcast per user; its imstate sessions
 *   expire unless their peers ping), `STOP`, every decoded datagram on the server's UDP socket as
 *   `datagram.<type> { message, from }`, and from the presence log: `presence.events { events }` (every batch of
 *   `log.follow(snapshot.seq)`), `presence.appended { cause, events }` and `presence.conflict { cause, attempt, seq }`
 *   (the outcome of a `presence.append`). (`session.expired` comes from the session directory.)
 * - **Commands out** (`actor.on(type, …)`), {@link ServerEmitted}:
 *   - `presence.append { changes, at, cause, attempt }`: `log.append(changes, at)`, then answer with
 *     `presence.appended` or `presence.conflict` (echoing `cause` and `attempt`).
 *   - `send { to, message }`: one datagram (`Accept`, `pong`, `unknown`, a logout confirmation or replaced notice).
 *   - `broadcast { classic, extended, except? }`: `extended` to every online imstate user, `classic` to the others,
 *     skipping the user *named* `except`. Emitted while folding `presence.events`, so the log drives the fan-out.
 *   - `log { level, kind, text }`.
 * - **Actors the engine provides**: `bind` (input `{ host, udpPort, tcpPort }`, resolves the real
 *   `{ host, udpPort, tcpPort }`, rejects with an Error whose message is for a person) and `unbind` (closes
 *   everything; resolves when nothing is left open). Defaults reject with "… not provided". `sessions` is the session
 *   directory (./session.directory.ts), not for the engine to replace.
 * - **Delays**: `heartbeatSweep` (the heartbeat period: one expiry sweep each).
 * - **Output**: `{ reason? }`, the failure reason when it ends in `failed`.
 *
 * Cost: a login costs O(1) in the number of users online. The presence state is a persistent trie (one path copied
 * per event), sessions live in the directory's Map, and the only O(users) work, the broadcast fan-out, is the
 * engine's, from one command.
 * @module
 */
import { assertEvent, assign, emit, enqueueActions, fromPromise, sendTo, setup } from 'xstate';
import {
  applyEvent,
  applyEvents,
  emptyPresence,
  findUser,
  fromSnapshot,
  listUsers,
  presenceSeq,
  presenceSize,
  type PresenceState,
  type Snapshot,
} from '../src/presence/index.js';
import { formatEndpoint } from '../src/protocol/index.js';
import { errorText, isDatagramEvent, logLine, type DatagramEvent, type LogCommand, type SendCommand } from './commands.js';
import { sessionDirectory, type SessionExpired } from './session.directory.js';
import {
  appendTries,
  decide,
  fanOut,
  type BroadcastCommand,
  type FanOut,
  type PresenceAppendCommand,
  type PresenceAppended,
  type PresenceCause,
  type PresenceConflict,
  type PresenceEvents,
} from './server.presence.js';
import { acceptMessage, logoutForm, resolveServerOptions, userFromLogin, type ServerOptions } from './server.wire.js';

export type {
  BroadcastCommand,
  PresenceAppendCommand,
  PresenceAppended,
  PresenceCause,
  PresenceConflict,
  PresenceEvents,
} from './server.presence.js';

/** The addresses to bind (ports may be 0: any free port). */
export interface BindRequest {
  readonly host: string;
  readonly udpPort: number;
  readonly tcpPort: number;
}

/** What the engine gives a server machine. */
export interface ServerInput extends BindRequest, Partial<ServerOptions> {}

/** Everything the server machine reacts to. */
export type ServerEvent =
  | StartEvent
  | { readonly type: 'STOP' }
  | DatagramEvent
  | SessionExpired
  | PresenceEvents
  | PresenceAppended
  | PresenceConflict;

/** Start serving, from the online list in `presence` (the presence log's snapshot) or from an empty one. */
export interface StartEvent {
  readonly type: 'START';
  readonly presence?: Snapshot;
}

/** Everything the server machine emits for the engine. */
export type ServerEmitted = SendCommand | BroadcastCommand | PresenceAppendCommand | LogCommand;

/** The server machine's context. */
export interface ServerContext {
  readonly request: BindRequest;
  readonly options: ServerOptions;
  /** The real addresses, once bound. */
  readonly address?: BindRequest;
  /** The fold of the presence log, as far as `presence.events` brought it (immutable; one event copies one trie path). */
  readonly presence: PresenceState;
  readonly reason?: string;
}

const outputOf = (event: { type: string }): unknown => (event as { output?: unknown }).output;
const errorOf = (event: { type: string }): unknown => (event as { error?: unknown }).error;

/** The TCP port an `Accept` names: the bound one once running. */
const tcpPortOf = (context: ServerContext): number => context.address?.tcpPort ?? context.request.tcpPort;

/** The answer to a cause whose change is in the log (or was not needed): an `Accept`, a logout confirmation, or none. */
const answerOf = (context: ServerContext, cause: PresenceCause): SendCommand | undefined => {
  const seq = presenceSeq(context.presence);
  if (cause.type === 'datagram.login') {
    const user = userFromLogin(cause.message);
    return { type: 'send', to: user.endpoint, message: acceptMessage(tcpPortOf(context), user.imstate, context.options.heartbeatMs, seq) };
  }
  if (cause.type === 'datagram.logout') {
    const { name, endpoint, session } = cause.message;
    // An imstate leaver waits for its own logout back as the confirmation (also when it had already left).
    if (session === undefined) return undefined;
    return { type: 'send', to: formatEndpoint(endpoint), message: logoutForm(name, endpoint, seq, session, 'logout') };
  }
  return undefined;
};

/**
 * Decides `cause` on the current fold: when no change is needed, the answer at once; otherwise the request to append
 * the changes at the fold's seq. `attempt` counts decisions of this cause (each conflict makes one more).
 */
const request = (context: ServerContext, cause: PresenceCause, attempt: number): ServerEmitted | undefined => {
  const changes = decide(context.presence, cause);
  if (changes.length === 0) return answerOf(context, cause);
  return { type: 'presence.append', changes, at: presenceSeq(context.presence), cause, attempt };
};

/** The server machine. See the module comment for its contract, and machines/README.md for each state. */
export const serverMachine = setup({
  types: {
    context: {} as ServerContext,
    events: {} as ServerEvent,
    input: {} as ServerInput,
    emitted: {} as ServerEmitted,
    output: {} as { reason?: string },
  },
  actors: {
    bind: fromPromise<BindRequest, BindRequest>(async () => {
      throw new Error('the server machine needs a bind actor: not provided');
    }),
    unbind: fromPromise<void, void>(async () => {
      throw new Error('the server machine needs an unbind actor: not provided');
    }),
    sessions: sessionDirectory,
  },
  guards: {
    isRetransmittedLogin: ({ context, event }) => {
      assertEvent(event, 'datagram.login');
      return decide(context.presence, event).length === 0;
    },
    conflictTriesLeft: ({ event }) => {
      assertEvent(event, 'presence.conflict');
      return event.attempt < appendTries;
    },
    isKnownPing: ({ context, event }) => {
      assertEvent(event, 'datagram.ping');
      return findUser(context.presence, event.message.name)?.session === event.message.session;
    },
  },
  delays: {
    heartbeatSweep: ({ context }) => context.options.heartbeatMs,
  },
  actions: {
    // Folded once, at START: from then on the fold follows the log from the snapshot's sequence number.
    takePresence: assign(({ context, event }) => {
      assertEvent(event, 'START');
      return { presence: event.presence === undefined ? context.presence : fromSnapshot(event.presence) };
    }),
    takeAddress: enqueueActions(({ event, enqueue }) => {
      const address = outputOf(event) as BindRequest;
      enqueue.assign({ address });
      enqueue.emit(logLine('info', 'start', `listening on UDP ${address.host}:${address.udpPort}, TCP ${address.host}:${address.tcpPort}`));
    }),
    bindFailed: assign(({ event }) => ({ reason: errorText(errorOf(event)) })),
    unbindFailed: assign(({ event }) => ({ reason: `the server did not stop cleanly: ${errorText(errorOf(event))}` })),
    acceptAgain: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'datagram.login');
      const answer = answerOf(context, event);
      if (answer !== undefined) enqueue.emit(answer);
      enqueue.emit(logLine('info', 'login', `${event.message.name} asked again (our Accept was lost?): Accept sent again`));
    }),
    decideChange: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, ['datagram.login', 'datagram.logout', 'session.expired']);
      const command = request(context, event, 1);
      if (command !== undefined) enqueue.emit(command);
    }),
    decideAgain: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'presence.conflict');
      enqueue.emit(logLine('warn', 'presence', `the presence log moved on to ${event.seq} meanwhile (try ${event.attempt}); deciding again`));
      const command = request(context, event.cause, event.attempt + 1);
      if (command !== undefined) enqueue.emit(command);
    }),
    giveUp: emit(({ event }) => {
      assertEvent(event, 'presence.conflict');
      const what = event.cause.type === 'session.expired' ? `${event.cause.name}'s expiry` : `${event.cause.message.name}'s ${event.cause.message.type}`;
      return logLine('error', 'presence', `gave up on ${what} after ${event.attempt} conflicts on the presence log`);
    }),
    answer: emit(({ context, event }) => {
      assertEvent(event, 'presence.appended');
      return answerOf(context, event.cause) ?? logLine('info', 'presence', `recorded up to ${presenceSeq(context.presence)}`);
    }),
    // Folded only (no socket yet, or no longer): the directory starts from the fold when running begins.
    foldEvents: assign(({ context, event }) => {
      assertEvent(event, 'presence.events');
      return { presence: applyEvents(context.presence, event.events) };
    }),
    applyEvents: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'presence.events');
      let presence = context.presence;
      const out: FanOut = { commands: [], directory: [] };
      for (const recorded of event.events) {
        if (recorded.seq <= presenceSeq(presence)) continue;
        fanOut(presence, recorded, out);
        presence = applyEvent(presence, recorded);
      }
      enqueue.assign({ presence });
      for (const command of out.commands) enqueue.emit(command);
      for (const update of out.directory) enqueue.sendTo('sessions', update);
    }),
    pong: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'datagram.ping');
      const user = findUser(context.presence, event.message.name);
      if (user === undefined) return;
      enqueue.emit({ type: 'send', to: user.endpoint, message: { type: 'pong', seq: presenceSeq(context.presence) } });
      enqueue.sendTo('sessions', { type: 'heartbeat', name: user.name, session: user.session });
    }),
    sayUnknown: emit(({ event }) => {
      assertEvent(event, 'datagram.ping');
      return { type: 'send' as const, to: event.from, message: { type: 'unknown' as const, name: event.message.name } };
    }),
    ignore: emit(({ event }) =>
      logLine('warn', 'ignored', isDatagramEvent(event) ? `ignored a ${event.message.type} datagram from ${event.from}` : `ignored ${event.type}`),
    ),
    sweep: sendTo('sessions', { type: 'sweep' }),
    logStopped: emit(logLine('info', 'stop', 'the server stopped')),
    logFailed: emit(({ context }) => logLine('error', 'failed', context.reason ?? 'failed')),
  },
}).createMachine({
  id: 'server',
  context: ({ input }) => ({
    request: { host: input.host, udpPort: input.udpPort, tcpPort: input.tcpPort },
    options: resolveServerOptions(input),
    presence: emptyPresence(),
  }),
  initial: 'idle',
  // Whatever the state, the fold follows the log; only `running` also tells everyone.
  on: { 'presence.events': { actions: 'foldEvents' } },
  states: {
    idle: {
      on: { START: { target: 'starting', actions: 'takePresence' }, STOP: { target: 'stopped' } },
    },
    starting: {
      invoke: {
        id: 'bind',
        src: 'bind',
        input: ({ context }) => context.request,
        onDone: { target: 'running', actions: 'takeAddress' },
        onError: { target: 'failed', actions: 'bindFailed' },
      },
      // The bind may have opened something already: unbind closes whatever there is.
      on: { STOP: { target: 'stopping' } },
    },
    running: {
      invoke: {
        id: 'sessions',
        src: 'sessions',
        input: ({ context, self }) => ({
          server: self,
          missedHeartbeats: context.options.missedHeartbeats,
          sessionActors: context.options.sessionActors,
          // Once per start: the users the START snapshot brought (none otherwise).
          users: presenceSize(context.presence) === 0 ? [] : listUsers(context.presence),
        }),
      },
      initial: 'serving',
      states: {
        serving: {
          after: { heartbeatSweep: { target: 'serving', reenter: true, actions: 'sweep' } },
        },
      },
      on: {
        'datagram.login': [{ guard: 'isRetransmittedLogin', actions: 'acceptAgain' }, { actions: 'decideChange' }],
        'datagram.logout': { actions: 'decideChange' },
        'datagram.ping': [{ guard: 'isKnownPing', actions: 'pong' }, { actions: 'sayUnknown' }],
        'datagram.*': { actions: 'ignore' },
        'session.expired': { actions: 'decideChange' },
        'presence.events': { actions: 'applyEvents' },
        'presence.appended': { actions: 'answer' },
        'presence.conflict': [{ guard: 'conflictTriesLeft', actions: 'decideAgain' }, { actions: 'giveUp' }],
        STOP: { target: 'stopping' },
      },
    },
    stopping: {
      invoke: {
        id: 'unbind',
        src: 'unbind',
        onDone: { target: 'stopped' },
        onError: { target: 'failed', actions: 'unbindFailed' },
      },
    },
    stopped: { type: 'final', entry: 'logStopped' },
    failed: { type: 'final', entry: 'logFailed' },
  },
  output: ({ context }) => (context.reason === undefined ? {} : { reason: context.reason }),
});

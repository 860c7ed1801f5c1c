/**
 * The index server's lifecycle: `idle → starting → running → stopping → stopped`, or `failed` with a reason a person
 * can read (e.g. the port is in use). While running it owns the online list (the single writer of the presence
 * log: it numbers events itself) and one session actor per user, kept by the session directory.
 *
 * ## Contract with the engine
 * - **Input** {@link ServerInput}: `{ host, udpPort, tcpPort, heartbeatMs?, missedHeartbeats? }` (ports may be 0).
 * - **Events in** {@link ServerEvent}: `START { presence? }` (`presence`: the presence log's snapshot to start from, so
 *   that a server restarted on a durable log knows who is online without one broadcast per user; its imstate sessions
 *   expire unless their peers ping), `STOP`, and every decoded datagram
 *   on the server's UDP socket as `datagram.<type> { message, from }`. (`session.expired` comes from the session directory.)
 * - **Commands out** (`actor.on(type, …)`), {@link ServerEmitted}:
 *   - `presence { events }`: append these events (already numbered, in order) to the PresenceLog. Always emitted
 *     before the `send`/`broadcast` commands of the same decision, so the log and the TCP list are ahead of the wire.
 *   - `send { to, message }`: one datagram (`Accept`, `pong`, `unknown`, a logout confirmation or replaced notice).
 *   - `broadcast { classic, extended, except? }`: `extended` to every online imstate user, `classic` to the others,
 *     skipping the user *named* `except`.
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
  applyEvents,
  decideExpiry,
  decideLogin,
  decideLogout,
  emptyPresence,
  findUser,
  fromSnapshot,
  listUsers,
  presenceSeq,
  presenceSize,
  type PresenceChange,
  type PresenceEvent,
  type PresenceState,
  type Snapshot,
} from '../src/presence/index.js';
import { formatEndpoint, type Message } from '../src/protocol/index.js';
import { errorText, isDatagramEvent, logLine, type DatagramEvent, type LogCommand, type SendCommand } from './commands.js';
import { sessionDirectory, type SessionDirectoryEvent, type SessionExpired } from './session.directory.js';
import {
  acceptMessage,
  logoutForm,
  presenceForms,
  resolveServerOptions,
  userFromLogin,
  type ServerOptions,
} from './server.wire.js';

/** The addresses to bind (ports may be 0: any free port). */
export interface BindRequest {
  readonly host: string;
  readonly udpPort: number;
  readonly tcpPort: number;
}

/** What the engine gives a server machine. */
export interface ServerInput extends BindRequest, Partial<ServerOptions> {}

/** Everything the server machine reacts to. */
export type ServerEvent = StartEvent | { readonly type: 'STOP' } | DatagramEvent | SessionExpired;

/** Start serving, from the online list in `presence` (the presence log's snapshot) or from an empty one. */
export interface StartEvent {
  readonly type: 'START';
  readonly presence?: Snapshot;
}

/** Append these events to the presence log. */
export interface PresenceCommand {
  readonly type: 'presence';
  readonly events: readonly PresenceEvent[];
}

/** Send `extended` to imstate users and `classic` to the others, skipping the user named `except`. */
export interface BroadcastCommand {
  readonly type: 'broadcast';
  readonly classic: Message;
  readonly extended: Message;
  readonly except?: string;
}

/** Everything the server machine emits for the engine. */
export type ServerEmitted = SendCommand | BroadcastCommand | PresenceCommand | LogCommand;

/** The server machine's context. */
export interface ServerContext {
  readonly request: BindRequest;
  readonly options: ServerOptions;
  /** The real addresses, once bound. */
  readonly address?: BindRequest;
  /** The online list (immutable; one event copies one trie path). */
  readonly presence: PresenceState;
  readonly reason?: string;
}

const outputOf = (event: { type: string }): unknown => (event as { output?: unknown }).output;
const errorOf = (event: { type: string }): unknown => (event as { error?: unknown }).error;

/** Gives changes the next sequence numbers: the server is the log's single writer. */
const numbered = (presence: PresenceState, changes: readonly PresenceChange[]): PresenceEvent[] => {
  const seq = presenceSeq(presence);
  return changes.map((change, i) => ({ ...change, seq: seq + i + 1 }) as PresenceEvent);
};

/** What one presence decision produces: the new list, the commands for the engine, the directory's updates. */
interface Publication {
  readonly presence: PresenceState;
  readonly commands: ServerEmitted[];
  readonly directory: SessionDirectoryEvent[];
}

/**
 * Records `changes` and tells everyone: the presence command first, then per event a broadcast (a `left` names the
 * user's old endpoint, a `joined` the new one), a log line, and the directory's session update. Pure.
 */
const publish = (context: ServerContext, changes: readonly PresenceChange[]): Publication => {
  const events = numbered(context.presence, changes);
  const presence = applyEvents(context.presence, events);
  const commands: ServerEmitted[] = events.length === 0 ? [] : [{ type: 'presence', events }];
  const directory: SessionDirectoryEvent[] = [];
  for (const event of events) {
    const before = event.type === 'left' ? findUser(context.presence, event.name) : undefined;
    const forms = presenceForms(event, before?.endpoint);
    if (forms !== undefined) {
      const name = event.type === 'joined' ? event.user.name : event.name;
      commands.push({ type: 'broadcast', classic: forms.classic, extended: forms.extended, except: name });
    }
    if (event.type === 'joined') {
      const { user } = event;
      directory.push({ type: 'open', user });
      commands.push(logLine('info', 'login', `${user.name} logged in from ${user.endpoint}${user.imstate ? '' : ' (classic)'}`));
    } else {
      directory.push({ type: 'close', name: event.name, session: event.session, reason: event.reason });
      commands.push(logLine('info', event.reason, `${event.name} left (${event.reason})`));
      // An imstate user replaced by a newer login of its name is told so, or it would log in again and take it back.
      if (event.reason === 'replaced' && before?.imstate === true && forms !== undefined) {
        commands.push({ type: 'send', to: before.endpoint, message: forms.extended });
      }
    }
  }
  return { presence, commands, directory };
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
      return decideLogin(context.presence, userFromLogin(event.message)).length === 0;
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
    // Folded once, at START: the machine then numbers events on from the snapshot's sequence number, as the log does.
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
      const { message } = event;
      const tcpPort = context.address?.tcpPort ?? context.request.tcpPort;
      const accept = acceptMessage(tcpPort, message.imstate === true, context.options.heartbeatMs, presenceSeq(context.presence));
      enqueue.emit({ type: 'send', to: formatEndpoint(message.endpoint), message: accept });
      enqueue.emit(logLine('info', 'login', `${message.name} asked again (our Accept was lost?): Accept sent again`));
    }),
    admit: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'datagram.login');
      const user = userFromLogin(event.message);
      const { presence, commands, directory } = publish(context, decideLogin(context.presence, user));
      enqueue.assign({ presence });
      for (const command of commands) enqueue.emit(command);
      for (const update of directory) enqueue.sendTo('sessions', update);
      // After the presence command and before the forwarded login reaches others: the newcomer learns the port first.
      const tcpPort = context.address?.tcpPort ?? context.request.tcpPort;
      const accept = acceptMessage(tcpPort, user.imstate, context.options.heartbeatMs, presenceSeq(presence));
      enqueue.emit({ type: 'send', to: user.endpoint, message: accept });
    }),
    release: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'datagram.logout');
      const { message } = event;
      const { session } = message;
      const { presence, commands, directory } = publish(context, decideLogout(context.presence, message.name, session));
      enqueue.assign({ presence });
      for (const command of commands) enqueue.emit(command);
      for (const update of directory) enqueue.sendTo('sessions', update);
      if (session === undefined) return;
      // An imstate leaver waits for its own logout back as the confirmation (also when it had already left).
      const confirmation = logoutForm(message.name, message.endpoint, presenceSeq(presence), session, 'logout');
      enqueue.emit({ type: 'send', to: formatEndpoint(message.endpoint), message: confirmation });
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
    expire: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'session.expired');
      const { presence, commands, directory } = publish(context, decideExpiry(context.presence, event.name, event.session));
      enqueue.assign({ presence });
      for (const command of commands) enqueue.emit(command);
      for (const update of directory) enqueue.sendTo('sessions', update);
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
        'datagram.login': [{ guard: 'isRetransmittedLogin', actions: 'acceptAgain' }, { actions: 'admit' }],
        'datagram.logout': { actions: 'release' },
        'datagram.ping': [{ guard: 'isKnownPing', actions: 'pong' }, { actions: 'sayUnknown' }],
        'datagram.*': { actions: 'ignore' },
        'session.expired': { actions: 'expire' },
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

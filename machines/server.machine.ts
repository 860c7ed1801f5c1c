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
import { emptyPresence, listUsers, presenceSize } from '../src/presence/index.js';
import { serverSetup } from './server.setup.js';
import { createTrustState } from './server.trust.js';
import { resolveServerOptions } from './server.wire.js';

export type { BindRequest, ServerContext, ServerEvent, ServerInput, StartEvent } from './server.types.js';
export type { ListRequested, ListServeCommand, ServerEmitted } from './server.answers.js';
export type {
  BroadcastCommand,
  LoginsProven,
  PresenceAppendCommand,
  PresenceAppended,
  PresenceCause,
  PresenceConflict,
  PresenceEvents,
} from './server.presence.js';

/** The server machine. See the module comment for its contract, and machines/README.md for each state. */
export const serverMachine = serverSetup.createMachine({
  id: 'server',
  context: ({ input }) => ({
    request: { host: input.host, udpPort: input.udpPort, tcpPort: input.tcpPort },
    options: resolveServerOptions(input),
    presence: emptyPresence(),
    trust: createTrustState(input.trust, input.randomBytes),
  }),
  initial: 'idle',
  // Whatever the state, the fold follows the log; only `running` also tells everyone. A list fetch outside `running`
  // gets the list as it is.
  on: { 'presence.events': { actions: 'foldEvents' }, 'list.requested': { actions: 'serveList' } },
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
          after: { heartbeatSweep: { target: 'serving', reenter: true, actions: ['sweep', 'expirePending'] } },
        },
      },
      on: {
        'datagram.login': [
          { guard: 'loginOverRate', actions: 'dropOverRate' },
          { guard: 'isRetransmittedLogin', actions: ['acceptAgain', 'spendLogin'] },
          { guard: 'loginRefused', actions: ['refuseLogin', 'spendLogin'] },
          { actions: ['holdPending', 'spendLogin'] },
        ],
        'list.requested': { actions: 'proveByList' },
        'datagram.logout': [
          { guard: 'logoutOverRate', actions: 'dropOverRate' },
          { guard: 'isTrustedLogout', actions: ['decideChange', 'spendPing'] },
          { actions: ['rejectLogout', 'spendPing'] },
        ],
        'datagram.ping': [
          { guard: 'pingOverRate', actions: 'dropOverRate' },
          { guard: 'isProvingPing', actions: ['proveByPing', 'spendPing'] },
          { guard: 'isKnownPing', actions: ['pong', 'spendPing'] },
          { guard: 'isForgedPing', actions: ['rejectPing', 'spendPing'] },
          { actions: ['sayUnknown', 'spendPing'] },
        ],
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

/**
 * The server machine's implementations, each under the name the states in ./server.machine.ts refer to: the actors
 * the engine replaces (`bind`, `unbind`), the session directory, the guards (the trust rules of ./server.login.ts
 * among them), the named delay and the actions. Pure: actions only assign, mutate the trust table the machine owns
 * (./server.trust.ts) and `emit()` commands for the engine (the vocabulary is in ./server.types.ts).
 * @module
 */
import { assertEvent, assign, emit, enqueueActions, fromPromise, sendTo, setup } from 'xstate';
import { findUser, fromSnapshot, presenceSeq, type User } from '../src/presence/index.js';
import { formatEndpoint } from '../src/protocol/index.js';
import type { PendingLogin } from '../src/trust/index.js';
import { errorOf, errorText, isDatagramEvent, logLine, outputOf, rejected } from './commands.js';
import { sessionDirectory } from './session.directory.js';
import { appendTries, foldEvents, type FanOut } from './server.presence.js';
import { acceptOf, answering, answerOf, refusalCommands, request, trustSummary, type ServerEmitted } from './server.answers.js';
import { judgeLogin, judgeLogout, judgePing } from './server.login.js';
import {
  addressOf,
  forgetPending,
  noteUsers,
  periodClock,
  timeOf,
} from './server.trust.js';
import type { BindRequest, ServerContext, ServerEvent, ServerInput } from './server.types.js';


/** The user a proven pending login becomes: as it logged in, batches included. */
const userOfPending = ({ name, endpoint, session, imstate, batch }: PendingLogin): User =>
  batch === true ? { name, endpoint, session, imstate, batch } : { name, endpoint, session, imstate };


/** The server machine's `setup()`: types and every named implementation. ./server.machine.ts adds the states. */
export const serverSetup = setup({
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
    loginOverRate: ({ context, event }) => {
      assertEvent(event, 'datagram.login');
      return judgeLogin(context.trust, context.presence, context.options, event).kind === 'login-rate';
    },
    isRetransmittedLogin: ({ context, event }) => {
      assertEvent(event, 'datagram.login');
      const { kind } = judgeLogin(context.trust, context.presence, context.options, event);
      return kind === 'again-online' || kind === 'again-pending';
    },
    loginRefused: ({ context, event }) => {
      assertEvent(event, 'datagram.login');
      return judgeLogin(context.trust, context.presence, context.options, event).kind !== 'pending';
    },
    pingOverRate: ({ context, event }) => {
      assertEvent(event, 'datagram.ping');
      return judgePing(context.trust, context.presence, context.options.heartbeatMs, event) === 'ping-rate';
    },
    isProvingPing: ({ context, event }) => {
      assertEvent(event, 'datagram.ping');
      return judgePing(context.trust, context.presence, context.options.heartbeatMs, event) === 'proving';
    },
    isKnownPing: ({ context, event }) => {
      assertEvent(event, 'datagram.ping');
      return judgePing(context.trust, context.presence, context.options.heartbeatMs, event) === 'known';
    },
    isForgedPing: ({ context, event }) => {
      assertEvent(event, 'datagram.ping');
      return judgePing(context.trust, context.presence, context.options.heartbeatMs, event) === 'bad-secret';
    },
    logoutOverRate: ({ context, event }) => {
      assertEvent(event, 'datagram.logout');
      return judgeLogout(context.trust, context.presence, context.options.heartbeatMs, event) === 'ping-rate';
    },
    isTrustedLogout: ({ context, event }) => {
      assertEvent(event, 'datagram.logout');
      return judgeLogout(context.trust, context.presence, context.options.heartbeatMs, event) === 'trusted';
    },
    conflictTriesLeft: ({ event }) => {
      assertEvent(event, 'presence.conflict');
      return event.attempt < appendTries;
    },
  },
  delays: {
    heartbeatSweep: ({ context }) => context.options.heartbeatMs,
  },
  actions: {
    // Folded once, at START: from then on the fold follows the log from the snapshot's sequence number.
    takePresence: assign(({ context, event }) => {
      assertEvent(event, 'START');
      if (event.presence === undefined) return {};
      noteUsers(context.trust, event.presence.users);
      return { presence: fromSnapshot(event.presence) };
    }),
    takeAddress: enqueueActions(({ context, event, enqueue }) => {
      const address = outputOf(event) as BindRequest;
      enqueue.assign({ address });
      enqueue.emit(logLine('info', 'start', `listening on UDP ${address.host}:${address.udpPort}, TCP ${address.host}:${address.tcpPort}`));
      enqueue.emit(logLine('info', 'trust', trustSummary(context.trust.options, context.options)));
    }),
    bindFailed: assign(({ event }) => ({ reason: errorText(errorOf(event)) })),
    unbindFailed: assign(({ event }) => ({ reason: `the server did not stop cleanly: ${errorText(errorOf(event))}` })),
    // Every datagram a bucket let through spends a token; one the bucket stopped is dropped, counted, logged.
    // Spent as the transition is taken (enqueueActions runs then, like the table's other updates), and last: the
    // action that carries the verdict out judges again, and must see the table its guard judged (a token spent
    // first turned the login that took a host's last token into 'login-rate' there, silently unanswered).
    spendLogin: enqueueActions(({ context, event }) => {
      assertEvent(event, 'datagram.login');
      context.trust.logins.take(event.from.address, timeOf(context.trust, context.options.heartbeatMs, event));
    }),
    spendPing: enqueueActions(({ context, event }) => {
      assertEvent(event, ['datagram.ping', 'datagram.logout']);
      context.trust.pings.take(event.from.address, timeOf(context.trust, context.options.heartbeatMs, event));
    }),
    dropOverRate: emit(({ event }) => {
      assertEvent(event, ['datagram.login', 'datagram.ping', 'datagram.logout']);
      const kind = event.type === 'datagram.login' ? 'login-rate' : 'ping-rate';
      return rejected(kind, `dropped a ${event.message.type} from ${formatEndpoint(event.from)}: too many from that address (its token bucket is empty)`);
    }),
    refuseLogin: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'datagram.login');
      const verdict = judgeLogin(context.trust, context.presence, context.options, event);
      for (const command of refusalCommands(verdict, event, context.options)) enqueue.emit(command);
    }),
    acceptAgain: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'datagram.login');
      const verdict = judgeLogin(context.trust, context.presence, context.options, event);
      let accept;
      let to: string;
      if (verdict.kind === 'again-pending') {
        accept = acceptOf(answering(context), verdict.pending, verdict.pending.secret, event);
        to = verdict.pending.endpoint;
      } else if (verdict.kind === 'again-online') {
        const { user } = verdict;
        // A session the log brought after a restart has no secret yet: its peer gets one now, as any login does.
        let known = context.trust.secrets.get(user.name);
        if (user.imstate && known?.session !== user.session) {
          known = { session: user.session, secret: context.trust.newSecret() };
          context.trust.secrets.set(user.name, known);
        }
        accept = acceptOf(answering(context), user, known?.secret, event);
        to = user.endpoint;
      } else return;
      enqueue.emit({ type: 'send', to, message: accept });
      enqueue.emit(logLine('info', 'login', `${event.message.name} asked again (our Accept was lost?): Accept sent again`));
    }),
    // A new login: one Accept, no larger than the login, and nothing else until its host proves it asked.
    holdPending: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'datagram.login');
      const verdict = judgeLogin(context.trust, context.presence, context.options, event);
      if (verdict.kind !== 'pending') return;
      const secret = verdict.user.imstate ? context.trust.newSecret() : undefined;
      const accept = acceptOf(answering(context), verdict.user, secret, event);
      // An Accept too small for imstate's fields makes this a classic login: no secret, no heartbeats promised.
      // Answered as classic (no secret): a classic session, which takes no batches either.
      const { batch: _batch, ...plain } = verdict.user;
      const user = accept.secret === undefined ? { ...plain, imstate: false, session: verdict.user.endpoint } : verdict.user;
      const address = addressOf(user.endpoint);
      const at = periodClock(context.trust, context.options.heartbeatMs);
      context.trust.pending.add({ ...user, address, at, ...(accept.secret === undefined ? {} : { secret: accept.secret }) });
      enqueue.emit({ type: 'send', to: user.endpoint, message: accept });
      enqueue.emit(logLine('info', 'pending', `${user.name} at ${user.endpoint} is pending until its host proves it asked`));
    }),
    proveByList: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'list.requested');
      const { trust } = context;
      // Proven logins stay pending until their join is folded (noteEvent forgets them then). One proven again while its
      // join is on its way is asked for again: the append is conditional, so the repeat meets a conflict and is decided
      // again on the newer fold (no change: answered at once), and an append the log failed is tried again.
      const proven = trust.pending.onAddress(event.from.address);
      // The newest login of each name wins; a name a live session holds from another host stays refused.
      const byName = new Map(proven.map((login) => [login.name, login]));
      for (const login of proven) if (byName.get(login.name) !== login) forgetPending(trust, login.name, login.session);
      const users = [...byName.values()].filter((login) => {
        const holder = findUser(context.presence, login.name);
        const ok = holder === undefined || addressOf(holder.endpoint) === login.address;
        if (!ok) forgetPending(trust, login.name, login.session);
        return ok;
      });
      for (const login of users) {
        if (login.secret !== undefined) trust.secrets.set(login.name, { session: login.session, secret: login.secret });
      }
      const cause = {
        type: 'login.proven' as const,
        users: users.map(userOfPending),
        list: event.id,
      };
      for (const command of request(answering(context), cause, 1)) enqueue.emit(command);
    }),
    proveByPing: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'datagram.ping');
      const { trust } = context;
      const login = trust.pending.find(event.message.name, event.message.session);
      // A duplicated proving ping asks again, as a repeated list fetch does (see proveByList).
      if (login?.secret === undefined) return;
      const holder = findUser(context.presence, login.name);
      if (holder !== undefined && addressOf(holder.endpoint) !== login.address) {
        forgetPending(trust, login.name, login.session);
        return;
      }
      trust.secrets.set(login.name, { session: login.session, secret: login.secret });
      const user = userOfPending(login);
      for (const command of request(answering(context), { type: 'login.proven', users: [user], ping: user }, 1)) enqueue.emit(command);
    }),
    serveList: emit(({ event }) => {
      assertEvent(event, 'list.requested');
      return { type: 'list.serve' as const, id: event.id };
    }),
    decideChange: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, ['datagram.logout', 'session.expired']);
      for (const command of request(answering(context), event, 1)) enqueue.emit(command);
    }),
    rejectLogout: emit(({ context, event }) => {
      assertEvent(event, 'datagram.logout');
      const verdict = judgeLogout(context.trust, context.presence, context.options.heartbeatMs, event);
      const why = verdict === 'bad-secret' ? 'it does not carry the session\'s secret' : 'it did not come from the session\'s address';
      return rejected(verdict, `ignored ${event.message.name}'s logout from ${formatEndpoint(event.from)}: ${why}`);
    }),
    decideAgain: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'presence.conflict');
      enqueue.emit(logLine('warn', 'presence', `the presence log moved on to ${event.seq} meanwhile (try ${event.attempt}); deciding again`));
      for (const command of request(answering(context), event.cause, event.attempt + 1)) enqueue.emit(command);
    }),
    giveUp: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'presence.conflict');
      const { cause } = event;
      const what =
        cause.type === 'session.expired'
          ? `${cause.name}'s expiry`
          : cause.type === 'login.proven'
            ? `the login of ${cause.users.map((user) => user.name).join(', ')}`
            : `${cause.message.name}'s ${cause.message.type}`;
      enqueue.emit(logLine('error', 'presence', `gave up on ${what} after ${event.attempt} conflicts on the presence log`));
      // Given-up logins are forgotten: their peers log in again.
      if (cause.type === 'login.proven') for (const user of cause.users) forgetPending(context.trust, user.name, user.session);
      // A list fetch waiting for the login still gets the list (without it: the peer logs in again).
      if (cause.type === 'login.proven' && cause.list !== undefined) enqueue.emit({ type: 'list.serve', id: cause.list });
    }),
    answer: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'presence.appended');
      const answers = answerOf(answering(context), event.cause);
      for (const command of answers) enqueue.emit(command);
      if (answers.length === 0) enqueue.emit(logLine('info', 'presence', `recorded up to ${presenceSeq(context.presence)}`));
    }),
    // Folded only (no socket yet, or no longer): the directory starts from the fold when running begins.
    foldEvents: assign(({ context, event }) => {
      assertEvent(event, 'presence.events');
      return { presence: foldEvents(context, event.events) };
    }),
    applyEvents: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'presence.events');
      const out: FanOut = { commands: [], directory: [] };
      enqueue.assign({ presence: foldEvents(context, event.events, out) });
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
    rejectPing: emit(({ event }) => {
      assertEvent(event, 'datagram.ping');
      return rejected('bad-secret', `ignored a ping of ${event.message.name} from ${formatEndpoint(event.from)}: it does not carry the session's secret`);
    }),
    sayUnknown: emit(({ event }) => {
      assertEvent(event, 'datagram.ping');
      return { type: 'send' as const, to: formatEndpoint(event.from), message: { type: 'unknown' as const, name: event.message.name } };
    }),
    ignore: emit(({ event }) =>
      logLine('warn', 'ignored', isDatagramEvent(event) ? `ignored a ${event.message.type} datagram from ${formatEndpoint(event.from)}` : `ignored ${event.type}`),
    ),
    sweep: sendTo('sessions', { type: 'sweep' }),
    // Pending logins live one to two periods (`pendingMs` rounded up to whole periods), then are forgotten.
    expirePending: enqueueActions(({ context, enqueue }) => {
      context.trust.sweeps++;
      const expired = context.trust.pending.expire(periodClock(context.trust, context.options.heartbeatMs));
      if (expired.length === 0) return;
      const names = expired.slice(0, 5).map((login) => `${login.name} at ${login.endpoint}`).join(', ');
      enqueue.emit(rejected('unproven', `forgot ${expired.length} pending login(s) whose hosts never proved they asked: ${names}${expired.length > 5 ? ', …' : ''}`));
    }),
    logStopped: emit(logLine('info', 'stop', 'the server stopped')),
    logFailed: emit(({ context }) => logLine('error', 'failed', context.reason ?? 'failed')),
  },
});

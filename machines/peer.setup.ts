/**
 * The peer machine's implementations, each under the name the states in ./peer.machine.ts refer to: the actors the
 * engine replaces (`bindSocket`, `fetchList`), the guards (./peer.guards.ts), named delays and actions. Pure:
 * actions only assign and `emit()` commands for the engine.
 * @module
 */
import { assertEvent, assign, emit, enqueueActions, fromPromise, setup } from 'xstate';
import {
  createReplica,
  receiveServerSeq,
  receiveSnapshot,
  replicaFindUser,
} from '../src/presence/index.js';
import { endpointFrom } from '../src/protocol/endpoint.js';
import { formatEndpoint, parseEndpoint } from '../src/protocol/index.js';
import { readRefusal, refusalText } from '../src/trust/index.js';
import { errorOf, errorText, isDatagramEvent, logLine, outputOf, rejected, sendCommand } from './commands.js';
import { loginRetryDelay, reconnectRetryDelay } from './peer.options.js';
import {
  fetchedOf,
  listInput,
  loginMessage,
  logoutMessage,
  pingMessage,
  readAccept,
  readUserList,
  receiveBatch,
  receivePresence,
  type FetchedList,
  type ListAddress,
} from './peer.wire.js';
import { receiveTalkReceipt, startTalk, takeTalkStep, talkTimedOut } from './talk.table.js';
import { peerGuards } from './peer.guards.js';
import type { PeerContext, PeerEmitted, PeerEvent, PeerInput } from './peer.types.js';

/** The peer machine's `setup()`: types and every named implementation. ./peer.machine.ts adds the states. */
export const peerSetup = setup({
  types: {
    context: {} as PeerContext,
    events: {} as PeerEvent,
    input: {} as PeerInput,
    emitted: {} as PeerEmitted,
    output: {} as { reason?: string },
  },
  actors: {
    bindSocket: fromPromise<string, { name: string }>(async () => {
      throw new Error('the peer machine needs a bindSocket actor: not provided');
    }),
    fetchList: fromPromise<FetchedList, ListAddress>(async () => {
      throw new Error('the peer machine needs a fetchList actor: not provided');
    }),
  },
  guards: peerGuards,
  delays: {
    loginRetry: ({ context }) => loginRetryDelay(context.options, context.loginTries),
    reconnectRetry: ({ context }) => reconnectRetryDelay(context.options, context.loginTries),
    listTimeout: ({ context }) => context.options.listTimeoutMs,
    resyncDelay: ({ context }) => context.options.resyncDelayMs,
    heartbeatInterval: ({ context }) => context.accept?.heartbeatMs ?? context.options.listTimeoutMs,
    logoutTimeout: ({ context }) => context.options.logoutTimeoutMs,
  },
  actions: {
    takeEndpoint: assign(({ event }) => {
      const parsed = parseEndpoint(String(outputOf(event)));
      return parsed.ok ? { endpoint: parsed.value } : {};
    }),
    badEndpoint: assign(({ event }) => ({
      reason: `the peer's socket reported an endpoint that cannot be used: ${String(outputOf(event))}`,
    })),
    bindFailed: assign(({ event }) => ({
      reason: `could not open the peer's UDP socket: ${errorText(errorOf(event))}`,
    })),
    rejectSpoofed: emit(({ context, event }) =>
      rejected(
        'not-from-server',
        `rejected a "${isDatagramEvent(event) ? event.message.type : event.type}" datagram from ${isDatagramEvent(event) ? formatEndpoint(event.from) : '?'}: only the server (${context.server}) sends those`,
      ),
    ),
    countLoginTry: assign({ loginTries: ({ context }) => context.loginTries + 1 }),
    sendLogin: emit(({ context }) =>
      context.endpoint === undefined
        ? logLine('error', 'login', 'cannot log in without a socket')
        : sendCommand(context.server, loginMessage(context.name, context.endpoint, context.session)),
    ),
    noAnswer: assign(({ context }) => ({
      reason: `no answer from ${context.server} after ${context.loginTries} ${context.loginTries === 1 ? 'try' : 'tries'} — is the server running?`,
    })),
    // A Refuse says why in a compact form (src/trust/refusal.ts); the person reads a sentence.
    refused: assign(({ context, event }) => {
      assertEvent(event, 'datagram.Refuse');
      return { reason: `the server refused the login: ${refusalText(readRefusal(event.message.reason), context.name)}` };
    }),
    takeAccept: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'datagram.Accept');
      const accept = readAccept(event.message, event.from);
      enqueue.assign({ accept, serverImstate: accept.imstate, listTries: 0, listError: undefined, pings: 0 });
      enqueue.emit(
        logLine(
          'info',
          'login',
          accept.imstate
            ? `accepted by ${context.server} (imstate server${accept.heartbeatMs === undefined ? '' : `, heartbeat every ${accept.heartbeatMs} ms`})`
            : `accepted by ${context.server} (classic server: only the original protocol from now on)`,
        ),
      );
    }),
    applyPresence: assign({
      replica: ({ context, event }) => {
        assertEvent(event, ['datagram.login', 'datagram.logout']);
        return receivePresence(context.replica, event.message, formatEndpoint(event.message.endpoint));
      },
    }),
    applyBatch: assign({
      replica: ({ context, event }) => {
        assertEvent(event, 'datagram.batch');
        return receiveBatch(context.replica, event.message);
      },
    }),
    emitUsers: emit(({ context }) => ({ type: 'users' as const, replica: context.replica })),
    countListTry: assign({ listTries: ({ context }) => context.listTries + 1 }),
    takeList: assign({
      replica: ({ context, event }) => {
        const snapshot = readUserList(fetchedOf(event));
        return snapshot.ok ? receiveSnapshot(context.replica, snapshot.value) : context.replica;
      },
    }),
    // A list fetch that failed against an imstate server: the login goes again, so that the server's Accept names
    // its list port as it is now (a server restarted on the same UDP port has a new TCP one). A server answers a login
    // it already holds with the same Accept; the original server is never asked twice.
    askAcceptAgain: emit(({ context }) =>
      context.endpoint === undefined || context.serverImstate !== true
        ? logLine('warn', 'list', 'the list fetch failed; the next try asks the same list port')
        : sendCommand(context.server, loginMessage(context.name, context.endpoint, context.session)),
    ),
    takeListPort: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'datagram.Accept');
      const accept = readAccept(event.message, event.from);
      if (context.accept === undefined || accept.tcpPort === context.accept.tcpPort) return;
      enqueue.assign({ accept });
      enqueue.emit(logLine('info', 'list', `the server now lists users on TCP port ${accept.tcpPort}; fetching from there`));
    }),
    listUnreadable: enqueueActions(({ event, enqueue }) => {
      const snapshot = readUserList(fetchedOf(event));
      const why = snapshot.ok ? 'unreadable' : snapshot.error.reason;
      enqueue.assign({ listError: `the list could not be read (${why})` });
      enqueue.emit(logLine('warn', 'list', `the user list could not be read: ${why}`));
    }),
    listFetchFailed: enqueueActions(({ event, enqueue }) => {
      const why = errorText(errorOf(event));
      enqueue.assign({ listError: why });
      enqueue.emit(logLine('warn', 'list', `the user list fetch failed: ${why}`));
    }),
    logListRetry: emit(({ context }) =>
      logLine('warn', 'retry', `no user list after try ${context.listTries} of ${context.options.listTries}; fetching again`),
    ),
    listGaveUp: assign(({ context }) => {
      const { address, port } = listInput({ context });
      const where = formatEndpoint(endpointFrom(address, port));
      return {
        reason: `could not get the user list from ${where} after ${context.listTries} ${context.listTries === 1 ? 'try' : 'tries'}: ${context.listError ?? 'no answer'}`,
      };
    }),
    logResyncTimeout: emit(logLine('warn', 'list', 'the list fetch for a resync timed out; will retry on the next gap')),
    logOnline: emit(({ context }) => logLine('info', 'online', `${context.name} is online at ${context.server}`)),
    sendPing: enqueueActions(({ context, enqueue }) => {
      enqueue.assign({ pings: context.pings + 1 });
      enqueue.emit(sendCommand(context.server, pingMessage(context.name, context.session, context.accept?.secret)));
    }),
    // The list did not list us: our list fetch came from another address than our login named (NAT, several
    // addresses), so the server still holds the login pending. A ping with the secret proves it at once; the pong's
    // seq then shows the replica a gap, and the resync lists us.
    proveByPing: enqueueActions(({ context, enqueue }) => {
      const secret = context.accept?.secret;
      if (secret === undefined || replicaFindUser(context.replica, context.name)?.session === context.session) return;
      enqueue.emit(sendCommand(context.server, pingMessage(context.name, context.session, secret)));
      enqueue.emit(logLine('info', 'login', 'the list does not show this session yet: proving the login with a ping'));
    }),
    takePong: assign(({ context, event }) => {
      assertEvent(event, 'datagram.pong');
      return { pings: 0, replica: receiveServerSeq(context.replica, event.message.seq) };
    }),
    // Losing the server keeps the list (stale, but whom to talk to peer to peer) until a new Accept: see forgetList.
    relogin: enqueueActions(({ context, enqueue }) => {
      enqueue.assign({ loginTries: 0, pings: 0, listTries: 0 });
      enqueue.emit(logLine('warn', 'login', `${context.server} does not know this session (it restarted?); logging in again`));
    }),
    serverSilent: enqueueActions(({ context, enqueue }) => {
      enqueue.assign({ loginTries: 0, pings: 0, listTries: 0 });
      enqueue.emit(
        logLine('warn', 'login', `${context.server} answered none of the last ${context.pings} heartbeats; logging in again (chat with known users goes on)`),
      );
    }),
    // A login kept from before a server restart is numbered in the old server's sequence: start the replica afresh.
    // The tries start again too: a list that then fails starts a new round of logins rather than using this one up.
    forgetList: assign({ replica: () => createReplica(), loginTries: 0 }),
    markOnline: assign({ wasOnline: true }),
    listLost: emit(({ context }) =>
      logLine('warn', 'list', `no user list from ${context.server} after ${context.listTries} tries (${context.listError ?? 'no answer'}); logging in again`),
    ),
    noAnswerAgain: assign(({ context }) => ({
      reason: `no answer from ${context.server} after ${context.loginTries} ${context.loginTries === 1 ? 'try' : 'tries'} to log in again — is the server running?`,
    })),
    replaced: assign(({ context, event }) => {
      assertEvent(event, 'datagram.logout');
      const { by } = event.message;
      const where = by === undefined ? 'another place' : formatEndpoint(by);
      return { reason: `${context.name} logged in again from ${where}, which replaced this session` };
    }),
    receiveTalk: emit(({ event }) => {
      assertEvent(event, 'datagram.talk');
      return { type: 'talk.received' as const, from: event.message.name, time: event.message.time, text: event.message.text };
    }),
    sendReceipt: emit(({ context, event }) => {
      assertEvent(event, 'datagram.rtalk');
      // Answer where the list says the sender listens; the datagram's source is the fallback for a stranger.
      const to = replicaFindUser(context.replica, event.message.name)?.endpoint ?? formatEndpoint(event.from);
      return sendCommand(to, { type: 'receipt', id: event.message.id, name: context.name });
    }),
    rememberTalk: assign({
      recent: ({ context, event }) => {
        assertEvent(event, 'datagram.rtalk');
        const ids = context.recent.get(event.message.name) ?? [];
        const kept = [...ids, event.message.id].slice(-context.options.recentTalkIds);
        return new Map(context.recent).set(event.message.name, kept);
      },
    }),
    receiveReliableTalk: emit(({ event }) => {
      assertEvent(event, 'datagram.rtalk');
      const { name, time, text, id } = event.message;
      return { type: 'talk.received' as const, from: name, time, text, id };
    }),
    startReliableTalk: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'SAY');
      const user = replicaFindUser(context.replica, event.to);
      if (user === undefined) return;
      const message = { type: 'rtalk' as const, id: event.id, time: event.time, name: context.name, text: event.text };
      const step = startTalk(context.talks, { id: event.id, to: user.name, endpoint: user.endpoint, message, tries: context.options.talkTries });
      enqueue.emit({ type: 'talk.status', id: event.id, to: event.to, status: 'sending' });
      takeTalkStep(enqueue, step, event.id, context.options.receiptTimeoutMs);
    }),
    talkReceipt: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'datagram.receipt');
      takeTalkStep(enqueue, receiveTalkReceipt(context.talks, event.message.id), event.message.id, context.options.receiptTimeoutMs);
    }),
    talkTimeout: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'talk.timeout');
      takeTalkStep(enqueue, talkTimedOut(context.talks, event.id), event.id, context.options.receiptTimeoutMs);
    }),
    sendClassicTalk: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'SAY');
      const user = replicaFindUser(context.replica, event.to);
      if (user === undefined) return;
      enqueue.emit(sendCommand(user.endpoint, { type: 'talk', time: event.time, name: context.name, text: event.text }));
      enqueue.emit({ type: 'talk.status', id: event.id, to: event.to, status: 'sent' });
    }),
    sayToNobody: emit(({ event }) => {
      assertEvent(event, 'SAY');
      return { type: 'talk.status' as const, id: event.id, to: event.to, status: 'failed' as const, reason: `${event.to} is not online` };
    }),
    sayDuplicateId: emit(({ event }) => {
      assertEvent(event, 'SAY');
      return logLine('warn', 'talk', `a message with id ${event.id} is already on its way; not sent again`);
    }),
    sayOffline: emit(({ event }) => {
      assertEvent(event, 'SAY');
      return { type: 'talk.status' as const, id: event.id, to: event.to, status: 'failed' as const, reason: 'not logged in' };
    }),
    // The session is named unless the server is known to be classic: before any Accept, an imstate server must not
    // take a session-less logout (which removes the name, whoever holds it) from a peer that never got in. The
    // original server reads fields 1-3 and forwards the rest, which its clients ignore.
    sendLogout: emit(({ context }) =>
      context.endpoint === undefined
        ? logLine('warn', 'logout', 'no socket: nothing to log out')
        : sendCommand(
            context.server,
            logoutMessage(
              context.name,
              context.endpoint,
              context.serverImstate === false ? undefined : context.session,
              context.accept?.secret,
            ),
          ),
    ),
    logoutUnconfirmed: emit(({ context }) =>
      logLine('warn', 'logout', `${context.server} did not confirm the logout; leaving anyway`),
    ),
    logLoggedOut: emit(({ context }) => logLine('info', 'logout', `${context.name} logged out`)),
    logFailed: emit(({ context }) => logLine('error', 'failed', context.reason ?? 'failed')),
  },
});

/**
 * The peer's lifecycle: `idle → loggingIn → awaitingAccept → fetchingList → online → loggingOut → loggedOut`, or
 * `failed` with a reason a person can read; an online peer that loses its server goes `reconnecting` (it keeps its
 * list and talks peer to peer meanwhile) and back through `fetchingList` to `online`. Pure: it decides, the engine
 * does the I/O.
 *
 * ## Contract with the engine
 * - **Input** {@link PeerInput}: `{ name, server, session, options? }` (`server` is the index server's UDP endpoint as
 *   printed, `session` a fresh id the engine made, `options` see ./peer.options.ts).
 * - **Events in** {@link PeerEvent}: the user's `LOGIN`, `LOGOUT`, `SAY { to, text, id, time }` (the engine makes the
 *   id and the time text, so the machine stays deterministic), and `datagram.<type> { message, from }` for every
 *   decoded datagram on the peer's socket (`datagram.Accept`, `datagram.login`, `datagram.rtalk`, …).
 * - **Commands out** (`actor.on(type, …)`), {@link PeerEmitted}: `send { to, message }`; `users { replica }` whenever
 *   the online list may have changed (read it with `replicaUsers(replica)` from src/presence, which costs O(users):
 *   the machine never copies the list); `talk.received { from, time, text, id? }` (once per message: duplicated
 *   `rtalk`s are dropped); `talk.status { id, to, status, reason? }` with `sending` → `delivered`/`failed` for a
 *   reliable talk and `sent` for a classic one; `log { level, kind, text }`.
 * - **Actors the engine provides** with `.provide({ actors })`: `bindSocket` (input `{ name }`, resolves to the peer's
 *   own UDP endpoint string) and `fetchList` (input `{ address, port }`, resolves `{ list, extension? }`, the raw TCP
 *   strings; it gets an AbortSignal and must drop the connection when the machine stops it on a timeout). The
 *   defaults reject with "… not provided". Reliable talks in flight are a table in the context (./talk.table.ts), each
 *   following the talk statechart (./talk.machine.ts), each guarded by a delayed `talk.timeout` event.
 * - **Delays** (all named, so a simulated clock drives them): `loginRetry` and `reconnectRetry` (backoffs from the
 *   options), `listTimeout`, `resyncDelay`, `heartbeatInterval` (the server's `hb`), `logoutTimeout`.
 * - **Output**: `{ reason? }`, the failure reason when it ends in `failed`.
 *
 * Every datagram only the server sends (`Accept`, `Refuse`, `pong`, `unknown`, and forwarded presence from an imstate
 * server) is first checked against its source by the `notFromServer` guard (./peer.origin.ts); a spoof is emitted
 * as `rejected { code: 'not-from-server', text }` and changes nothing. The engine makes no trust decision of its own.
 *
 * Against a classic server (an `Accept` without `imstate=1`) the peer sends only classic datagrams: its `login`
 * (which always announces `imstate=1,session=<id>` in fields the original ignores), plain `logout`, plain `talk`,
 * no `ping`, no `rtalk`; a `receipt` goes out only in answer to an `rtalk`, which only an imstate peer sends.
 * @module
 */
import { createReplica } from '../src/presence/index.js';
import { resolvePeerOptions } from './peer.options.js';
import { peerSetup } from './peer.setup.js';
import { listInput } from './peer.wire.js';
import { emptyTalkTable } from './talk.table.js';

export type {
  PeerContext,
  PeerEmitted,
  PeerEvent,
  PeerInput,
  SayEvent,
  TalkReceived,
  TalkStatus,
  UsersCommand,
} from './peer.types.js';

// Talk while online, and while reconnecting to the users the list knew (peer to peer needs no server).
const say = [
  { guard: 'talkInFlight', actions: 'sayDuplicateId' },
  { guard: 'recipientMissing', actions: 'sayToNobody' },
  { guard: 'recipientReliable', actions: 'startReliableTalk' },
  { actions: 'sendClassicTalk' },
] as const;
/**
 * The source check every server-only datagram meets first (./peer.origin.ts): one that only the server sends, from
 * anywhere but the server, is rejected (counted and logged by the engine) and changes nothing.
 */
const spoof = { guard: 'notFromServer', actions: 'rejectSpoofed' } as const;

/** The peer machine. See the module comment for its contract, and machines/README.md for each state. */
export const peerMachine = peerSetup.createMachine({
  id: 'peer',
  context: ({ input }) => ({
    name: input.name,
    server: input.server,
    session: input.session,
    options: resolvePeerOptions(input.options),
    loginTries: 0,
    wasOnline: false,
    listTries: 0,
    replica: createReplica(),
    pings: 0,
    talks: emptyTalkTable(),
    recent: new Map(),
  }),
  initial: 'idle',
  on: {
    // In a state that takes none of these, a spoofed one is still rejected; a genuine one is ignored.
    'datagram.Accept': spoof,
    'datagram.Refuse': spoof,
    'datagram.login': spoof,
    'datagram.logout': spoof,
    'datagram.pong': spoof,
    'datagram.unknown': spoof,
    'datagram.rtalk': [
      { guard: 'isDuplicateTalk', actions: 'sendReceipt' },
      { actions: ['sendReceipt', 'rememberTalk', 'receiveReliableTalk'] },
    ],
    'datagram.talk': { actions: 'receiveTalk' },
    'datagram.receipt': { guard: 'isReceiptForTalk', actions: 'talkReceipt' },
    SAY: { actions: 'sayOffline' },
    'talk.timeout': { actions: 'talkTimeout' },
  },
  states: {
    idle: {
      on: { LOGIN: { target: 'loggingIn' }, LOGOUT: { target: 'loggedOut' } },
    },
    loggingIn: {
      invoke: {
        id: 'bindSocket',
        src: 'bindSocket',
        input: ({ context }) => ({ name: context.name }),
        onDone: [
          { guard: 'endpointValid', target: 'awaitingAccept', actions: 'takeEndpoint' },
          { target: 'failed', actions: 'badEndpoint' },
        ],
        onError: { target: 'failed', actions: 'bindFailed' },
      },
      on: { LOGOUT: { target: 'loggedOut' } },
    },
    awaitingAccept: {
      entry: ['countLoginTry', 'sendLogin'],
      after: {
        loginRetry: [
          { guard: 'loginTriesLeft', target: 'awaitingAccept', reenter: true },
          { target: 'failed', actions: 'noAnswer' },
        ],
      },
      on: {
        // No presence here: the list fetched after Accept already holds whatever was broadcast before it, and a
        // forwarded login kept from a server that has since restarted is numbered in its old sequence, which the new
        // server's snapshot would then take for its own next event (test/engine/convergence.prop.test.ts found it).
        'datagram.Accept': [spoof, { target: 'fetchingList', actions: 'takeAccept' }],
        'datagram.Refuse': [spoof, { target: 'failed', actions: 'refused' }],
        LOGOUT: { target: 'loggingOut' },
      },
    },
    fetchingList: {
      entry: 'countListTry',
      initial: 'requesting',
      states: {
        requesting: {
          invoke: {
            id: 'fetchList',
            src: 'fetchList',
            input: listInput,
            onDone: [
              { guard: 'listReadable', target: '#peer.online', actions: 'takeList' },
              { target: 'waiting', actions: 'listUnreadable' },
            ],
            onError: { target: 'waiting', actions: ['listFetchFailed', 'askAcceptAgain'] },
          },
        },
        waiting: {},
      },
      after: {
        listTimeout: [
          { guard: 'listTriesLeft', target: 'fetchingList', reenter: true, actions: 'logListRetry' },
          { guard: 'wasOnline', target: 'reconnecting', actions: 'listLost' },
          { target: 'failed', actions: 'listGaveUp' },
        ],
      },
      on: {
        'datagram.login': [spoof, { actions: 'applyPresence' }],
        // A newer login of the name can win while the list is still on its way (two logins at once): told so here,
        // the session ends instead of going online, finding itself unknown and taking the name back.
        'datagram.logout': [
          spoof,
          { guard: 'isReplacedNotice', target: 'failed', actions: 'replaced' },
          { actions: 'applyPresence' },
        ],
        'datagram.batch': [spoof, { actions: 'applyBatch' }],
        // The Accept a failed fetch's login asked for again: it names the list port as it is now.
        'datagram.Accept': [spoof, { actions: 'takeListPort' }],
        LOGOUT: { target: 'loggingOut' },
      },
    },
    online: {
      type: 'parallel',
      entry: ['markOnline', 'emitUsers', 'logOnline', 'proveByPing'],
      states: {
        presence: {
          initial: 'live',
          states: {
            live: {
              always: { guard: 'gapSeen', target: 'gap' },
            },
            gap: {
              always: { guard: 'noGap', target: 'live' },
              after: { resyncDelay: { target: 'resyncing' } },
            },
            resyncing: {
              invoke: {
                id: 'resync',
                src: 'fetchList',
                input: listInput,
                onDone: [
                  { guard: 'listReadable', target: 'live', actions: ['takeList', 'emitUsers'] },
                  { target: 'live', actions: 'listUnreadable' },
                ],
                onError: { target: 'live', actions: 'listFetchFailed' },
              },
              after: { listTimeout: { target: 'live', actions: 'logResyncTimeout' } },
            },
          },
        },
        heartbeat: {
          initial: 'choosing',
          states: {
            choosing: {
              always: [{ guard: 'heartbeatsWanted', target: 'beating' }, { target: 'off' }],
            },
            off: {},
            beating: {
              after: {
                heartbeatInterval: [
                  { guard: 'pongsMissing', target: '#peer.reconnecting', actions: 'serverSilent' },
                  { target: 'beating', reenter: true, actions: 'sendPing' },
                ],
              },
            },
          },
        },
      },
      on: {
        'datagram.logout': [
          spoof,
          { guard: 'isReplacedNotice', target: 'failed', actions: 'replaced' },
          { actions: ['applyPresence', 'emitUsers'] },
        ],
        'datagram.login': [spoof, { actions: ['applyPresence', 'emitUsers'] }],
        'datagram.batch': [spoof, { actions: ['applyBatch', 'emitUsers'] }],
        'datagram.unknown': [spoof, { guard: 'isUnknownForMe', target: 'reconnecting', actions: 'relogin' }],
        'datagram.pong': [spoof, { actions: 'takePong' }],
        SAY: say,
        LOGOUT: { target: 'loggingOut' },
      },
    },
    // The server was lost after being online: log in again with backoff (forever by default), keeping the list for
    // talking to whom it holds. Presence is ignored, as in awaitingAccept; a new Accept starts the list afresh.
    reconnecting: {
      entry: ['countLoginTry', 'sendLogin'],
      after: {
        reconnectRetry: [
          { guard: 'reconnectTriesLeft', target: 'reconnecting', reenter: true },
          { target: 'failed', actions: 'noAnswerAgain' },
        ],
      },
      on: {
        'datagram.Accept': [spoof, { target: 'fetchingList', actions: ['takeAccept', 'forgetList'] }],
        'datagram.Refuse': [spoof, { target: 'failed', actions: 'refused' }],
        SAY: say,
        LOGOUT: { target: 'loggingOut' },
      },
    },
    loggingOut: {
      entry: 'sendLogout',
      always: { guard: 'noLogoutConfirmation', target: 'loggedOut' },
      after: { logoutTimeout: { target: 'loggedOut', actions: 'logoutUnconfirmed' } },
      on: {
        'datagram.logout': [spoof, { guard: 'isOwnLogout', target: 'loggedOut' }],
      },
    },
    loggedOut: { type: 'final', entry: 'logLoggedOut' },
    failed: { type: 'final', entry: 'logFailed' },
  },
  output: ({ context }) => (context.reason === undefined ? {} : { reason: context.reason }),
});

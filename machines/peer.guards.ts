/**
 * The peer machine's guards: what it asks of an event and its context before it takes a transition (./peer.setup.ts
 * has the actions, ./peer.machine.ts the states that name both). Pure functions of the context and the event.
 * @module
 */
import { assertEvent } from 'xstate';
import { replicaFindUser, resyncNeeded } from '../src/presence/index.js';
import { parseEndpoint } from '../src/protocol/index.js';
import { isDatagramEvent, outputOf } from './commands.js';
import { isSpoofed } from './peer.origin.js';
import { fetchedOf, readUserList } from './peer.wire.js';
import { talkInFlight } from './talk.table.js';
import type { PeerContext, PeerEvent } from './peer.types.js';

/** What a guard of the peer machine is given. */
interface GuardArgs {
  readonly context: PeerContext;
  readonly event: PeerEvent;
}

/** The peer machine's guards, by the names its states use. */
export const peerGuards = {
  notFromServer: ({ context, event }) => isDatagramEvent(event) && isSpoofed(context, event.message, event.from),
  endpointValid: ({ event }) => parseEndpoint(String(outputOf(event))).ok,
  loginTriesLeft: ({ context }) => context.loginTries < context.options.loginTries,
  reconnectTriesLeft: ({ context }) => context.loginTries < context.options.reconnectTries,
  wasOnline: ({ context }) => context.wasOnline,
  listTriesLeft: ({ context }) => context.listTries < context.options.listTries,
  listReadable: ({ event }) => readUserList(fetchedOf(event)).ok,
  isUnknownForMe: ({ context, event }) => {
    assertEvent(event, 'datagram.unknown');
    return event.message.name === context.name;
  },
  isOwnLogout: ({ context, event }) => {
    assertEvent(event, 'datagram.logout');
    return event.message.name === context.name && event.message.session === context.session;
  },
  isReplacedNotice: ({ context, event }) => {
    assertEvent(event, 'datagram.logout');
    const { name, session, reason } = event.message;
    return name === context.name && session === context.session && reason === 'replaced';
  },
  isDuplicateTalk: ({ context, event }) => {
    assertEvent(event, 'datagram.rtalk');
    return context.recent.get(event.message.name)?.includes(event.message.id) ?? false;
  },
  isReceiptForTalk: ({ context, event }) => {
    assertEvent(event, 'datagram.receipt');
    return talkInFlight(context.talks, event.message.id);
  },
  gapSeen: ({ context }) => resyncNeeded(context.replica) !== undefined,
  noGap: ({ context }) => resyncNeeded(context.replica) === undefined,
  heartbeatsWanted: ({ context }) => context.accept?.heartbeatMs !== undefined,
  pongsMissing: ({ context }) => context.pings >= context.options.pongMisses,
  noLogoutConfirmation: ({ context }) => context.serverImstate !== true,
  talkInFlight: ({ context, event }) => {
    assertEvent(event, 'SAY');
    return talkInFlight(context.talks, event.id);
  },
  recipientMissing: ({ context, event }) => {
    assertEvent(event, 'SAY');
    return replicaFindUser(context.replica, event.to) === undefined;
  },
  recipientReliable: ({ context, event }) => {
    assertEvent(event, 'SAY');
    return context.serverImstate === true && replicaFindUser(context.replica, event.to)?.imstate === true;
  },
} satisfies Record<string, (args: GuardArgs) => boolean>;

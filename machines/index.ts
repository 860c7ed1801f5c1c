/**
 * imstate's lifecycles as pure XState v5 machines: the peer, the index server, one session per online user, and one
 * reliable talk message (with the table the peer keeps them in). The engine (src/engine/) runs them against
 * sockets; see machines/README.md for the contract. Named re-exports only.
 * @module
 */
export type { DatagramEvent, DatagramEventOf, LogCommand, SendCommand } from './commands.js';
export { datagramEvent, errorText, isDatagramEvent, logLine } from './commands.js';
export type { PeerContext, PeerEmitted, PeerEvent, PeerInput, SayEvent, TalkReceived, TalkStatus, UsersCommand } from './peer.machine.js';
export { peerMachine } from './peer.machine.js';
export type { PeerOptions } from './peer.options.js';
export { defaultPeerOptions, loginRetryDelay, reconnectRetryDelay, resolvePeerOptions } from './peer.options.js';
export type { LoginRetry, RetrySnapshot } from './peer.retry.js';
export { loginRetryOf } from './peer.retry.js';
export type { AcceptInfo, FetchedList, ListAddress } from './peer.wire.js';
export { listAddress, loginMessage, logoutMessage, readAccept, readUserList, receivePresence } from './peer.wire.js';
export type {
  BindRequest,
  BroadcastCommand,
  PresenceAppendCommand,
  PresenceAppended,
  PresenceCause,
  PresenceConflict,
  PresenceEvents,
  ServerContext,
  ServerEmitted,
  ServerEvent,
  ServerInput,
  StartEvent,
} from './server.machine.js';
export { serverMachine } from './server.machine.js';
export type { PresenceForms, ServerOptions } from './server.wire.js';
export {
  acceptMessage,
  defaultServerOptions,
  endpointOf,
  logoutForm,
  presenceForms,
  resolveServerOptions,
  userFromLogin,
} from './server.wire.js';
export type { SessionContext, SessionEndReason, SessionEvent, SessionInput } from './session.machine.js';
export { sessionMachine } from './session.machine.js';
export type { SessionDirectoryEvent, SessionDirectoryInput, SessionDirectoryState, SessionExpired } from './session.directory.js';
export { createSessionDirectory, sessionActorId, sessionCount, sessionDirectory } from './session.directory.js';
export type { TalkInput, TalkReceiptEvent, TalkStatusReport, TalkTransmit } from './talk.machine.js';
export { talkMachine } from './talk.machine.js';
export type { TalkEntry, TalkStart, TalkStep, TalkTable, TalkTimeoutEvent } from './talk.table.js';
export { emptyTalkTable, receiveTalkReceipt, startTalk, talkEntry, talkInFlight, talkTimedOut, talkTimerId } from './talk.table.js';

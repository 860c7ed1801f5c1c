/**
 * The lifecycles as pure XState v5 machines, for custom drivers and inspectors. Each file's TSDoc states its
 * contract with the engine: the events it takes, the commands it emits, the actors and delays to provide.
 * @module
 */
export { peerMachine, type PeerContext, type PeerEmitted, type PeerEvent, type PeerInput, type SayEvent, type TalkReceived, type TalkStatus, type UsersCommand } from './peer.machine.js';
export { defaultPeerOptions, resolvePeerOptions, type PeerOptions } from './peer.options.js';
export {
  serverMachine,
  type BindRequest,
  type BroadcastCommand,
  type PresenceCommand,
  type ServerContext,
  type ServerEmitted,
  type ServerEvent,
  type ServerInput,
} from './server.machine.js';
export { defaultServerOptions, resolveServerOptions, type ServerOptions } from './server.wire.js';
export { sessionMachine, type SessionContext, type SessionEndReason, type SessionEvent, type SessionInput } from './session.machine.js';
export { talkMachine, type TalkInput } from './talk.machine.js';
export type { DatagramEvent, LogCommand, SendCommand } from './commands.js';

/**
 * The engine: where the machines meet sockets. `createIndexServer()` and `createPeer()` return typed handles with
 * Observables for state, users, messages and log lines.
 * @module
 */
export { createIndexServer, type CreateIndexServerOptions } from './server.js';
export { createPeer, type CreatePeerOptions } from './peer.js';
export { EngineError, type EngineErrorCode } from './errors.js';
export type { EngineClock, EngineOptions, InspectOption } from './options.js';
export type {
  ChatMessage,
  DeliveryStatus,
  IndexServerHandle,
  LifecycleState,
  LogEntry,
  PeerHandle,
  ServerAddress,
} from './types.js';

/**
 * imstate: a hybrid peer-to-peer instant-messaging engine whose every lifecycle is an XState machine, wire-compatible
 * with the classic C# tutorial program.
 *
 * The root entry is the product: {@link createIndexServer} and {@link createPeer}, the handles they return (Observables
 * for state, users, presence, messages and log lines), {@link createOutbox} for messages to users not online,
 * {@link createRedisLog} for several servers on one presence, {@link EngineError}, their options and the values their streams
 * carry. Everything exported here is a promise kept; `test/api/entries.test.ts` pins the list. Importing it loads
 * neither the inspector's web server nor `ws`.
 *
 * The other entries:
 * - `imstate/protocol`: the wire codec (datagrams, the TCP list, endpoints, names), for tools that speak the wire.
 * - `imstate/machines`: the machines themselves, with their events and commands, for custom drivers.
 * - `imstate/inspect`: the live inspector (a local web page), handed to the engines as `inspect`.
 * - `imstate/testing`: the in-memory network with seeded faults and fast-check arbitraries (needs `fast-check`).
 * @packageDocumentation
 */
export { createIndexServer, type CreateIndexServerOptions } from './engine/server.js';
export { createPeer, type CreatePeerOptions } from './engine/peer.js';
export { createOutbox, type Outbox } from './engine/outbox.js';
export { EngineError, type EngineErrorCode } from './engine/errors.js';
// Several servers on one presence: the `store` option, or a Redis log made by hand (a key prefix, a server id).
export { createRedisLog, type RedisLogOptions, type RedisPresenceLog } from './engine/redis/redis-log.js';
export type { StoreOption } from './engine/cluster/store-option.js';
export type { AppendResult, Orphan, SharedPresenceLog, StoreNotice } from './engine/cluster/shared-log.js';
export type { StoreAddress } from './engine/redis/store-url.js';
export type { EngineClock, EngineOptions, InspectOption } from './engine/options.js';
export type {
  ChatMessage,
  DeliveryStatus,
  IndexServerHandle,
  LifecycleState,
  LogEntry,
  LoginRetry,
  PeerHandle,
  ServerAddress,
} from './engine/types.js';
// What the handles' streams and the `log` option speak in.
export type { JoinedEvent, LeaveReason, LeftEvent, PresenceChange, PresenceEvent, Snapshot, User } from './presence/types.js';
export type { PresenceLog, Resync } from './presence/log.js';
// What the options name: the peer machine's timings, the codec's limits, and the network contract.
export type { PeerOptions as PeerTimings } from '../machines/peer.options.js';
export type { CodecLimits } from './protocol/limits.js';
export type {
  BindOptions,
  Network,
  SocketAddress,
  TcpConnectOptions,
  TcpConnection,
  TcpServerEvent,
  TcpServerOptions,
  UdpEvent,
  UdpSocket,
} from './transport/types.js';
export type { TransportError, TransportErrorCode } from './transport/errors.js';

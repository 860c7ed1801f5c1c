/**
 * imstate: a hybrid peer-to-peer instant-messaging engine whose every lifecycle is an XState machine, wire-compatible
 * with the classic C# tutorial program. Named re-exports only.
 *
 * - Embedding: {@link createIndexServer}, {@link createPeer} and their handles (Observables for state, users,
 *   messages and log lines).
 * - Custom drivers and inspection: the machines themselves (`peerMachine`, `serverMachine`, `sessionMachine`,
 *   `talkMachine`) with their event and command types.
 * - The wire codec, the presence log and replica, and the transports (real and in-memory).
 * - Property-based testing helpers (fast-check arbitraries) live in the `imstate/testing` entry.
 * @packageDocumentation
 */
export * from './engine/index.js';
export * from './protocol/index.js';
export * from './presence/index.js';
export {
  createMemoryNetwork,
  nodeNetwork,
  TransportError,
  type BindOptions,
  type Clock,
  type Faults,
  type MemoryNetwork,
  type MemoryNetworkOptions,
  type MemoryNetworkStats,
  type Network,
  type SocketAddress,
  type TcpConnection,
  type TcpServerEvent,
  type UdpEvent,
  type UdpSocket,
  type TransportErrorCode,
} from './transport/index.js';
export * from '../machines/index.js';
export * from './inspect/index.js';

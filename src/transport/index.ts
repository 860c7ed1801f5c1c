/**
 * The transport: the only part of imstate that touches `node:dgram` and `node:net`.
 * @module
 */
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
} from './types.js';
export { TransportError, type TransportErrorCode } from './errors.js';
export { familyOf, formatAddress, resolveHost, sameAddress, socketAddress } from './address.js';
export { nodeNetwork } from './node-network.js';
export {
  createMemoryNetwork,
  type Clock,
  type Faults,
  type MemoryNetwork,
  type MemoryNetworkOptions,
  type MemoryNetworkStats,
} from './memory-network.js';
export { createRandom, type Random } from './random.js';

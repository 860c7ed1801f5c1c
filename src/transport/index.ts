/**
 * The transport: the only part of imstate that touches `node:dgram` and `node:net`.
 *
 * @example
 * ```ts
 * import { nodeNetwork, createMemoryNetwork } from './transport/index.js';
 * const network = process.env.TEST ? createMemoryNetwork({ seed: 7, faults: { loss: 0.1 } }) : nodeNetwork;
 * const subscription = network.udp({ host: '127.0.0.1', port: 0 }).subscribe((event) => {
 *   if (event.type === 'listening') console.log('bound at', event.socket.local.port);
 *   if (event.type === 'datagram') console.log(event.bytes.length, 'bytes from', event.from.address);
 * });
 * subscription.unsubscribe(); // closes the socket
 * await network.whenClosed(); // ...and waits until the OS has let go of it
 * ```
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

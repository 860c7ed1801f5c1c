/**
 * The real network: `node:dgram` and `node:net` behind the {@link Network} interface.
 * @module
 */
import { ClosingHandles } from './closing.js';
import { nodeTcpConnect, nodeTcpServer } from './node-tcp.js';
import { nodeUdp } from './node-udp.js';
import type { Network } from './types.js';

const closing = new ClosingHandles();

/**
 * The real network (UDP via `node:dgram`, udp4 or udp6 chosen from the host; TCP via `node:net`).
 * `whenClosed()` waits for every handle any stream of it has closed, so one shared instance is enough.
 */
export const nodeNetwork: Network = {
  udp: (options) => nodeUdp(options, closing),
  tcpServer: (options) => nodeTcpServer(options, closing),
  tcpConnect: (to, options = {}) => nodeTcpConnect(to, options, closing),
  whenClosed: () => closing.whenClosed(),
};

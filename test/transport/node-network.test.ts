/**
 * The transport contract over real loopback sockets.
 */
import { nodeNetwork } from '../../src/transport/node-network.js';
import { networkContract } from './contract.js';

networkContract('node:dgram / node:net', () => ({ network: nodeNetwork, checksHandles: true }));

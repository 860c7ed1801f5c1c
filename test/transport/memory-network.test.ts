/**
 * The transport contract over the in-memory network (fault-free, real timers), then what only it has:
 * seeded faults, reproducibility, crashes and a simulated clock.
 */
import { createMemoryNetwork } from '../../src/transport/memory-network.js';
import { networkContract } from './contract.js';

networkContract('in-memory network', () => ({ network: createMemoryNetwork({ seed: 42 }), checksHandles: false }));

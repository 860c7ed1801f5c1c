/**
 * `imstate/testing`: what people doing property-based protocol testing need — fast-check arbitraries for every wire
 * message and for presence histories and delivery schedules, the in-memory network with seeded faults, and several
 * servers' shared presence log in memory (the model of the Redis store).
 * Requires `fast-check` (a peer dependency of this entry only).
 * @packageDocumentation
 */
export * from './testing/arbitraries.js';
export * from './testing/presence-arbitraries.js';
export { createMemoryCluster, type MemoryCluster } from './engine/cluster/memory-cluster.js';
export { createMemoryNetwork, type Faults, type MemoryNetwork, type MemoryNetworkOptions } from './transport/memory-network.js';

/**
 * `imstate/testing`: what people doing property-based protocol testing need — fast-check arbitraries for every wire
 * message and for presence histories and delivery schedules, and the in-memory network with seeded faults.
 * Requires `fast-check` (a peer dependency of this entry only).
 * @packageDocumentation
 */
export * from './testing/arbitraries.js';
export * from './testing/presence-arbitraries.js';
export { createMemoryNetwork, type Faults, type MemoryNetwork, type MemoryNetworkOptions } from './transport/memory-network.js';

/**
 * The in-memory network: the same {@link Network} as the real one, with seeded loss, duplication, reordering and
 * delay, on a clock of your choice. With XState's `SimulatedClock` one clock drives the machines and the network,
 * so a property test can run real machines over a hostile network fast and reproducibly.
 * @module
 */
import type { Observable } from 'rxjs';
import { realClock, type Clock } from './delivery-queue.js';
import { crashTcp, memoryTcpConnect, memoryTcpServer, MemoryTcp } from './memory-tcp.js';
import { crashUdp, memoryUdp } from './memory-udp.js';
import { MemoryWire, type Faults, type MemoryNetworkStats } from './memory-wire.js';
import { createRandom } from './random.js';
import type { Network, SocketAddress, TcpConnectOptions, TcpServerEvent } from './types.js';

export type { Clock } from './delivery-queue.js';
export type { Faults, MemoryNetworkStats } from './memory-wire.js';

/** Options of {@link createMemoryNetwork}. */
export interface MemoryNetworkOptions {
  /** Seeds every random draw (faults, delays, TCP chunking). Default 1. */
  readonly seed?: number;
  /** Faults in force from the start. Default none: lossless, in order, zero delay. */
  readonly faults?: Faults;
  /** The timers deliveries wait on. Default real timers; pass XState's `SimulatedClock` to drive time by hand. */
  readonly clock?: Clock;
}

/**
 * A {@link Network} that lives in memory. Same seed, same faults and the same calls in the same order ⇒ the same
 * deliveries at the same (clock) times.
 *
 * Differences from the real network, on purpose: only loopback addresses (127.0.0.0/8, ::1) and wildcards exist;
 * a wildcard-bound socket sends from 127.0.0.1 / ::1, as the OS picks for a loopback route; IPv4 and IPv6 are
 * separate (a `::` socket does not receive IPv4); a destroyed TCP connection still delivers what was written,
 * then ends.
 */
export interface MemoryNetwork extends Network {
  /** Replaces the faults in force, e.g. `setFaults({})` to let the network quiesce. */
  setFaults(faults: Faults): void;
  /**
   * The socket (UDP) and listener (TCP) bound exactly at `address` vanish as a crashed process's would: no close,
   * no goodbye; their streams go silent, their ports are free again, datagrams to them are dropped, and open TCP
   * connections of the listener are reset. Returns true if anything was there.
   */
  crash(address: SocketAddress): boolean;
  /** Counters since creation. */
  readonly stats: Readonly<MemoryNetworkStats>;
  /** Datagrams, chunks and connection set-ups still in flight. Zero (with no faults in force) means quiescent. */
  readonly pending: number;
  /** When the next thing in flight is due (clock ms), or undefined when nothing is. */
  readonly nextDueAt: number | undefined;
  /** The network's current time (the clock's). */
  now(): number;
  /**
   * Delivers at once everything due by now, including what those deliveries send with zero delay; returns how many
   * were delivered. Useful with a `SimulatedClock` between `increment()` calls; with real timers it just runs early.
   */
  flush(): number;
}

/** Creates an in-memory {@link MemoryNetwork}. */
export const createMemoryNetwork = (options: MemoryNetworkOptions = {}): MemoryNetwork => {
  const wire = new MemoryWire(createRandom(options.seed ?? 1), options.clock ?? realClock, options.faults ?? {});
  const tcp = new MemoryTcp(wire);
  return {
    udp: (bind) => memoryUdp(wire, bind),
    tcpServer: (bind): Observable<TcpServerEvent> => memoryTcpServer(tcp, bind),
    tcpConnect: (to: SocketAddress, connect?: TcpConnectOptions) => memoryTcpConnect(tcp, to, connect),
    whenClosed: () => Promise.resolve(),
    setFaults: (faults) => wire.setFaults(faults),
    crash: (address) => {
      const udp = crashUdp(wire, address);
      const listener = crashTcp(tcp, address);
      return udp || listener;
    },
    stats: wire.stats,
    get pending() {
      return wire.queue.pending;
    },
    get nextDueAt() {
      return wire.queue.nextDueAt;
    },
    now: () => wire.queue.now(),
    flush: () => wire.queue.flush(),
  };
};

/**
 * The in-memory network's shared state: the seeded randomness, the faults in force, the timeline, the port tables
 * and the counters. The UDP and TCP halves both work on one wire, so one seed orders everything.
 * @module
 */
import type { Clock } from './delivery-queue.js';
import { DeliveryQueue } from './delivery-queue.js';
import { BindingTable } from './memory-bindings.js';
import type { Random } from './random.js';
import type { SocketAddress } from './types.js';

/** Faults injected into UDP traffic (TCP only gets the delay: it is reliable and ordered). */
export interface Faults {
  /** Probability that a datagram is lost, 0–1. */
  readonly loss?: number;
  /** Probability that a datagram arrives twice, 0–1. */
  readonly duplicate?: number;
  /** Probability that a datagram is held back so that later ones overtake it, 0–1. */
  readonly reorder?: number;
  /** One-way delay, drawn uniformly in whole ms from [min, max]. Default [0, 0]. */
  readonly delayMs?: readonly [min: number, max: number];
  /** The longest extra hold-back of a reordered datagram, ms. Default max(10, 2 × the delay's max). */
  readonly reorderMs?: number;
}

/** What the in-memory network has done so far. */
export interface MemoryNetworkStats {
  /** Datagrams handed to the wire (after the socket accepted them). */
  sent: number;
  /** Datagrams handed to a receiving socket (duplicates count twice). */
  delivered: number;
  lost: number;
  duplicated: number;
  reordered: number;
  /** Datagrams that arrived where no socket was bound (closed, crashed, never there). */
  unroutable: number;
  /** TCP connections accepted by a listener. */
  tcpConnections: number;
  /** TCP chunks delivered to a client. */
  tcpChunks: number;
}

interface SettledFaults {
  loss: number;
  duplicate: number;
  reorder: number;
  delayMin: number;
  delayMax: number;
  reorderMs: number;
}

const probability = (p: number | undefined): number => (p === undefined || !(p > 0) ? 0 : Math.min(1, p));
const millis = (ms: number | undefined): number => (ms === undefined || !(ms > 0) ? 0 : Math.floor(ms));

/** Normalises user-given faults: probabilities clamped to [0, 1], delays to whole non-negative ms. */
export const settleFaults = (faults: Faults): SettledFaults => {
  const a = millis(faults.delayMs?.[0]);
  const b = millis(faults.delayMs?.[1] ?? faults.delayMs?.[0]);
  const delayMin = Math.min(a, b);
  const delayMax = Math.max(a, b);
  return {
    loss: probability(faults.loss),
    duplicate: probability(faults.duplicate),
    reorder: probability(faults.reorder),
    delayMin,
    delayMax,
    reorderMs: Math.max(1, millis(faults.reorderMs) || Math.max(10, 2 * delayMax)),
  };
};

/** A socket that can receive datagrams from the wire. */
export interface DatagramReceiver {
  readonly state: 'open' | 'closed' | 'crashed';
  receive(bytes: Uint8Array, from: SocketAddress): void;
  /** Vanishes as a crashed process's socket does. */
  crash(): void;
}

/** Sizes of the chunks a TCP write is cut into: often tiny (so length prefixes split), sometimes large. */
const SMALL_CHUNK = 4;
const LARGE_CHUNK = 16 * 1024;

/** The in-memory network's shared state. */
export class MemoryWire {
  readonly queue: DeliveryQueue;
  readonly udp = new BindingTable<DatagramReceiver>();
  readonly stats: MemoryNetworkStats = {
    sent: 0,
    delivered: 0,
    lost: 0,
    duplicated: 0,
    reordered: 0,
    unroutable: 0,
    tcpConnections: 0,
    tcpChunks: 0,
  };
  private settled: SettledFaults;

  constructor(
    readonly random: Random,
    readonly clock: Clock,
    faults: Faults,
  ) {
    this.queue = new DeliveryQueue(clock);
    this.settled = settleFaults(faults);
  }

  /** Replaces the faults in force (datagrams already in flight keep their fate). */
  setFaults(faults: Faults): void {
    this.settled = settleFaults(faults);
  }

  /** The faults in force, normalised. */
  get faults(): Readonly<SettledFaults> {
    return this.settled;
  }

  /** One draw of the one-way delay. */
  latency(): number {
    return this.random.intBetween(this.settled.delayMin, this.settled.delayMax);
  }

  /** Puts one datagram on the wire, where it may be lost, duplicated, held back and delayed. */
  sendDatagram(bytes: Uint8Array, from: SocketAddress, to: SocketAddress): void {
    const f = this.settled;
    this.stats.sent++;
    if (this.random.chance(f.loss)) {
      this.stats.lost++;
      return;
    }
    const copies = this.random.chance(f.duplicate) ? 2 : 1;
    if (copies === 2) this.stats.duplicated++;
    const now = this.queue.now();
    for (let i = 0; i < copies; i++) {
      let delay = this.latency();
      if (this.random.chance(f.reorder)) {
        this.stats.reordered++;
        delay += this.random.intBetween(1, f.reorderMs);
      }
      this.queue.schedule(now + delay, () => this.deliverDatagram(bytes, from, to));
    }
  }

  /** Cuts a TCP write into seeded random chunks (views of `bytes`), so that framing bugs show. */
  splitChunks(bytes: Uint8Array): Uint8Array[] {
    const chunks: Uint8Array[] = [];
    let offset = 0;
    while (offset < bytes.length) {
      const rest = bytes.length - offset;
      const most = this.random.next() < 0.3 ? SMALL_CHUNK : LARGE_CHUNK;
      const size = this.random.intBetween(1, Math.min(rest, most));
      chunks.push(bytes.subarray(offset, offset + size));
      offset += size;
    }
    return chunks;
  }

  private deliverDatagram(bytes: Uint8Array, from: SocketAddress, to: SocketAddress): void {
    const target = this.udp.lookup(to);
    if (target === undefined || target.state !== 'open') {
      this.stats.unroutable++;
      return;
    }
    this.stats.delivered++;
    target.receive(bytes, from);
  }
}

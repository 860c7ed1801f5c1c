/**
 * UDP on the in-memory network: a socket bound in the wire's port table, sending through the seeded faults.
 * Binding is synchronous (the port is taken at subscribe time) but announced asynchronously, as a real bind is.
 * @module
 */
import { Observable, type Subscriber } from 'rxjs';
import { familyOf, resolveHost } from './address.js';
import { transportError, type TransportError } from './errors.js';
import { loopbackOf, wildcardOf } from './memory-bindings.js';
import type { DatagramReceiver, MemoryWire } from './memory-wire.js';
import type { BindOptions, SocketAddress, UdpEvent, UdpSocket } from './types.js';

/** The largest UDP payload the OS accepts, per family; larger sends fail as EMSGSIZE does. */
const MAX_DATAGRAM: Readonly<Record<'IPv4' | 'IPv6', number>> = { IPv4: 65507, IPv6: 65527 };

/** A bound in-memory UDP socket. */
class MemoryUdpSocket implements UdpSocket, DatagramReceiver {
  sendErrors = 0;
  state: 'open' | 'closed' | 'crashed' = 'open';
  /** The source address its datagrams carry: a wildcard-bound socket sends from loopback, as the OS would pick. */
  private readonly source: SocketAddress;
  private announced = false;

  constructor(
    private readonly wire: MemoryWire,
    readonly local: SocketAddress,
    private readonly subscriber: Subscriber<UdpEvent>,
  ) {
    this.source =
      local.address === wildcardOf(local.family) ? { ...local, address: loopbackOf(local.family) } : local;
  }

  send(bytes: Uint8Array, to: SocketAddress): void {
    if (this.state === 'crashed') return; // a dead process sends nothing, and nobody is left to tell
    if (this.state === 'closed') {
      this.sendErrors++;
      return;
    }
    const problem =
      !Number.isInteger(to.port) || to.port < 1 || to.port > 65535
        ? 'bad port'
        : familyOf(to.address) !== this.local.family
          ? `an ${this.local.family} socket cannot send to an ${familyOf(to.address)} address`
          : bytes.length > MAX_DATAGRAM[this.local.family]
            ? `datagram of ${bytes.length} bytes is too large (EMSGSIZE)`
            : undefined;
    if (problem !== undefined) {
      this.failSend(transportError('other', 'send-udp', to, problem));
      return;
    }
    // No copy: like Node's send, this takes the bytes over (the caller must not change them afterwards).
    this.wire.sendDatagram(bytes, this.source, to);
  }

  /** The wire takes a datagram at once (its faults and delays are the wire's): nothing ever waits here. */
  drained(): Promise<void> {
    return Promise.resolve();
  }

  /** Emits `'listening'` once, before anything else this socket emits. */
  announce(): void {
    if (this.announced || this.state !== 'open') return;
    this.announced = true;
    this.subscriber.next({ type: 'listening', socket: this });
  }

  receive(bytes: Uint8Array, from: SocketAddress): void {
    this.announce();
    this.subscriber.next({ type: 'datagram', bytes, from });
  }

  /** Vanishes without a word: the port is freed, the stream stays silent. */
  crash(): void {
    this.state = 'crashed';
    this.wire.udp.release(this.local, this);
  }

  close(): void {
    if (this.state === 'open') this.state = 'closed';
    this.wire.udp.release(this.local, this);
  }

  private failSend(error: TransportError): void {
    this.sendErrors++;
    // Reported asynchronously, as a real send's callback is, so that nobody is re-entered from inside send().
    queueMicrotask(() => {
      if (this.state === 'open') this.subscriber.next({ type: 'send-error', error });
    });
  }
}

/** `Network.udp` on a {@link MemoryWire}. */
export const memoryUdp = (wire: MemoryWire, options: BindOptions): Observable<UdpEvent> =>
  new Observable<UdpEvent>((subscriber) => {
    const host = resolveHost(options.host);
    const bound = wire.udp.bind(host, options.port, (local) => new MemoryUdpSocket(wire, local, subscriber));
    if (!bound.ok) {
      const error = transportError(bound.code, 'bind-udp', { address: host, port: options.port }, bound.detail);
      queueMicrotask(() => subscriber.error(error));
      return;
    }
    const socket = bound.owner;
    queueMicrotask(() => socket.announce());
    return () => socket.close();
  });

/** Makes the UDP socket bound exactly at `at` vanish; true if there was one. */
export const crashUdp = (wire: MemoryWire, at: SocketAddress): boolean => {
  const owner = wire.udp.exact(at);
  if (owner === undefined) return false;
  owner.crash();
  return true;
};

/**
 * TCP on the in-memory network: reliable and ordered (no loss, no duplication), delayed like UDP, and with every
 * write cut into seeded random chunks so that a reader that assumes one write = one chunk fails here first.
 * @module
 */
import { Observable, type Subscriber } from 'rxjs';
import { familyOf, resolveHost } from './address.js';
import { transportError } from './errors.js';
import { BindingTable, loopbackOf } from './memory-bindings.js';
import type { MemoryWire } from './memory-wire.js';
import {
  DEFAULT_TCP_CONNECT_TIMEOUT_MS,
  DEFAULT_TCP_IDLE_MS,
  type SocketAddress,
  type TcpConnectOptions,
  type TcpConnection,
  type TcpServerEvent,
  type TcpServerOptions,
} from './types.js';


/** The TCP half of a memory network: one port table for listeners and the ports clients connect from, as in the OS. */
export class MemoryTcp {
  readonly ports = new BindingTable<MemoryTcpListener | MemoryTcpClient>();
  constructor(readonly wire: MemoryWire) {}

  /** The listener that answers at `to`, if any (a client's port answers nothing). */
  listenerAt(to: SocketAddress): MemoryTcpListener | undefined {
    const owner = this.ports.lookup(to);
    return owner instanceof MemoryTcpListener ? owner : undefined;
  }
}

/** The client end of a connection: feeds the subscriber of `tcpConnect`. */
class MemoryTcpClient {
  state: 'active' | 'done' = 'active';
  server: MemoryServerConnection | undefined;
  private timer: unknown;

  constructor(
    private readonly tcp: MemoryTcp,
    readonly local: SocketAddress,
    readonly to: SocketAddress,
    private readonly subscriber: Subscriber<Uint8Array>,
    private readonly timeoutMs: number,
  ) {}

  start(): void {
    this.restartTimer();
    const wire = this.tcp.wire;
    // The SYN travels one latency; a refusal (RST) travels one more back.
    wire.queue.schedule(wire.queue.now() + wire.latency(), () => {
      if (this.state !== 'active') return;
      const listener = this.tcp.listenerAt(this.to);
      if (listener === undefined || listener.state !== 'open') {
        wire.queue.schedule(wire.queue.now() + wire.latency(), () =>
          this.fail(transportError('connection-refused', 'connect-tcp', this.to, 'simulated ECONNREFUSED')),
        );
        return;
      }
      this.server = listener.accept(this);
    });
  }

  receiveChunk(chunk: Uint8Array): void {
    if (this.state !== 'active') return;
    this.tcp.wire.stats.tcpChunks++;
    this.restartTimer();
    this.subscriber.next(chunk);
  }

  receiveEnd(): void {
    if (this.state !== 'active') return;
    this.close();
    this.subscriber.complete();
  }

  receiveReset(): void {
    this.fail(transportError('closed', 'tcp-stream', this.to, 'simulated ECONNRESET'));
  }

  /** Our side goes away (unsubscribed, or the stream ended): the server's writes now go nowhere. */
  close(): void {
    if (this.state === 'done') return;
    this.state = 'done';
    this.tcp.wire.clock.clearTimeout(this.timer);
    this.tcp.ports.release(this.local, this);
    this.server?.remoteClosed();
  }

  private fail(error: Error): void {
    if (this.state !== 'active') return;
    this.close();
    this.subscriber.error(error);
  }

  private restartTimer(): void {
    const clock = this.tcp.wire.clock;
    if (this.timer !== undefined) clock.clearTimeout(this.timer);
    if (this.timeoutMs <= 0) return;
    this.timer = clock.setTimeout(
      () => this.fail(transportError('timeout', 'connect-tcp', this.to, `nothing for ${this.timeoutMs} ms`)),
      this.timeoutMs,
    );
  }
}

/** The server end of a connection, handed to the listener's subscriber. */
class MemoryServerConnection implements TcpConnection {
  private state: 'open' | 'finished' = 'open';
  /** Due time of the last thing queued to the client, so that chunks and the FIN keep their order. */
  private lastDue = 0;
  private idleTimer: unknown;

  constructor(
    private readonly tcp: MemoryTcp,
    private readonly listener: MemoryTcpListener,
    private readonly client: MemoryTcpClient,
    readonly local: SocketAddress,
    private readonly idleTimeoutMs: number,
  ) {
    this.restartIdle();
  }

  get remote(): SocketAddress {
    return this.client.local;
  }

  write(bytes: Uint8Array): void {
    if (this.state !== 'open' || bytes.length === 0) return;
    this.restartIdle();
    for (const chunk of this.tcp.wire.splitChunks(bytes))
      this.toClient(() => this.client.receiveChunk(chunk));
  }

  end(): void {
    if (this.state !== 'open') return;
    this.toClient(() => this.client.receiveEnd());
    this.finish();
  }

  /** Like the OS on close(): what was already written still goes out, then the FIN. */
  destroy(): void {
    this.end();
  }

  /** The listener's process crashed: the kernel resets the connection. */
  reset(): void {
    if (this.state !== 'open') return;
    this.toClient(() => this.client.receiveReset());
    this.finish();
  }

  remoteClosed(): void {
    this.finish();
  }

  private toClient(run: () => void): void {
    const wire = this.tcp.wire;
    this.lastDue = Math.max(wire.queue.now() + wire.latency(), this.lastDue);
    wire.queue.schedule(this.lastDue, run);
  }

  private finish(): void {
    this.state = 'finished';
    this.tcp.wire.clock.clearTimeout(this.idleTimer);
    this.listener.connections.delete(this);
  }

  private restartIdle(): void {
    const clock = this.tcp.wire.clock;
    if (this.idleTimer !== undefined) clock.clearTimeout(this.idleTimer);
    if (this.idleTimeoutMs > 0) this.idleTimer = clock.setTimeout(() => this.destroy(), this.idleTimeoutMs);
  }
}

/** A listening in-memory TCP server. */
class MemoryTcpListener {
  state: 'open' | 'closed' | 'crashed' = 'open';
  readonly connections = new Set<MemoryServerConnection>();
  private announced = false;

  constructor(
    private readonly tcp: MemoryTcp,
    readonly local: SocketAddress,
    private readonly subscriber: Subscriber<TcpServerEvent>,
    private readonly idleTimeoutMs: number,
  ) {}

  announce(): void {
    if (this.announced || this.state !== 'open') return;
    this.announced = true;
    this.subscriber.next({ type: 'listening', local: this.local });
  }

  accept(client: MemoryTcpClient): MemoryServerConnection {
    this.announce();
    // A wildcard listener answers on the address the client dialled.
    const local = { ...this.local, address: client.to.address };
    const connection = new MemoryServerConnection(this.tcp, this, client, local, this.idleTimeoutMs);
    this.connections.add(connection);
    this.tcp.wire.stats.tcpConnections++;
    this.subscriber.next({ type: 'connection', connection });
    return connection;
  }

  close(): void {
    if (this.state === 'open') this.state = 'closed';
    this.tcp.ports.release(this.local, this);
    for (const connection of [...this.connections]) connection.destroy();
  }

  crash(): void {
    this.state = 'crashed';
    this.tcp.ports.release(this.local, this);
    for (const connection of [...this.connections]) connection.reset();
  }
}

/** `Network.tcpServer` on a memory network. */
export const memoryTcpServer = (tcp: MemoryTcp, options: TcpServerOptions): Observable<TcpServerEvent> =>
  new Observable<TcpServerEvent>((subscriber) => {
    const host = resolveHost(options.host);
    const idle = options.idleTimeoutMs ?? DEFAULT_TCP_IDLE_MS;
    const bound = tcp.ports.bind(host, options.port, (local) => new MemoryTcpListener(tcp, local, subscriber, idle));
    if (!bound.ok) {
      const error = transportError(bound.code, 'listen-tcp', { address: host, port: options.port }, bound.detail);
      queueMicrotask(() => subscriber.error(error));
      return;
    }
    const listener = bound.owner;
    queueMicrotask(() => listener.announce());
    return () => listener.close();
  });

/** `Network.tcpConnect` on a memory network. */
export const memoryTcpConnect = (
  tcp: MemoryTcp,
  to: SocketAddress,
  options: TcpConnectOptions = {},
): Observable<Uint8Array> =>
  new Observable<Uint8Array>((subscriber) => {
    const family = familyOf(to.address);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TCP_CONNECT_TIMEOUT_MS;
    const bound = tcp.ports.bind(
      loopbackOf(family),
      0,
      (local) => new MemoryTcpClient(tcp, local, to, subscriber, timeoutMs),
    );
    if (!bound.ok || !Number.isInteger(to.port) || to.port < 1 || to.port > 65535) {
      const error = transportError('other', 'connect-tcp', to, bound.ok ? 'bad port' : bound.detail);
      if (bound.ok) bound.owner.close();
      queueMicrotask(() => subscriber.error(error));
      return;
    }
    const client = bound.owner;
    client.start();
    return () => client.close();
  });

/** Makes the TCP listener bound exactly at `at` vanish (its connections are reset); true if there was one. */
export const crashTcp = (tcp: MemoryTcp, at: SocketAddress): boolean => {
  const listener = tcp.ports.exact(at);
  if (!(listener instanceof MemoryTcpListener)) return false;
  listener.crash();
  return true;
};

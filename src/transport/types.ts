/**
 * The transport contract: UDP and TCP as RxJS Observables. Subscribing opens a socket, unsubscribing closes it.
 * Two implementations share it: {@link nodeNetwork} (real `node:dgram` / `node:net`) and the in-memory network
 * from `createMemoryNetwork()` (seeded loss, duplication, reordering and delay, for deterministic tests).
 * @module
 */
import type { Observable } from 'rxjs';
import type { Endpoint } from '../protocol/message.js';
import type { TransportError } from './errors.js';

/**
 * Where a socket is: an IP address (no brackets for IPv6), a port and the address family. The same value as the
 * protocol's {@link Endpoint}, so that an address read from a socket goes into a message, and back out to a socket,
 * without being printed and parsed on the way.
 */
export type SocketAddress = Endpoint;

/**
 * A bound UDP socket, handed out by the stream's `'listening'` event and valid until the stream ends.
 *
 * Sending never throws and never ends the stream: UDP is fire-and-forget, and one unreachable peer must not take the
 * socket down for everyone else. A failed send (datagram too large, bad port, wrong family, unreachable) increments
 * {@link UdpSocket.sendErrors} and is reported as a `'send-error'` event on the socket's stream.
 */
export interface UdpSocket {
  /** The address the socket is bound to, with the real port when port 0 was asked for. */
  readonly local: SocketAddress;
  /**
   * Sends one datagram. The bytes are taken over, not copied (Node sends asynchronously): do not change them
   * afterwards.
   */
  send(bytes: Uint8Array, to: SocketAddress): void;
  /**
   * Resolves once every datagram handed to {@link UdpSocket.send} so far has left the process, so that a sender of many
   * can go at the socket's pace instead of queueing without bound. A real socket resolves on a later turn of the
   * event loop (so that reads get their turn between a sender's slices); the in-memory one at once.
   */
  drained(): Promise<void>;
  /** How many sends have failed so far. */
  readonly sendErrors: number;
}

/** What a UDP stream emits: first `'listening'` once, then datagrams and (rarely) send failures. */
export type UdpEvent =
  | { readonly type: 'listening'; readonly socket: UdpSocket }
  | { readonly type: 'datagram'; readonly bytes: Uint8Array; readonly from: SocketAddress }
  | { readonly type: 'send-error'; readonly error: TransportError };

/**
 * One accepted TCP connection on a server. Incoming bytes are read and discarded (the classic list fetch sends
 * nothing, and a hostile client must not be able to fill memory); writing after the remote went away is a no-op.
 */
export interface TcpConnection {
  readonly remote: SocketAddress;
  readonly local: SocketAddress;
  /** Queues bytes for the remote. The bytes are taken over, not copied: do not change them afterwards. */
  write(bytes: Uint8Array): void;
  /** Sends what was written, then closes our side (the remote's stream completes). */
  end(): void;
  /** Closes at once, dropping anything not yet sent. */
  destroy(): void;
}

/** What a TCP server stream emits: first `'listening'` once, then each accepted connection. */
export type TcpServerEvent =
  | { readonly type: 'listening'; readonly local: SocketAddress }
  | { readonly type: 'connection'; readonly connection: TcpConnection };

/** Where to bind: a host (an IP literal such as `127.0.0.1` or `::1`, or `localhost`) and a port (0 = any free). */
export interface BindOptions {
  readonly host: string;
  readonly port: number;
}

/** How long a TCP server connection may be silent both ways before it is destroyed, unless set. */
export const DEFAULT_TCP_IDLE_MS = 30_000;

/** How long an outgoing TCP connection may take to connect or to send data, unless set. */
export const DEFAULT_TCP_CONNECT_TIMEOUT_MS = 10_000;

/** Options of a TCP server. */
export interface TcpServerOptions extends BindOptions {
  /**
   * A connection with no traffic either way for this long is destroyed, so that a client that connects and never
   * reads or closes cannot hold a connection forever. Default 30 000 ms; 0 disables.
   */
  readonly idleTimeoutMs?: number;
}

/** Options of an outgoing TCP connection. */
export interface TcpConnectOptions {
  /** Connecting or waiting for data longer than this errors the stream with code `timeout`. Default 10 000 ms. */
  readonly timeoutMs?: number;
}

/**
 * A network: where sockets come from. Every stream is cold: each subscription opens its own socket (share it with
 * `share()` if several consumers need one). Every failure errors the stream with a {@link TransportError}.
 */
export interface Network {
  /**
   * Subscribing binds a UDP socket (port 0 = any free port; IPv6 when the host is an IPv6 literal); unsubscribing
   * closes it. Errors (`address-in-use`, `address-not-available`, ...) error the stream.
   */
  udp(options: BindOptions): Observable<UdpEvent>;
  /** Subscribing listens; unsubscribing closes the listener and destroys its open connections. */
  tcpServer(options: TcpServerOptions): Observable<TcpServerEvent>;
  /**
   * Subscribing connects; emits each received chunk; completes when the remote closes; unsubscribing destroys the
   * connection. A refused connection errors with code `connection-refused`, a silent one with `timeout`.
   */
  tcpConnect(to: SocketAddress, options?: TcpConnectOptions): Observable<Uint8Array>;
  /**
   * Resolves once every socket, listener and connection whose stream has ended has really been released (closing
   * is asynchronous in Node). `stop()` implementations await this so that they leave no open handle.
   */
  whenClosed(): Promise<void>;
}

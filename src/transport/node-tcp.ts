/**
 * TCP over `node:net` as Observables: a listener whose connections are handed out, and a client connection whose
 * received chunks are the stream. The only file that listens to net sockets' events.
 * @module
 */
import { connect, createServer, type Socket } from 'node:net';
import { Observable } from 'rxjs';
import { endpointFrom } from '../protocol/endpoint.js';
import { resolveHost } from './address.js';
import { fromNodeError, transportError } from './errors.js';
import { onClose, type ClosingHandles } from './closing.js';
import {
  DEFAULT_TCP_CONNECT_TIMEOUT_MS,
  DEFAULT_TCP_IDLE_MS,
  type SocketAddress,
  type TcpConnectOptions,
  type TcpConnection,
  type TcpServerEvent,
  type TcpServerOptions,
} from './types.js';


/** A socket's remote address in one spelling (IPv6 in the protocol's canonical form), as the rules compare it. */
const addressOf = (address: string | undefined, port: number | undefined): SocketAddress =>
  address === undefined ? { address: 'unknown', port: port ?? 0, family: 'IPv4' } : endpointFrom(address, port ?? 0);

/** An accepted net socket behind the {@link TcpConnection} interface. */
class NodeTcpConnection implements TcpConnection {
  readonly remote: SocketAddress;
  readonly local: SocketAddress;

  constructor(private readonly socket: Socket) {
    this.remote = addressOf(socket.remoteAddress, socket.remotePort);
    this.local = addressOf(socket.localAddress, socket.localPort);
  }

  write(bytes: Uint8Array): void {
    if (this.socket.writable) this.socket.write(bytes);
  }

  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** `Network.tcpServer` over `node:net`; closing handles go to `closing`. */
export const nodeTcpServer = (options: TcpServerOptions, closing: ClosingHandles): Observable<TcpServerEvent> =>
  new Observable<TcpServerEvent>((subscriber) => {
    const host = resolveHost(options.host);
    const at = { address: host, port: options.port };
    const idleMs = options.idleTimeoutMs ?? DEFAULT_TCP_IDLE_MS;
    const server = createServer();
    const serverClosed = onClose(server);
    const open = new Map<Socket, Promise<void>>();

    server.on('connection', (socket) => {
      const closed = onClose(socket);
      open.set(socket, closed);
      void closed.then(() => open.delete(socket));
      // A misbehaving client must cost nothing: errors are expected (resets), input is read and dropped,
      // and a connection silent for too long is cut.
      socket.on('error', () => undefined);
      socket.resume();
      if (idleMs > 0) socket.setTimeout(idleMs, () => socket.destroy());
      subscriber.next({ type: 'connection', connection: new NodeTcpConnection(socket) });
    });
    server.once('listening', () => {
      const local = server.address();
      if (local !== null && typeof local === 'object')
        subscriber.next({ type: 'listening', local: addressOf(local.address, local.port) });
    });
    server.on('error', (error) => subscriber.error(fromNodeError(error, 'listen-tcp', at)));
    try {
      server.listen({ host, port: options.port });
    } catch (error) {
      subscriber.error(fromNodeError(error, 'listen-tcp', at));
    }

    return () => {
      server.removeAllListeners('connection');
      server.on('error', () => undefined);
      for (const [socket, closed] of open) {
        socket.destroy();
        closing.add(closed);
      }
      if (server.listening) {
        server.close();
        closing.add(serverClosed);
      }
    };
  });

/** `Network.tcpConnect` over `node:net`; closing handles go to `closing`. */
export const nodeTcpConnect = (
  to: SocketAddress,
  options: TcpConnectOptions,
  closing: ClosingHandles,
): Observable<Uint8Array> =>
  new Observable<Uint8Array>((subscriber) => {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TCP_CONNECT_TIMEOUT_MS;
    let socket: Socket;
    try {
      socket = connect({ host: to.address, port: to.port });
    } catch (error) {
      subscriber.error(fromNodeError(error, 'connect-tcp', to));
      return;
    }
    const closed = onClose(socket);
    let connected = false;
    socket.once('connect', () => {
      connected = true;
    });
    if (timeoutMs > 0)
      socket.setTimeout(timeoutMs, () =>
        subscriber.error(transportError('timeout', 'connect-tcp', to, `nothing for ${timeoutMs} ms`)),
      );
    socket.on('data', (chunk: Buffer) => subscriber.next(chunk));
    socket.once('end', () => subscriber.complete());
    socket.on('error', (error) => subscriber.error(fromNodeError(error, connected ? 'tcp-stream' : 'connect-tcp', to)));
    // A close without 'end' or 'error' (destroyed under us) still ends the stream.
    socket.once('close', () => subscriber.complete());

    return () => {
      socket.removeAllListeners('data');
      socket.on('error', () => undefined);
      socket.destroy();
      closing.add(closed);
    };
  });

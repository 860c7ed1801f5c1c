/**
 * The index server's two listeners, opened and closed together: the UDP socket every datagram comes in on (and every
 * reply leaves from, so `Accept` comes from an address where the TCP listener answers), and the TCP list listener on
 * the same host.
 * @module
 */
import type { Subscription } from 'rxjs';
import type { Network, TcpConnection, UdpEvent, UdpSocket } from '../transport/index.js';

/** What the listeners report to the server engine. */
export interface ServerSocketHandlers {
  readonly datagram: (event: Extract<UdpEvent, { type: 'datagram' }>) => void;
  readonly sendError: (error: Error) => void;
  readonly connection: (connection: TcpConnection) => void;
  /** A listener failed after it was up (rare): the server keeps what still works and says so. */
  readonly failure: (error: unknown) => void;
}

/** Both listeners, bound. */
export interface ServerSockets {
  readonly udp: UdpSocket;
  readonly tcpPort: number;
  /** Closes both; the network's `whenClosed()` then says when the OS has them back. */
  close(): void;
}

/**
 * Binds UDP `host:udpPort` and TCP `host:tcpPort` (0 = any free port). Rejects with the transport's readable error
 * (e.g. "127.0.0.1:9000 is already in use …") and leaves nothing open when either fails.
 */
export const openServerSockets = (
  network: Network,
  request: { readonly host: string; readonly udpPort: number; readonly tcpPort: number },
  handlers: ServerSocketHandlers,
): Promise<ServerSockets> => {
  const subscriptions: Subscription[] = [];
  const close = (): void => subscriptions.forEach((subscription) => subscription.unsubscribe());
  const udp = new Promise<UdpSocket>((resolve, reject) => {
    let socket: UdpSocket | undefined;
    subscriptions.push(
      network.udp({ host: request.host, port: request.udpPort }).subscribe({
        next(event) {
          if (event.type === 'listening') resolve((socket = event.socket));
          else if (event.type === 'datagram') handlers.datagram(event);
          else handlers.sendError(event.error);
        },
        error: (error: unknown) => (socket === undefined ? reject(error) : handlers.failure(error)),
      }),
    );
  });
  const tcpPort = new Promise<number>((resolve, reject) => {
    let port: number | undefined;
    subscriptions.push(
      network.tcpServer({ host: request.host, port: request.tcpPort }).subscribe({
        next(event) {
          if (event.type === 'listening') resolve((port = event.local.port));
          else handlers.connection(event.connection);
        },
        error: (error: unknown) => (port === undefined ? reject(error) : handlers.failure(error)),
      }),
    );
  });
  return Promise.all([udp, tcpPort]).then(
    ([socket, port]) => ({ udp: socket, tcpPort: port, close }),
    (error: unknown) => {
      close();
      throw error;
    },
  );
};

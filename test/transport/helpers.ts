/**
 * Test helpers: open a socket on any Network and read what it receives, with no sleeps (everything is awaited on
 * the streams themselves).
 * @module
 */
import { filter, firstValueFrom, lastValueFrom, map, ReplaySubject, take, toArray, type Subscription } from 'rxjs';
import type { Network, SocketAddress, TcpConnection, TcpServerEvent, UdpEvent, UdpSocket } from '../../src/transport/types.js';

/** An open UDP socket under test. */
export interface OpenUdp {
  readonly socket: UdpSocket;
  readonly events: ReplaySubject<UdpEvent>;
  readonly subscription: Subscription;
  /** The next `count` datagrams received (counting from the first one ever received). */
  datagrams(count: number): Promise<Array<{ bytes: Uint8Array; from: SocketAddress }>>;
  close(): void;
}

/** Binds a UDP socket and waits for it to listen (rejects with the bind error). */
export const openUdp = async (network: Network, host = '127.0.0.1', port = 0): Promise<OpenUdp> => {
  const events = new ReplaySubject<UdpEvent>();
  const subscription = network.udp({ host, port }).subscribe(events);
  const first = await firstValueFrom(events);
  if (first.type !== 'listening') throw new Error(`expected listening, got ${first.type}`);
  return {
    socket: first.socket,
    events,
    subscription,
    datagrams: (count) =>
      firstValueFrom(
        events.pipe(
          filter((e) => e.type === 'datagram'),
          map((e) => ({ bytes: e.bytes, from: e.from })),
          take(count),
          toArray(),
        ),
      ),
    close: () => subscription.unsubscribe(),
  };
};

/** An open TCP listener under test. */
export interface OpenTcpServer {
  readonly local: SocketAddress;
  readonly events: ReplaySubject<TcpServerEvent>;
  /** The n-th accepted connection (0-based). */
  connection(n?: number): Promise<TcpConnection>;
  close(): void;
}

/** Listens for TCP and waits until listening; `onConnection` runs for each accepted connection. */
export const openTcpServer = async (
  network: Network,
  onConnection: (connection: TcpConnection) => void = () => undefined,
  options: { host?: string; port?: number; idleTimeoutMs?: number } = {},
): Promise<OpenTcpServer> => {
  const events = new ReplaySubject<TcpServerEvent>();
  const subscription = network
    .tcpServer({ host: options.host ?? '127.0.0.1', port: options.port ?? 0, idleTimeoutMs: options.idleTimeoutMs })
    .subscribe({
      next: (e) => {
        if (e.type === 'connection') onConnection(e.connection);
        events.next(e);
      },
      error: (e: unknown) => events.error(e),
      complete: () => events.complete(),
    });
  const first = await firstValueFrom(events);
  if (first.type !== 'listening') throw new Error(`expected listening, got ${first.type}`);
  return {
    local: first.local,
    events,
    connection: async (n = 0) => {
      const event = await firstValueFrom(
        events.pipe(
          filter((e) => e.type === 'connection'),
          take(n + 1),
          toArray(),
        ),
      );
      const chosen = event[n];
      if (chosen?.type !== 'connection') throw new Error('no such connection');
      return chosen.connection;
    },
    close: () => subscription.unsubscribe(),
  };
};

/** Connects, reads the whole stream until the remote closes, and returns the chunks. */
export const fetchAll = (network: Network, to: SocketAddress, timeoutMs?: number): Promise<Uint8Array[]> =>
  lastValueFrom(network.tcpConnect(to, { timeoutMs }).pipe(toArray()));

/** Concatenates chunks. */
export const concat = (chunks: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
};

/** The error a promise rejects with (fails the test if it resolves). */
export const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but it resolved');
};

/** Deterministic bytes of a given length. */
export const patternBytes = (length: number, salt = 0): Uint8Array => {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + salt * 7 + (i >> 8)) & 0xff;
  return bytes;
};

/** UTF-8 text as bytes, and back. */
export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
export const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/**
 * UDP over `node:dgram` as an Observable: subscribing binds, unsubscribing closes. The only file that listens to a
 * dgram socket's events.
 * @module
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { Observable, type Subscriber } from 'rxjs';
import { endpointFrom } from '../protocol/endpoint.js';
import { familyOf, resolveHost } from './address.js';
import { fromNodeError } from './errors.js';
import type { ClosingHandles } from './closing.js';
import { onClose } from './closing.js';
import type { BindOptions, SocketAddress, UdpEvent, UdpSocket } from './types.js';

/** A bound dgram socket behind the {@link UdpSocket} interface. */
class NodeUdpSocket implements UdpSocket {
  sendErrors = 0;
  /** Sends handed to Node and not yet done: closing before they are would drop them (Node sends asynchronously). */
  inFlight = 0;
  /** Set by the stream's teardown while sends are in flight: runs once the last one is done. */
  whenDrained: (() => void) | undefined;
  /** Who waits in {@link drained} for the sends in flight to be done. */
  private waiters: (() => void)[] = [];

  constructor(
    private readonly socket: Socket,
    readonly local: SocketAddress,
    private readonly subscriber: Subscriber<UdpEvent>,
  ) {}

  // One callback for every send, rather than a closure per datagram: Node puts the address on its errors.
  private readonly onSent = (error: Error | null): void => {
    if (--this.inFlight === 0) this.wake();
    if (error === null) return;
    const at = error as Error & { address?: string; hostname?: string; port?: number };
    this.failed(error, { address: at.address ?? at.hostname ?? 'unknown', port: at.port ?? 0 });
  };

  private wake(): void {
    if (this.whenDrained !== undefined) this.whenDrained();
    const waiters = this.waiters;
    if (waiters.length === 0) return;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  // On a later turn of the event loop, never from the microtask queue: a send that completes at once calls back on
  // the next tick, so resolving there would let a sender of many starve every socket's reads (logins, pings).
  drained(): Promise<void> {
    return new Promise((resolve) =>
      setImmediate(() => {
        if (this.inFlight === 0) resolve();
        else this.waiters.push(resolve);
      }),
    );
  }

  send(bytes: Uint8Array, to: SocketAddress): void {
    try {
      this.socket.send(bytes, to.port, to.address, this.onSent);
      this.inFlight++;
    } catch (error) {
      // Bad ports and sends on a closed socket throw synchronously; they must not reach the caller.
      this.failed(error, to);
    }
  }

  private failed(error: unknown, to: { address: string; port: number }): void {
    this.sendErrors++;
    const transportError = fromNodeError(error, 'send-udp', to);
    queueMicrotask(() => this.subscriber.next({ type: 'send-error', error: transportError }));
  }
}

/** `Network.udp` over `node:dgram` (udp6 for an IPv6 host, udp4 otherwise); closing handles go to `closing`. */
export const nodeUdp = (options: BindOptions, closing: ClosingHandles): Observable<UdpEvent> =>
  new Observable<UdpEvent>((subscriber) => {
    const host = resolveHost(options.host);
    const at = { address: host, port: options.port };
    let socket: Socket;
    try {
      socket = createSocket({ type: familyOf(host) === 'IPv6' ? 'udp6' : 'udp4' });
    } catch (error) {
      subscriber.error(fromNodeError(error, 'bind-udp', at));
      return;
    }
    const closed = onClose(socket);
    let bound = false;
    let udpSocket: NodeUdpSocket | undefined;

    // rinfo already has address, port and family: it is the SocketAddress, no copy needed.
    // The source in one spelling (IPv6 in the protocol's canonical form), so rules compare addresses as values.
    const onMessage = (bytes: Buffer, from: RemoteInfo): void => subscriber.next({ type: 'datagram', bytes, from: endpointFrom(from.address, from.port) });
    const onListening = (): void => {
      bound = true;
      const local = socket.address();
      const address: SocketAddress = { address: local.address, port: local.port, family: familyOf(local.address) };
      udpSocket = new NodeUdpSocket(socket, address, subscriber);
      subscriber.next({ type: 'listening', socket: udpSocket });
    };
    const onError = (error: Error): void => subscriber.error(fromNodeError(error, bound ? 'send-udp' : 'bind-udp', at));
    const onUnexpectedClose = (): void => subscriber.complete();

    socket.on('message', onMessage);
    socket.once('listening', onListening);
    socket.on('error', onError);
    socket.once('close', onUnexpectedClose);
    try {
      socket.bind({ port: options.port, address: host });
    } catch (error) {
      // Invalid ports throw synchronously.
      subscriber.error(fromNodeError(error, 'bind-udp', at));
    }

    return () => {
      socket.off('message', onMessage);
      socket.off('listening', onListening);
      socket.off('close', onUnexpectedClose);
      socket.off('error', onError);
      socket.on('error', () => undefined); // nothing may crash the process while it closes
      const close = (): void => {
        try {
          socket.close();
        } catch {
          // Already closed: nothing left to release.
        }
      };
      // A datagram sent just before unsubscribing (a peer's last `logout`) must still leave: close once sends are done.
      if (udpSocket !== undefined && udpSocket.inFlight > 0) udpSocket.whenDrained = close;
      else close();
      closing.add(closed);
    };
  });

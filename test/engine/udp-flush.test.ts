/**
 * The real UDP transport flushes before it closes: datagrams handed to `send()` just before the stream is
 * unsubscribed still leave. A peer's last `logout` depends on it: against the original server nothing waits for a
 * confirmation, so the socket is closed in the same turn as the send (Node sends asynchronously, after a lookup).
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeNetwork, socketAddress, type UdpSocket } from '../../src/transport/index.js';
import { openSockets, settledSockets, until } from './support/harness.js';

describe('the real UDP transport on unsubscribe', () => {
  let receiver: Socket | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
    receiver = undefined;
    await nodeNetwork.whenClosed();
  });

  it('delivers what was sent in the same turn as the unsubscribe, then closes', async () => {
    const received: string[] = [];
    receiver = createSocket('udp4');
    receiver.on('message', (bytes) => received.push(bytes.toString()));
    await new Promise<void>((resolve) => receiver?.bind(0, '127.0.0.1', resolve));
    const to = socketAddress('127.0.0.1', receiver.address().port);
    const before = await settledSockets();

    const socket = await new Promise<{ socket: UdpSocket; close: () => void }>((resolve) => {
      const subscription = nodeNetwork.udp({ host: '127.0.0.1', port: 0 }).subscribe((event) => {
        if (event.type === 'listening') resolve({ socket: event.socket, close: () => subscription.unsubscribe() });
      });
    });
    for (let i = 0; i < 20; i++) socket.socket.send(Buffer.from(`last words ${i}`), to);
    socket.close();
    await nodeNetwork.whenClosed();

    expect(openSockets()).toBe(before);
    await until(() => received.length === 20, 'all 20 datagrams to arrive');
    expect(received).toEqual(Array.from({ length: 20 }, (_, i) => `last words ${i}`));
  });
});

/**
 * The transport contract, run against every Network: the real one (node-network.test.ts) and the in-memory one
 * (memory-network.test.ts). Whatever the engine may rely on is asserted here, once, for both.
 * @module
 */
import { filter, firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { TransportError } from '../../src/transport/errors.js';
import type { Network } from '../../src/transport/types.js';
import { concat, fetchAll, openTcpServer, openUdp, patternBytes, rejection, text, utf8 } from './helpers.js';

/** What a contract run needs to know about the network under test. */
export interface ContractSubject {
  readonly network: Network;
  /** Check the process's open handles (only meaningful for the real network). */
  readonly checksHandles: boolean;
}

/** Open socket handles of this process, by libuv's names (UDPWrap, TCPServerWrap, TCPSocketWrap). */
const socketHandles = (): number =>
  process.getActiveResourcesInfo().filter((name) => /^(UDP|TCP)/i.test(name)).length;

/** Registers the contract suite for the Network that `make` builds (fresh for each test). */
export const networkContract = (name: string, make: () => ContractSubject): void => {
  describe(`Network contract: ${name}`, () => {
    const cleanups: Array<() => void> = [];
    let network: Network;
    const fresh = (): ContractSubject => {
      const subject = make();
      network = subject.network;
      return subject;
    };
    const later = (cleanup: () => void): void => void cleanups.push(cleanup);

    afterEach(async () => {
      for (const cleanup of cleanups.splice(0)) cleanup();
      await network.whenClosed();
    });

    it('binds port 0 to a real port and reports the address', async () => {
      fresh();
      const udp = await openUdp(network);
      later(udp.close);
      expect(udp.socket.local.port).toBeGreaterThan(0);
      expect(udp.socket.local).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
      const tcp = await openTcpServer(network);
      later(tcp.close);
      expect(tcp.local.port).toBeGreaterThan(0);
      expect(tcp.local).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
    });

    it('sends and receives datagrams both ways, with the sender as source', async () => {
      fresh();
      const a = await openUdp(network);
      const b = await openUdp(network);
      later(a.close);
      later(b.close);
      a.socket.send(utf8('ping 剑痴, with commas'), b.socket.local);
      const [ping] = await b.datagrams(1);
      expect(text(ping!.bytes)).toBe('ping 剑痴, with commas');
      expect(ping!.from).toMatchObject({ address: '127.0.0.1', port: a.socket.local.port, family: 'IPv4' });
      b.socket.send(utf8('pong'), ping!.from);
      const [pong] = await a.datagrams(1);
      expect(text(pong!.bytes)).toBe('pong');
      expect(pong!.from.port).toBe(b.socket.local.port);
    });

    it('delivers a burst of datagrams intact', async () => {
      fresh();
      const a = await openUdp(network);
      const b = await openUdp(network);
      later(a.close);
      later(b.close);
      for (let i = 0; i < 50; i++) {
        const bytes = new Uint8Array(4);
        new DataView(bytes.buffer).setUint32(0, i);
        a.socket.send(bytes, b.socket.local);
      }
      const received = await b.datagrams(50);
      const numbers = received.map((d) => new DataView(d.bytes.buffer, d.bytes.byteOffset, 4).getUint32(0));
      expect([...numbers].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    });

    it('says when what was sent has left: drained() resolves after a burst, and at once when idle', async () => {
      fresh();
      const a = await openUdp(network);
      const b = await openUdp(network);
      later(a.close);
      later(b.close);
      await a.socket.drained();
      for (let i = 0; i < 200; i++) a.socket.send(utf8(`n${i}`), b.socket.local);
      await a.socket.drained();
      await a.socket.drained();
      const received = await b.datagrams(200);
      expect(received.length).toBe(200);
    });

    it('works over IPv6 loopback', async () => {
      fresh();
      const a = await openUdp(network, '::1');
      const b = await openUdp(network, '::1');
      later(a.close);
      later(b.close);
      expect(a.socket.local).toMatchObject({ address: '::1', family: 'IPv6' });
      a.socket.send(utf8('v6'), b.socket.local);
      const [d] = await b.datagrams(1);
      expect(text(d!.bytes)).toBe('v6');
      expect(d!.from).toMatchObject({ address: '::1', port: a.socket.local.port, family: 'IPv6' });
      const server = await openTcpServer(network, (c) => c.end(), { host: '::1' });
      later(server.close);
      expect(server.local.family).toBe('IPv6');
      expect(await fetchAll(network, server.local)).toEqual([]);
    });

    it('fails a bind on a port in use with a typed, readable error', async () => {
      fresh();
      const a = await openUdp(network);
      later(a.close);
      const error = await rejection(openUdp(network, '127.0.0.1', a.socket.local.port));
      expect(error).toBeInstanceOf(TransportError);
      expect(error).toMatchObject({ name: 'TransportError', code: 'address-in-use' });
      expect((error as Error).message).toContain(`127.0.0.1:${a.socket.local.port} is already in use`);
      const server = await openTcpServer(network);
      later(server.close);
      const tcpError = await rejection(openTcpServer(network, undefined, { port: server.local.port }));
      expect(tcpError).toMatchObject({ name: 'TransportError', code: 'address-in-use' });
    });

    it('fails a bind on an address this machine does not have', async () => {
      fresh();
      // 192.0.2.0/24 is TEST-NET-1: never assigned, and binding sends nothing anywhere.
      const error = await rejection(openUdp(network, '192.0.2.1', 0));
      expect(error).toMatchObject({ name: 'TransportError', code: 'address-not-available' });
    });

    it('closes on unsubscribe: the same ports can be bound again and no handle is left', async () => {
      const { checksHandles } = fresh();
      const before = socketHandles();
      const udp = await openUdp(network);
      const server = await openTcpServer(network, () => undefined);
      const hanging = network.tcpConnect(server.local).subscribe({ error: () => undefined });
      await server.connection(0);
      if (checksHandles) expect(socketHandles()).toBeGreaterThan(before);
      udp.close();
      server.close();
      hanging.unsubscribe();
      await network.whenClosed();
      if (checksHandles) expect(socketHandles()).toBe(before);
      const again = await openUdp(network, '127.0.0.1', udp.socket.local.port);
      later(again.close);
      const serverAgain = await openTcpServer(network, undefined, { port: server.local.port });
      later(serverAgain.close);
      expect(again.socket.local.port).toBe(udp.socket.local.port);
      expect(serverAgain.local.port).toBe(server.local.port);
    });

    it('fetches a list written in many small writes, then closed, byte for byte', async () => {
      fresh();
      const list = utf8(`${Array.from({ length: 40 }, (_, i) => `user${i},127.0.0.1:${5000 + i}`).join(';')};end`);
      const framed = concat([Uint8Array.of(list.length & 0x7f | 0x80, list.length >> 7), list]);
      const server = await openTcpServer(network, (connection) => {
        for (let i = 0; i < framed.length; i += 7) connection.write(framed.subarray(i, i + 7));
        connection.end();
      });
      later(server.close);
      const chunks = await fetchAll(network, server.local);
      expect(concat(chunks)).toEqual(framed);
    });

    it('carries a 300 KiB payload intact', async () => {
      fresh();
      const payload = patternBytes(300 * 1024, 3);
      const server = await openTcpServer(network, (connection) => {
        connection.write(payload);
        connection.end();
      });
      later(server.close);
      const chunks = await fetchAll(network, server.local);
      expect(chunks.length).toBeGreaterThan(1);
      const received = concat(chunks);
      expect(received.length).toBe(payload.length);
      // Buffer.compare, not toEqual: a deep equality over 300 000 elements takes seconds.
      expect(Buffer.compare(received, payload)).toBe(0);
    });

    it('reports who connected, from where, to where', async () => {
      fresh();
      const server = await openTcpServer(network, (c) => c.end());
      later(server.close);
      const fetched = fetchAll(network, server.local);
      const connection = await server.connection(0);
      await fetched;
      expect(connection.local).toMatchObject({ address: '127.0.0.1', port: server.local.port });
      expect(connection.remote.address).toBe('127.0.0.1');
      expect(connection.remote.port).toBeGreaterThan(0);
      expect(connection.remote.port).not.toBe(server.local.port);
    });

    it('fails a refused connection with a typed error', async () => {
      fresh();
      const server = await openTcpServer(network);
      const port = server.local.port;
      server.close();
      await network.whenClosed();
      const error = await rejection(fetchAll(network, { address: '127.0.0.1', port, family: 'IPv4' }));
      expect(error).toMatchObject({ name: 'TransportError', code: 'connection-refused' });
      expect((error as Error).message).toContain(`127.0.0.1:${port} refused`);
    });

    it('times out a connection on which nothing comes', async () => {
      fresh();
      const server = await openTcpServer(network, () => undefined);
      later(server.close);
      const error = await rejection(fetchAll(network, server.local, 40));
      expect(error).toMatchObject({ name: 'TransportError', code: 'timeout' });
    });

    it('ends the open connections of a listener that is unsubscribed', async () => {
      fresh();
      const server = await openTcpServer(network, (c) => c.write(utf8('partial')));
      const stream = lastValueFrom(network.tcpConnect(server.local).pipe(toArray()));
      await server.connection(0);
      server.close();
      const outcome = await stream.then(
        (chunks) => text(concat(chunks)),
        (error: unknown) => (error as TransportError).code,
      );
      expect(['partial', 'closed']).toContain(outcome);
    });

    it('survives failed sends: they are counted and reported, and the socket keeps working', async () => {
      fresh();
      const a = await openUdp(network);
      const b = await openUdp(network);
      later(a.close);
      later(b.close);
      a.socket.send(new Uint8Array(70_000), b.socket.local);
      a.socket.send(utf8('bad port'), { ...b.socket.local, port: 0 });
      a.socket.send(utf8('wrong family'), { address: '::1', port: 9, family: 'IPv6' });
      const reported = await firstValueFrom(
        a.events.pipe(
          filter((e) => e.type === 'send-error'),
          take(3),
          toArray(),
        ),
      );
      expect(a.socket.sendErrors).toBe(3);
      for (const event of reported) expect(event.error).toBeInstanceOf(TransportError);
      a.socket.send(utf8('still alive'), b.socket.local);
      const [d] = await b.datagrams(1);
      expect(text(d!.bytes)).toBe('still alive');
    });

    it('never throws from send, even after the stream ended', async () => {
      fresh();
      const a = await openUdp(network);
      a.close();
      expect(() => a.socket.send(utf8('late'), a.socket.local)).not.toThrow();
    });
  });
};


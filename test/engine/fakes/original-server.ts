/**
 * A byte-level fake of the original C# index server (docs/PROTOCOL.md, sections 4–6), strict where the original is fragile:
 * its receive loop parses field 3 as an IPv4 endpoint *before* looking at the type, and it *dies* (stops serving for
 * good and records why) on a datagram with fewer than 3 fields, a bad endpoint, or a type other than `login`/`logout`.
 * A test that lets our peer send it an extension therefore fails.
 *
 * Otherwise it is the original: `Accept,<tcpPort>` from a throw-away socket, the `login` forwarded verbatim to every
 * user with another name, `logout` removing by name (with the original's skip-after-remove loop) and forwarded
 * verbatim to all who remain, and one `BinaryWriter` string `name,ep;...;end` per TCP connection, then close.
 * @module
 */
import { createSocket, type RemoteInfo } from 'node:dgram';
import { createServer, type Socket } from 'node:net';
import { ReplaySubject, type Observable } from 'rxjs';
import { binaryWriterString, parseOriginalEndpoint, sendFromThrowAway, unicodeBytes, unicodeText } from './wire.js';

/** One datagram the fake server read. */
export interface ServerDatagram {
  readonly text: string;
  readonly fields: readonly string[];
  readonly from: { readonly address: string; readonly port: number };
}

/** A running fake original server. */
export interface OriginalServer {
  readonly udpPort: number;
  readonly tcpPort: number;
  /** `127.0.0.1:<udpPort>`: what our peer's `server` option takes. */
  readonly endpoint: string;
  readonly datagrams$: Observable<ServerDatagram>;
  readonly datagrams: readonly ServerDatagram[];
  /** The original's `userList`, in order (duplicates allowed, as in the original). */
  readonly users: ReadonlyArray<{ readonly name: string; readonly endpoint: string }>;
  /** Lists served over TCP, in order. */
  readonly listsServed: readonly string[];
  /** Why the receive loop died, if it did: a test asserts this stays undefined. */
  readonly death: Error | undefined;
  close(): Promise<void>;
}

const closed = (emitter: { once(event: 'close', listener: () => void): unknown }): Promise<void> =>
  new Promise((resolve) => emitter.once('close', () => setImmediate(() => setImmediate(resolve))));

/** Starts the fake on 127.0.0.1 (any free UDP port, any free TCP port). */
export const startOriginalServer = async (): Promise<OriginalServer> => {
  const udp = createSocket('udp4');
  const udpClosed = closed(udp);
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  const tcp = createServer();
  const tcpClosed = closed(tcp);
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  const address = tcp.address();
  const tcpPort = typeof address === 'object' && address !== null ? address.port : 0;
  const udpPort = udp.address().port;

  const datagrams$ = new ReplaySubject<ServerDatagram>();
  const datagrams: ServerDatagram[] = [];
  const users: Array<{ name: string; endpoint: string }> = [];
  const listsServed: string[] = [];
  const sends = new Set<Promise<void>>();
  const connections = new Map<Socket, Promise<void>>();
  let death: Error | undefined;

  const sendTo = (endpoint: string, text: string): void => {
    const work = sendFromThrowAway(unicodeBytes(text), parseOriginalEndpoint(endpoint));
    sends.add(work);
    void work.finally(() => sends.delete(work));
  };

  const handle = (message: string): void => {
    const fields = message.split(',');
    if (fields.length < 3) throw new Error(`IndexOutOfRangeException: "${message}" has fewer than 3 fields`);
    parseOriginalEndpoint(fields[2] ?? '');
    const [type, name = '', endpoint = ''] = fields;
    switch (type) {
      case 'login': {
        users.push({ name, endpoint });
        sendTo(endpoint, `Accept,${tcpPort}`);
        for (const user of users) if (user.name !== name) sendTo(user.endpoint, message);
        return;
      }
      case 'logout': {
        // The original's loop: RemoveAt(i) and then i++, so the entry right after each removal is skipped.
        for (let i = 0; i < users.length; i++) if (users[i]?.name === name) users.splice(i, 1);
        for (const user of users) sendTo(user.endpoint, message);
        return;
      }
      default:
        throw new Error(`the original server cannot handle a "${type}" datagram: "${message}"`);
    }
  };

  const onMessage = (bytes: Buffer, from: RemoteInfo): void => {
    const text = unicodeText(bytes);
    const datagram: ServerDatagram = { text, fields: text.split(','), from: { address: from.address, port: from.port } };
    datagrams.push(datagram); // recorded even after death, so a test can see what the dead server was sent
    if (death === undefined) {
      try {
        handle(text);
      } catch (error) {
        death = error instanceof Error ? error : new Error(String(error)); // `catch { break; }`: the loop is over
      }
    }
    datagrams$.next(datagram);
  };
  udp.on('message', onMessage);
  udp.on('error', () => undefined);

  tcp.on('connection', (socket) => {
    connections.set(socket, closed(socket));
    socket.on('error', () => undefined);
    const list = `${users.map((user) => `${user.name},${user.endpoint};`).join('')}end`;
    listsServed.push(list);
    socket.end(binaryWriterString(list)); // binaryWriter.Write(list); Flush(); Close(); client.Close()
  });

  return {
    udpPort,
    tcpPort,
    endpoint: `127.0.0.1:${udpPort}`,
    datagrams$,
    datagrams,
    users,
    listsServed,
    get death() {
      return death;
    },
    async close() {
      udp.off('message', onMessage);
      udp.close();
      tcp.close();
      for (const socket of connections.keys()) socket.destroy();
      await Promise.all([udpClosed, tcpClosed, ...connections.values()]);
      while (sends.size > 0) await Promise.all([...sends]);
      datagrams$.complete();
    },
  };
};

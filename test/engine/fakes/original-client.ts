/**
 * A byte-level fake of the original C# client (docs/PROTOCOL.md, sections 4–6): it binds its own receive socket, sends
 * `login`/`logout`/`talk` from throw-away sockets, and on `Accept` connects TCP to the Accept's *source address* and
 * advertised port, reads exactly one `BinaryWriter` string, and closes. Its receive loop dies, as the original's does,
 * on a datagram it cannot index (a `login` with fewer than 3 fields, a `talk` with fewer than 4, ...).
 *
 * It also notes every datagram that is not exactly classic (an unknown type, or fields beyond the classic ones), so a
 * test can assert that no extension ever reached it.
 * @module
 */
import { createSocket, type RemoteInfo } from 'node:dgram';
import { connect } from 'node:net';
import { ReplaySubject, type Observable } from 'rxjs';
import { parseOriginalEndpoint, readBinaryString, sendFromThrowAway, unicodeBytes, unicodeText } from './wire.js';

/** One datagram the fake read, as the original sees it. */
export interface ClientDatagram {
  readonly text: string;
  /** `message.Split(',')`. */
  readonly fields: readonly string[];
  readonly from: { readonly address: string; readonly port: number };
}

/** Fields each classic type has from a classic server or peer (`talk` text may hold more commas). */
const classicFields: Readonly<Record<string, number>> = { Accept: 2, login: 3, logout: 3, talk: 4 };
/** Fields the original indexes for each type: fewer, and its receive loop throws and ends. */
const indexedFields: Readonly<Record<string, number>> = { Accept: 2, login: 3, logout: 2, talk: 4 };

/** A running fake original client. */
export interface OriginalClient {
  readonly name: string;
  /** Its receive endpoint as `IPEndPoint.ToString()` prints it, sent in its `login`. */
  readonly endpoint: string;
  /** Every datagram read, in order. */
  readonly datagrams$: Observable<ClientDatagram>;
  readonly datagrams: readonly ClientDatagram[];
  /** Every list string read over TCP (one per Accept). */
  readonly lists$: Observable<string>;
  /** The client's ListView: `name → endpoint`, as its list and forwarded logins/logouts left it. */
  readonly view: ReadonlyMap<string, string>;
  /** Datagrams that were not exactly classic (unknown type, or extra fields where the original expects none). */
  readonly nonClassic: readonly string[];
  /** Why the receive loop died, if it did. */
  readonly death: Error | undefined;
  login(server: { address: string; port: number }): Promise<void>;
  logout(server: { address: string; port: number }): Promise<void>;
  /** `talk,<time>,<name>,<text>` to a peer's endpoint (`127.0.0.1:5001`). */
  talk(to: string, text: string, time?: string): Promise<void>;
  close(): Promise<void>;
}

const closed = (emitter: { once(event: 'close', listener: () => void): unknown }): Promise<void> =>
  new Promise((resolve) => emitter.once('close', () => setImmediate(() => setImmediate(resolve))));

/** Starts a fake original client named `name` with its receive socket on 127.0.0.1 (any free port). */
export const startOriginalClient = async (name: string): Promise<OriginalClient> => {
  const receive = createSocket('udp4');
  const receiveClosed = closed(receive);
  await new Promise<void>((resolve) => receive.bind(0, '127.0.0.1', resolve));
  const endpoint = `127.0.0.1:${receive.address().port}`;
  const datagrams$ = new ReplaySubject<ClientDatagram>();
  const lists$ = new ReplaySubject<string>();
  const datagrams: ClientDatagram[] = [];
  const nonClassic: string[] = [];
  const view = new Map<string, string>();
  const pending = new Set<Promise<void>>();
  let death: Error | undefined;

  const track = (work: Promise<void>): void => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };

  /** The original's GetUserList: connect, ReadString once, add the entries, close. */
  const fetchList = (address: string, port: number): void => {
    const socket = connect({ host: address, port });
    const gone = closed(socket);
    track(gone);
    let buffer = Buffer.alloc(0);
    socket.on('error', () => undefined); // the original shows "连接失败" and carries on
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const read = readBinaryString(buffer);
      if (read === undefined) return;
      socket.removeAllListeners('data');
      socket.destroy(); // binaryReader.Close(); tcpClient.Close(): whatever follows the first string is never read
      if (read.text.endsWith('end')) {
        for (const item of read.text.split(';').slice(0, -1)) {
          const [itemName = '', itemEndpoint = ''] = item.split(',');
          view.set(itemName, itemEndpoint);
        }
      }
      lists$.next(read.text);
    });
  };

  const onMessage = (bytes: Buffer, from: RemoteInfo): void => {
    if (death !== undefined) return; // the receive loop has ended
    const text = unicodeText(bytes);
    const fields = text.split(',');
    const [type = ''] = fields;
    const datagram: ClientDatagram = { text, fields, from: { address: from.address, port: from.port } };
    datagrams.push(datagram);
    const classic = classicFields[type];
    if (classic === undefined || (type === 'talk' ? fields.length < classic : fields.length !== classic)) nonClassic.push(text);
    const indexed = indexedFields[type];
    if (indexed !== undefined && fields.length < indexed) {
      death = new Error(`IndexOutOfRangeException on "${text}": the original client's receive loop has ended`);
      datagrams$.next(datagram);
      return;
    }
    if (type === 'Accept') {
      const port = /^\d+$/.test(fields[1] ?? '') ? Number(fields[1]) : NaN;
      if (Number.isInteger(port) && port > 0 && port < 65536) fetchList(from.address, port);
    } else if (type === 'login') view.set(fields[1] ?? '', fields[2] ?? '');
    else if (type === 'logout') view.delete(fields[1] ?? '');
    datagrams$.next(datagram);
  };
  receive.on('message', onMessage);
  receive.on('error', () => undefined);

  const send = async (text: string, to: { address: string; port: number }): Promise<void> => {
    const work = sendFromThrowAway(unicodeBytes(text), to);
    track(work);
    await work;
  };

  return {
    name,
    endpoint,
    datagrams$,
    datagrams,
    lists$,
    view,
    nonClassic,
    get death() {
      return death;
    },
    login: (server) => send(`login,${name},${endpoint}`, server),
    logout: (server) => send(`logout,${name},${endpoint}`, server),
    talk: (to, text, time = '10:41:40') => send(`talk,${time},${name},${text}`, parseOriginalEndpoint(to)),
    async close() {
      receive.off('message', onMessage);
      receive.close();
      await receiveClosed;
      while (pending.size > 0) await Promise.all([...pending]);
      datagrams$.complete();
      lists$.complete();
    },
  };
};

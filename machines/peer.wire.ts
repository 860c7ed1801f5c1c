/**
 * What the peer machine writes and reads on the wire, as pure functions: its `login`/`logout`/`ping`, the server's
 * `Accept`, forwarded presence into the replica, the TCP list fetch's address and result, and the fetched list into a
 * snapshot. Nothing here throws.
 * @module
 */
import {
  formatEndpoint,
  parseEndpoint,
  parseListExtension,
  type AcceptMessage,
  type BatchEntry,
  type BatchMessage,
  type Endpoint,
  type LoginMessage,
  type LogoutMessage,
  type PingMessage,
  type Result,
} from '../src/protocol/index.js';
import {
  classicListToSnapshot,
  receiveClassic,
  receiveEvent,
  receiveEvents,
  type PresenceEvent,
  type Replica,
  type Snapshot,
} from '../src/presence/index.js';
import { outputOf } from './commands.js';
import type { PeerContext } from './peer.types.js';

/** What an `Accept` told the peer. */
export interface AcceptInfo {
  /** The server's TCP list port. */
  readonly tcpPort: number;
  /** The datagram's source endpoint: the list is fetched from its address (the original client's rule). */
  readonly from: Endpoint;
  /** The server advertised imstate's extensions (`imstate=1`). False for the original server. */
  readonly imstate: boolean;
  /** `hb=<ms>`: the server wants a `ping` this often. Only from an imstate server. */
  readonly heartbeatMs?: number;
  /** `seq=<n>`: the server's presence sequence number when it accepted us. */
  readonly seq?: number;
  /**
   * `secret=<s>`: this session's secret, known only to this peer and the server; every `ping` and `logout` of the
   * session carries it back (the server honours neither without it). Only from an imstate server.
   */
  readonly secret?: string;
}

/** What the TCP list fetch resolves to: the classic list string and, from an imstate server, the extension string. */
export interface FetchedList {
  readonly list: string;
  readonly extension?: string;
}

/** Where to fetch the list from: the input of the engine's `fetchList` actor. */
export interface ListAddress {
  /** An IP address without brackets (`127.0.0.1`, `::1`). */
  readonly address: string;
  readonly port: number;
}

/** Reads an `Accept` and where it came from: imstate's fields count only from a server that said `imstate=1`. */
export const readAccept = (message: AcceptMessage, from: Endpoint): AcceptInfo => {
  if (message.imstate !== true) return { tcpPort: message.tcpPort, from, imstate: false };
  const { heartbeatMs, seq, secret } = message;
  return {
    tcpPort: message.tcpPort,
    from,
    imstate: true,
    ...(heartbeatMs === undefined ? {} : { heartbeatMs }),
    ...(seq === undefined ? {} : { seq }),
    ...(secret === undefined ? {} : { secret }),
  };
};

/** The list's address: the `Accept`'s source address and the advertised TCP port (docs/PROTOCOL.md §5). */
export const listAddress = (accept: AcceptInfo): ListAddress => ({ address: accept.from.address, port: accept.tcpPort });

/**
 * The peer's `login`: always announces `imstate=1,session=<id>,batch=1` (it reads batched presence). Safe with the
 * original server, which reads fields 1–3 and forwards the rest verbatim to clients that read fields 1–3 too
 * (docs/PROTOCOL.md §7, Announce).
 */
export const loginMessage = (name: string, endpoint: Endpoint, session: string): LoginMessage => ({
  type: 'login',
  name,
  endpoint,
  imstate: true,
  session,
  batch: true,
  extensions: [],
});

/**
 * The peer's `logout`: with `session=<id>` only to a server that advertised imstate, plain otherwise; with
 * `secret=<s>` when the server's `Accept` gave one (without it an imstate server ignores the logout).
 */
export const logoutMessage = (name: string, endpoint: Endpoint, session: string | undefined, secret?: string): LogoutMessage => ({
  type: 'logout',
  name,
  endpoint,
  ...(session === undefined ? {} : { session }),
  ...(session === undefined || secret === undefined ? {} : { secret }),
  extensions: [],
});

/** The peer's `ping`, with the session's secret when its `Accept` carried one. */
export const pingMessage = (name: string, session: string, secret: string | undefined): PingMessage => ({
  type: 'ping',
  name,
  session,
  ...(secret === undefined ? {} : { secret }),
});

/**
 * Folds a forwarded `login`/`logout` into the replica: with `seq=<n>` (an imstate server) as a sequenced presence event,
 * which the replica buffers if it is early; without (the original server) as classic input, applied by name.
 */
export const receivePresence = (replica: Replica, message: LoginMessage | LogoutMessage, endpoint: string): Replica => {
  const { seq } = message;
  if (seq === undefined) return receiveClassic(replica, { type: message.type, name: message.name, endpoint });
  const session = message.session ?? endpoint;
  if (message.type === 'login') {
    const user = { name: message.name, endpoint, session, imstate: message.imstate === true };
    return receiveEvent(replica, { type: 'joined', seq, user });
  }
  return receiveEvent(replica, { type: 'left', seq, name: message.name, session, reason: message.reason ?? 'logout' });
};

/** One event of a batch as the presence event it is, numbered `seq`. */
const batchEvent = (seq: number, entry: BatchEntry): PresenceEvent =>
  entry.type === 'login'
    ? { type: 'joined', seq, user: { name: entry.name, endpoint: formatEndpoint(entry.endpoint), session: entry.session, imstate: entry.imstate } }
    : { type: 'left', seq, name: entry.name, session: entry.session, reason: entry.reason };

/** Folds a batch datagram into the replica: its events, numbered from `first`, as if each had come alone. */
export const receiveBatch = (replica: Replica, batch: BatchMessage): Replica =>
  receiveEvents(replica, batch.entries.map((entry, i) => batchEvent(batch.first + i, entry)));

/**
 * Reads a fetched list as a snapshot: the classic string, completed by the extension string when there is one. A
 * malformed extension fails the whole read (an imstate server sent it, so it should parse), with a reason a person
 * can read.
 */
export const readUserList = (fetched: FetchedList): Result<Snapshot> => {
  if (fetched.extension === undefined) return classicListToSnapshot(fetched.list);
  const extension = parseListExtension(fetched.extension);
  if (!extension.ok) return extension;
  return classicListToSnapshot(fetched.list, { extension: extension.value });
};

/** The list fetch's result, read totally (the engine's `fetchList` actor resolves with it). */
export const fetchedOf = (event: { type: string }): FetchedList => {
  const output = outputOf(event) as Partial<FetchedList> | undefined;
  return { list: typeof output?.list === 'string' ? output.list : '', ...(typeof output?.extension === 'string' ? { extension: output.extension } : {}) };
};

/** Where the list is fetched from: the `Accept`'s source address and its TCP port (the original client's rule). */
export const listInput = ({ context }: { context: PeerContext }): ListAddress => {
  if (context.accept !== undefined) return listAddress(context.accept);
  // Not reached (a list is fetched only after an Accept); the configured server's address keeps the input total.
  const server = parseEndpoint(context.server);
  return { address: server.ok ? server.value.address : '127.0.0.1', port: 1 };
};

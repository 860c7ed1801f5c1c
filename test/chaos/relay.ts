/**
 * A UDP relay on loopback that stands between imstate peers and their index server, and between the peers, with
 * seeded faults: loss, duplication and reordering (a datagram held back a random while, so later ones overtake it).
 *
 * Peers are told the relay's front socket is the server. For each peer the relay opens a socket of its own on a
 * loopback address of its own (`127.1.<i>.<j>`), so that every peer looks like another host to the server; it
 * rewrites the endpoint a peer names in `login`/`logout` to that socket, sends the peer's datagrams to the server from
 * it, and hands what arrives there back to the peer: from the front socket when the server sent it (so the peer sees
 * its server's address), from the sender's own relay socket when another peer did (so a receipt finds its way back).
 * `kill(peer)` makes a peer vanish without a word, as a crashed process does; TCP (the list fetch) goes around the
 * relay, straight to the server.
 * @module
 */
import { createSocket, type Socket } from 'node:dgram';
import { createRandom } from '../../src/transport/index.js';

/** The faults, each a probability per datagram and hop. */
export interface RelayFaults {
  readonly loss: number;
  readonly duplicate: number;
  /** Chance a datagram is held back 1..`maxDelayMs` ms. */
  readonly reorder: number;
  readonly maxDelayMs: number;
}

/** No faults: what quiescence means. */
export const noFaults: RelayFaults = { loss: 0, duplicate: 0, reorder: 0, maxDelayMs: 0 };

/** What the relay did, counted. */
export interface RelayCounts {
  /** Datagrams that reached the relay. */
  readonly received: number;
  /** Datagrams sent on (each copy of a duplicate counts). */
  readonly sent: number;
  readonly dropped: number;
  readonly duplicated: number;
  readonly reordered: number;
  /** Dropped because a killed peer sent or was to receive it. */
  readonly killed: number;
}

/** A running relay. */
export interface Relay {
  /** The front socket's port: what peers take as their server (`127.0.0.1:<port>`). */
  readonly port: number;
  /** Where the server is (its UDP port on 127.0.0.1); may change, e.g. after a restart on another port. */
  upstream: number;
  faults: RelayFaults;
  /** Makes the peer whose socket is `endpoint` (as printed) vanish: nothing from it or to it passes any more. */
  kill(endpoint: string): void;
  /** The relay endpoint the server knows a peer by (its own endpoint as printed), once the peer has sent something. */
  relayEndpointOf(endpoint: string): string | undefined;
  counts(): RelayCounts;
  close(): Promise<void>;
}

interface Lane {
  readonly socket: Socket;
  readonly endpoint: string;
  /** The peer's real socket. */
  readonly peer: { readonly address: string; readonly port: number };
}

const printed = (address: string, port: number): string => `${address}:${port}`;
/** A UDP socket bound to any free port on `host`, its later errors ignored (a relay hop just loses the datagram). */
export const bindSocket = (host: string): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, host, () => {
      socket.off('error', reject);
      socket.on('error', () => undefined);
      resolve(socket);
    });
  });

/** Starts a relay in front of the server at `127.0.0.1:upstream`. */
export const startRelay = async (options: { upstream: number; seed: number; faults: RelayFaults }): Promise<Relay> => {
  const random = createRandom(options.seed);
  const front = await bindSocket('127.0.0.1');
  const lanes = new Map<string, Promise<Lane>>(); // by the peer's real endpoint
  const resolved = new Map<string, Lane>(); // by the peer's real endpoint, once bound
  const killed = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const counts = { received: 0, sent: 0, dropped: 0, duplicated: 0, reordered: 0, killed: 0 };
  let closed = false;
  let next = 0;

  const relay: Relay = {
    port: front.address().port,
    upstream: options.upstream,
    faults: options.faults,
    kill: (endpoint) => void killed.add(endpoint),
    relayEndpointOf: (endpoint) => resolved.get(endpoint)?.endpoint,
    counts: () => ({ ...counts }),
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      const all = await Promise.all([...lanes.values()].map((lane) => lane.catch(() => undefined)));
      const sockets = [front, ...all.flatMap((lane) => (lane === undefined ? [] : [lane.socket]))];
      await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))));
      await new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
    },
  };

  /** Sends with the faults of the moment: maybe not at all, maybe twice, maybe late. */
  const transmit = (from: Socket, bytes: Buffer, port: number, address: string): void => {
    const { loss, duplicate, reorder, maxDelayMs } = relay.faults;
    if (random.chance(loss)) {
      counts.dropped++;
      return;
    }
    const copies = random.chance(duplicate) ? 2 : 1;
    if (copies === 2) counts.duplicated++;
    for (let i = 0; i < copies; i++) {
      const send = (): void => {
        if (closed) return;
        counts.sent++;
        from.send(bytes, port, address);
      };
      if (maxDelayMs > 0 && random.chance(reorder)) {
        counts.reordered++;
        const timer = setTimeout(() => {
          timers.delete(timer);
          send();
        }, random.intBetween(1, maxDelayMs));
        timers.add(timer);
      } else send();
    }
  };

  const open = (peer: { address: string; port: number }): Promise<Lane> => {
    const key = printed(peer.address, peer.port);
    const known = lanes.get(key);
    if (known !== undefined) return known;
    const index = ++next;
    const lane = bindSocket(`127.1.${index >> 8}.${index & 255}`).then((socket) => {
      const made: Lane = { socket, endpoint: printed(socket.address().address, socket.address().port), peer };
      resolved.set(key, made);
      socket.on('message', (bytes, from) => {
        counts.received++;
        if (killed.has(key)) return void counts.killed++;
        if (from.address === '127.0.0.1' && from.port === relay.upstream) return transmit(front, bytes, peer.port, peer.address);
        // Another peer's datagram, sent to the endpoint the server listed for this one: hand it on from the sender's lane.
        const sender = printed(from.address, from.port);
        const senderLane = resolved.get(sender);
        if (senderLane === undefined || killed.has(sender)) return void counts.dropped++;
        transmit(senderLane.socket, bytes, peer.port, peer.address);
      });
      return made;
    });
    lanes.set(key, lane);
    return lane;
  };

  /** A peer names its own endpoint in `login` and `logout`: the server must see the lane's instead. */
  const rewrite = (bytes: Buffer, peer: string, lane: Lane): Buffer => {
    const text = bytes.toString('utf16le');
    const fields = text.split(',');
    if ((fields[0] !== 'login' && fields[0] !== 'logout') || fields[2] !== peer) return bytes;
    fields[2] = lane.endpoint;
    return Buffer.from(fields.join(','), 'utf16le');
  };

  front.on('message', (bytes, from) => {
    counts.received++;
    const key = printed(from.address, from.port);
    if (killed.has(key)) return void counts.killed++;
    void open(from).then((lane) => transmit(lane.socket, rewrite(bytes, key, lane), relay.upstream, '127.0.0.1'));
  });

  return relay;
};

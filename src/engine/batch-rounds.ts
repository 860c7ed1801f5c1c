/**
 * Batched presence for the imstate peers that said `batch=1`, sent in rounds paced by the socket. Each event is
 * written once, as its batch line (src/protocol/batch.ts), and waits; a round takes the lines waiting, packs them
 * into datagrams of at most `maxBytes`, and sends each datagram to every batch recipient, a slice of recipients at a
 * time, waiting between slices until the socket has sent what it was given (`UdpSocket.drained`). The events that come
 * while a round is on its way wait for the next one, which therefore carries more of them: the busier the server,
 * the more events each datagram holds, so that the fan-out is limited by bytes rather than by one datagram per event
 * per user. A round that packs into several datagrams keeps its last one back for the next round to top up (so a
 * busy server sends full datagrams: at 100,000 peers that doubled the logins a second); a round of one datagram
 * sends it as it is, so an idle server sends an event's batch at once (the round starts on the next microtask).
 *
 * Who gets a round is read from the live recipient map as the round goes: a user who logs in meanwhile gets it too
 * (events at or below its list's sequence number, which its replica ignores); a user who leaves is skipped.
 * @module
 */
import { batchCuts, batchLine, packBatches, type BatchLine } from '../protocol/batch.js';
import type { BatchEntry, CodecLimits, Message } from '../protocol/index.js';
import type { UdpSocket } from '../transport/index.js';
import type { Counters } from './counters.js';
import type { Recipient } from './recipients.js';

/** What the rounds need from the server. */
export interface BatchRoundsOptions {
  /** The server's UDP socket (undefined before it is bound and after it is closed: nothing is sent then). */
  readonly socket: () => UdpSocket | undefined;
  /** The batch recipients, live (read as the round goes). */
  readonly recipients: ReadonlyMap<string, Recipient>;
  /** Whether a recipient is this server's to send to, asked as the round reaches it (default: every one). */
  readonly holds?: (user: Recipient['user']) => boolean;
  /** The most bytes of one batch datagram. */
  readonly maxBytes: number;
  /** Datagrams handed to the socket between two waits for it (default 1024). */
  readonly sliceDatagrams?: number;
  readonly counters: Counters;
  readonly limits?: Partial<CodecLimits>;
  /** Called as each round starts, with how many events of this round's size fill one datagram. */
  readonly roundStarted?: (eventsPerDatagram: number) => void;
  /** Called when the last round is done and nothing waits. */
  readonly idle?: () => void;
}

/** The batch rounds of one server. */
export interface BatchRounds {
  /** Queues one presence event, given as its sequenced forwarded `login`/`logout` (the broadcast's extended form). */
  add(extended: Message): void;
  /** True while a round is on its way. */
  readonly busy: boolean;
  /** Bytes of the lines waiting for the next round. */
  readonly waitingBytes: number;
  /** The lowest sequence number not yet sent to every batch recipient; undefined when nothing waits. */
  readonly unsentFrom: number | undefined;
  /** Stops: what waits is dropped and a round on its way sends no more. */
  close(): void;
}

/** The batch entry a sequenced forwarded `login`/`logout` describes; undefined for anything else. */
export const batchEntryOf = (message: Message): { seq: number; entry: BatchEntry } | undefined => {
  if ((message.type !== 'login' && message.type !== 'logout') || message.seq === undefined || message.session === undefined) return undefined;
  const { name, session, seq } = message;
  if (message.type === 'login') return { seq, entry: { type: 'login', name, endpoint: message.endpoint, session, imstate: message.imstate === true } };
  return { seq, entry: { type: 'logout', name, session, reason: message.reason ?? 'logout' } };
};

/** Creates the rounds; nothing is sent until an event is added. */
export const createBatchRounds = (options: BatchRoundsOptions): BatchRounds => {
  const { counters, recipients, maxBytes, holds } = options;
  const slice = Math.max(1, Math.floor(options.sliceDatagrams ?? 1024));
  let waiting: BatchLine[] = [];
  let waitingBytes = 0;
  let inRound: number | undefined;
  let running = false;
  let closed = false;

  /** Sends `datagrams` to every recipient, `slice` datagrams at a time, waiting for the socket in between. */
  const sendRound = async (datagrams: readonly Uint8Array[]): Promise<void> => {
    const each = Math.max(1, Math.floor(slice / datagrams.length));
    const people = recipients.values();
    for (let done = false; !done && !closed; ) {
      const socket = options.socket();
      if (socket === undefined) return;
      let sent = 0;
      for (let i = 0; i < each; i++) {
        const next = people.next();
        if (next.done === true) {
          done = true;
          break;
        }
        if (holds !== undefined && !holds(next.value.user)) continue;
        for (const datagram of datagrams) socket.send(datagram, next.value.address);
        sent += datagrams.length;
      }
      counters.add('datagramsOut', sent);
      counters.add('batchDatagrams', sent);
      if (!done) await socket.drained();
    }
  };

  const run = async (): Promise<void> => {
    try {
      while (waiting.length > 0 && !closed) {
        // A round of several datagrams keeps its last one back for the next round, which tops it up: while events
        // keep coming, every datagram a round sends is full (a round of one datagram goes as it is).
        const cuts = batchCuts(waiting, maxBytes);
        const take = cuts.length > 1 ? cuts[cuts.length - 2]! : waiting.length;
        const lines = waiting.slice(0, take);
        waiting = waiting.slice(take);
        waitingBytes = waiting.reduce((sum, line) => sum + line.bytes.length + 1, 0);
        inRound = lines[0]!.seq;
        const bytes = lines.reduce((sum, line) => sum + line.bytes.length + 1, 0);
        const datagrams = packBatches(lines, maxBytes);
        counters.add('batchRounds');
        counters.add('batchEvents', lines.length);
        options.roundStarted?.(Math.max(1, Math.floor((maxBytes * lines.length) / bytes)));
        await sendRound(datagrams);
      }
    } finally {
      inRound = undefined;
      running = false;
    }
    if (!closed) options.idle?.();
  };

  return {
    add(extended) {
      if (closed) return;
      const described = batchEntryOf(extended);
      const line = described === undefined ? undefined : batchLine(described.seq, described.entry, options.limits);
      if (line === undefined) {
        counters.add('batchUnwritable');
        return;
      }
      waiting.push(line);
      waitingBytes += line.bytes.length + 1;
      if (running) return;
      running = true;
      // Next microtask: the events of one fold (a replacement is two) share the round.
      queueMicrotask(() => void run());
    },
    get busy() {
      return running;
    },
    get waitingBytes() {
      return waitingBytes;
    },
    get unsentFrom() {
      return inRound ?? waiting[0]?.seq;
    },
    close() {
      closed = true;
      waiting = [];
      waitingBytes = 0;
    },
  };
};

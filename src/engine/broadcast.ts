/**
 * The server's fan-out: one presence change to every online user, in the form each understands. Classic peers get
 * the classic datagram and imstate peers without batches the sequenced one, one datagram per event, encoded once,
 * the same bytes to every recipient (the transport never changes bytes it was given), at once. imstate peers that
 * said `batch=1` get the event in a batch datagram, sent in rounds paced by the socket (./batch-rounds.ts); while those
 * rounds are behind, new logins wait (./login-hold.ts). Recipients come from ./recipients.ts, their endpoints parsed
 * once per login rather than once per broadcast.
 * @module
 */
import type { PresenceState, User } from '../presence/index.js';
import { encodeDatagram, type CodecLimits, type Message } from '../protocol/index.js';
import type { UdpSocket } from '../transport/index.js';
import { createBatchRounds } from './batch-rounds.js';
import type { Counters } from './counters.js';
import { createLoginHold } from './login-hold.js';
import { createRecipients, type Recipient } from './recipients.js';

/** Every user is this server's to fan out to (a server alone on its log). */
const everyone = (): boolean => true;

/** What to send: `extended` to imstate users, `classic` to the others, nobody named `except`. */
export interface Broadcast {
  readonly classic: Message;
  readonly extended: Message;
  readonly except?: string;
}

/** The default size of a batch datagram: 1,232 bytes, what a 1,280-byte path (IPv6's minimum MTU) carries over UDP. */
export const defaultBatchBytes = 1232;

/** Bytes short of a full batch datagram at which it counts as full: its header and about one more event line. */
const fullnessSlack = 64;

/** The most logins held while the batched fan-out is behind (./login-hold.ts). */
const maxHeldLogins = 4096;

/**
 * Sends `broadcast` from `socket` to each of `recipients` that `holds` (one datagram each; nobody named `except`). A form that
 * cannot be encoded (none the machine makes) is counted as `broadcastSkipped` for each user it was for, never thrown.
 */
export const sendBroadcast = (
  socket: UdpSocket,
  recipients: ReadonlyMap<string, Recipient>,
  broadcast: Broadcast,
  counters: Counters,
  limits?: Partial<CodecLimits>,
  holds: (user: User) => boolean = everyone,
): void => {
  if (recipients.size === 0) return;
  const classic = encodeDatagram(broadcast.classic, limits);
  const extended = encodeDatagram(broadcast.extended, limits);
  let sent = 0;
  let skipped = 0;
  for (const { user, address } of recipients.values()) {
    if (user.name === broadcast.except || !holds(user)) continue;
    const bytes = user.imstate ? extended : classic;
    if (!bytes.ok) {
      skipped++;
      continue;
    }
    socket.send(bytes.value, address);
    sent++;
  }
  // Counted once per broadcast rather than once per datagram.
  if (sent > 0) counters.add('datagramsOut', sent);
  if (skipped > 0) counters.add('broadcastSkipped', skipped);
};

/** What the fan-out needs from the server. */
export interface FanOutOptions {
  /** The bound UDP socket, once there is one. */
  readonly socket: () => UdpSocket | undefined;
  /** The machine's online list now (its fold of the presence log). */
  readonly presence: () => PresenceState;
  /** Whether a user is this server's to fan out to (with a shared log, only its own peers; default: everyone). */
  readonly holds?: (user: User) => boolean;
  readonly counters: Counters;
  /** The most bytes of one batch datagram (default {@link defaultBatchBytes}). */
  readonly batchBytes?: number;
  readonly limits?: Partial<CodecLimits>;
}

/** One server's fan-out. */
export interface FanOut {
  /** Carries out the machine's `broadcast` command. */
  broadcast(broadcast: Broadcast): void;
  /** A login datagram: `deliver` (hand it to the machine) now, or once the batched fan-out has caught up. */
  admitLogin(deliver: () => void): void;
  /**
   * The sequence number a `pong` may tell: the log's `seq`, but never past what the batch rounds have sent, or each
   * batch recipient would see a gap that is only a round away and fetch the whole list again.
   */
  pongSeq(seq: number): number;
  /** Stops the rounds and drops the held logins. */
  close(): void;
}

/** Creates a server's fan-out; it sends nothing until the machine broadcasts. */
export const createFanOut = (options: FanOutOptions): FanOut => {
  const { counters } = options;
  const holds = options.holds ?? everyone;
  const batchBytes = Math.max(64, Math.floor(options.batchBytes ?? defaultBatchBytes));
  const recipients = createRecipients();
  const hold = createLoginHold({
    // Behind: a round is on its way and the next one's datagram is about full (room for a header and a line left).
    behind: () => rounds.busy && rounds.waitingBytes + fullnessSlack >= batchBytes,
    max: maxHeldLogins,
    counters,
  });
  const rounds = createBatchRounds({
    socket: options.socket,
    recipients: recipients.batched,
    holds,
    maxBytes: batchBytes,
    counters,
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    roundStarted: (perDatagram) => hold.release(perDatagram),
    idle: () => hold.release(hold.held),
  });
  return {
    broadcast(broadcast) {
      const socket = options.socket();
      if (socket === undefined) return;
      const unplaced = recipients.sync(options.presence());
      if (unplaced > 0) counters.add('broadcastSkipped', unplaced);
      sendBroadcast(socket, recipients.perEvent, broadcast, counters, options.limits, holds);
      if (recipients.batched.size > 0) rounds.add(broadcast.extended);
    },
    admitLogin: (deliver) => hold.offer(deliver),
    pongSeq(seq) {
      const unsent = rounds.unsentFrom;
      return unsent === undefined ? seq : Math.min(seq, unsent - 1);
    },
    close() {
      rounds.close();
      hold.clear();
    },
  };
};

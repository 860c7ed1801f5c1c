/**
 * A peer's view of the online list: a replica of the server's log, pure and without timers. It starts from a
 * snapshot (the TCP list), applies deltas (forwarded logins and logouts) in sequence order, and buffers what arrives
 * early: the UDP broadcast often beats the TCP list fetch, as Phoenix's presence.js handles with pending diffs.
 * When it knows of events it has not got, it says "resync needed from N" as data ({@link resyncNeeded}); the caller
 * decides when to ask the server (for instance after a short wait, in case the missing datagram is only late).
 *
 * Classic input (the original server's forwarded `login`/`logout`, which carry no sequence number) is applied by name:
 * a `login` upserts (session = endpoint), a `logout` removes. Classic input received before the list is replayed
 * after it, in arrival order. A replica fed only classic input never asks for a resync: it knows no sequence numbers.
 * @module
 */
import type { Resync } from './log.js';
import {
  applyEvents,
  findUser,
  fromSnapshot,
  listUsers,
  presenceSeq,
  removeUser,
  upsertUser,
  type PresenceState,
} from './state.js';
import type { PresenceEvent, Snapshot, User } from './types.js';

/** A forwarded classic `login`/`logout` (no sequence number): the fields the replica needs. */
export interface ClassicPresence {
  readonly type: 'login' | 'logout';
  readonly name: string;
  /** As the wire prints it (`127.0.0.1:5001`); a classic user's session. */
  readonly endpoint: string;
}

/** A peer's view of the online list. Immutable: every `receive…` returns a new replica. */
export interface Replica {
  /** The list so far; undefined until the first snapshot. */
  readonly state: PresenceState | undefined;
  /** Events ahead of the list (or, before the snapshot, every event), by sequence number. */
  readonly pending: ReadonlyMap<number, PresenceEvent>;
  /** Classic input received before the snapshot, in arrival order. */
  readonly classicPending: readonly ClassicPresence[];
  /** The highest sequence number heard of (from events, snapshots and the server's heartbeat answers). */
  readonly known: number;
  /** The most events (and classic messages) held back; the newest beyond it are dropped and resynced later. */
  readonly maxPending: number;
}

/** Options of {@link createReplica}. */
export interface ReplicaOptions {
  /** The most early events held back (default 4096): a bound on memory if the list never comes. */
  readonly maxPending?: number;
}

/** A replica that has seen nothing yet (not ready: it waits for a snapshot). */
export const createReplica = (options: ReplicaOptions = {}): Replica => ({
  state: undefined,
  pending: new Map(),
  classicPending: [],
  known: 0,
  maxPending: Math.max(1, Math.floor(options.maxPending ?? 4096)),
});

const isSeq = (seq: number): boolean => Number.isSafeInteger(seq) && seq >= 1;

/** Applies the pending events that now follow the list without a gap, in one produce, and forgets the stale ones. */
const drain = (replica: Replica): Replica => {
  if (replica.state === undefined || replica.pending.size === 0) return replica;
  const seq = presenceSeq(replica.state);
  const ready: PresenceEvent[] = [];
  for (let next = seq + 1; replica.pending.has(next); next++) ready.push(replica.pending.get(next)!);
  const last = seq + ready.length;
  const pending = new Map([...replica.pending].filter(([s]) => s > last));
  return { ...replica, state: applyEvents(replica.state, ready), pending };
};

/** Holds events back (those not yet applied), remembering the highest sequence number seen. */
const hold = (replica: Replica, events: readonly PresenceEvent[]): Replica => {
  const floor = replica.state === undefined ? 0 : presenceSeq(replica.state);
  const pending = new Map(replica.pending);
  let known = replica.known;
  for (const event of events) {
    if (!isSeq(event.seq)) continue;
    known = Math.max(known, event.seq);
    if (event.seq > floor && !pending.has(event.seq)) pending.set(event.seq, event);
  }
  return { ...replica, known, pending };
};

/**
 * Keeps at most `maxPending` events back: the lowest, as they are the next to apply; the others are forgotten and
 * come back through a resync (`known` still counts them). Applied after draining, so a resync answer larger than the
 * bound is applied whole.
 */
const bound = (replica: Replica): Replica => {
  if (replica.pending.size <= replica.maxPending) return replica;
  const kept = [...replica.pending.keys()].sort((a, b) => a - b).slice(0, replica.maxPending);
  return { ...replica, pending: new Map(kept.map((seq) => [seq, replica.pending.get(seq)!])) };
};

/**
 * Gives the replica an event from the server's log. In order: applied (with any buffered events it unblocks).
 * Ahead of the list, or before the snapshot: buffered. Already applied, duplicate, or without a valid sequence
 * number: ignored.
 */
export const receiveEvent = (replica: Replica, event: PresenceEvent): Replica => receiveEvents(replica, [event]);

/** Gives the replica several events at once (a resync answer): the same as one by one, in one produce. */
export const receiveEvents = (replica: Replica, events: readonly PresenceEvent[]): Replica => {
  const floor = replica.state === undefined ? 0 : presenceSeq(replica.state);
  if (!events.some((event) => isSeq(event.seq) && event.seq > floor)) return replica;
  return bound(drain(hold(replica, events)));
};

/**
 * Gives the replica a snapshot (the TCP list, or a resync answer). Taken if the replica has none yet or the snapshot
 * is newer; a classic list (sequence number 0) also replaces a classic list. Buffered events after the snapshot are
 * then applied, and buffered classic input is replayed.
 */
export const receiveSnapshot = (replica: Replica, snapshot: Snapshot): Replica => {
  const seq = replica.state === undefined ? undefined : presenceSeq(replica.state);
  const newer = seq === undefined || snapshot.seq > seq || (snapshot.seq === 0 && seq === 0);
  if (!newer || !(snapshot.seq === 0 || isSeq(snapshot.seq))) return replica;
  const pending = new Map([...replica.pending].filter(([s]) => s > snapshot.seq));
  let state = fromSnapshot(snapshot);
  for (const message of replica.classicPending) state = applyClassic(state, message);
  return bound(drain({ ...replica, state, pending, classicPending: [], known: Math.max(replica.known, snapshot.seq) }));
};

/** Gives the replica the server's answer to its resync request. */
export const receiveResync = (replica: Replica, answer: Resync): Replica =>
  answer.kind === 'snapshot' ? receiveSnapshot(replica, answer.snapshot) : receiveEvents(replica, answer.events);

/**
 * Tells the replica the server's latest sequence number (from a heartbeat answer, `pong,<seq>`), so that a lost
 * last event is noticed: without it, nothing after the loss would reveal the gap.
 */
export const receiveServerSeq = (replica: Replica, seq: number): Replica =>
  isSeq(seq) && seq > replica.known ? { ...replica, known: seq } : replica;

const applyClassic = (state: PresenceState, message: ClassicPresence): PresenceState =>
  message.type === 'login'
    ? upsertUser(state, { name: message.name, endpoint: message.endpoint, session: message.endpoint, imstate: false })
    : removeUser(state, message.name);

/**
 * Gives the replica a forwarded classic `login` or `logout` (no sequence number): a login upserts the name
 * (session = endpoint, not imstate), a logout removes the name. Before the snapshot it is held and replayed after.
 */
export const receiveClassic = (replica: Replica, message: ClassicPresence): Replica => {
  if (replica.state !== undefined) return { ...replica, state: applyClassic(replica.state, message) };
  // Before the list: keep arrival order; past the bound, forget the oldest (the list will carry most of them anyway).
  const classicPending = [...replica.classicPending, message].slice(-replica.maxPending);
  return { ...replica, classicPending };
};

/**
 * "Resync needed from N": the first sequence number the replica is missing, when it knows of a later event than it
 * has applied (a buffered event beyond a gap, or the server's heartbeat answer); undefined when it is up to date as
 * far as it knows, or has no snapshot yet (the list fetch is the resync then).
 */
export const resyncNeeded = (replica: Replica): number | undefined => {
  if (replica.state === undefined) return undefined;
  const seq = presenceSeq(replica.state);
  return replica.known > seq ? seq + 1 : undefined;
};

/** The replica's online list, in the server's stable order; empty before the snapshot. */
export const replicaUsers = (replica: Replica): User[] => (replica.state === undefined ? [] : listUsers(replica.state));

/** The online user with this name in the replica's view (to find a `talk`'s sender by name). */
export const replicaFindUser = (replica: Replica, name: string): User | undefined =>
  replica.state === undefined ? undefined : findUser(replica.state, name);

/** The last sequence number applied (0 before the snapshot, and for a classic replica). */
export const replicaSeq = (replica: Replica): number => (replica.state === undefined ? 0 : presenceSeq(replica.state));

/** True once the replica has had a snapshot. */
export const replicaReady = (replica: Replica): boolean => replica.state !== undefined;

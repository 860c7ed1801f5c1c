/**
 * The presence log: the server's ordered record of joins and leaves, and the source of every snapshot and resync.
 * The interface is small and asynchronous so that a distributed store can stand behind it later (several servers
 * sharing one presence); {@link createMemoryLog} is the in-process implementation.
 * @module
 */
import { applyEvents, emptyPresence, toSnapshot, type PresenceState } from './state.js';
import type { PresenceChange, PresenceEvent, Snapshot } from './types.js';

/** The ordered record of presence changes. Sequence numbers start at 1 and have no gaps. */
export interface PresenceLog {
  /** Appends changes in order, giving each the next sequence number; resolves to the events as recorded. */
  append(changes: readonly PresenceChange[]): Promise<PresenceEvent[]>;
  /**
   * The events with a sequence number above `seq`, in order, as far as the log still holds them. A log that compacts
   * may have dropped the first ones: then the first event returned is above `seq + 1` (or none is returned while
   * {@link PresenceLog.seq} is above `seq`), and the reader needs a snapshot; {@link resync} does that check.
   */
  readFrom(seq: number): Promise<PresenceEvent[]>;
  /** The online list now, with the sequence number of the last event folded in. */
  snapshot(): Promise<Snapshot>;
  /** The sequence number of the last appended event (0 for an empty log). */
  readonly seq: number;
}

/** The in-memory log, which also exposes the folded list so the server can decide without a round trip. */
export interface MemoryPresenceLog extends PresenceLog {
  /** The fold of every appended event (the list {@link PresenceLog.snapshot} describes). */
  readonly state: PresenceState;
}

/** Options of {@link createMemoryLog}. */
export interface MemoryLogOptions {
  /**
   * Keep only the recent events: once `2 × snapshotEvery` are held, the oldest `snapshotEvery` are dropped (the
   * folded state is the snapshot that replaces them). A reader further behind than that gets a snapshot from
   * {@link resync}. Unset: keep every event.
   */
  readonly snapshotEvery?: number;
}

/** Creates an empty in-memory {@link PresenceLog}. */
export const createMemoryLog = (options: MemoryLogOptions = {}): MemoryPresenceLog => {
  const every = options.snapshotEvery !== undefined && options.snapshotEvery >= 1 ? Math.floor(options.snapshotEvery) : undefined;
  let events: PresenceEvent[] = [];
  let state = emptyPresence();
  let seq = 0;

  return {
    get seq() {
      return seq;
    },
    get state() {
      return state;
    },
    append(changes) {
      const added = changes.map((change) => ({ ...change, seq: ++seq }) as PresenceEvent);
      state = applyEvents(state, added);
      for (const event of added) events.push(event);
      if (every !== undefined && events.length >= 2 * every) events = events.slice(events.length - every);
      return Promise.resolve(added);
    },
    readFrom(from) {
      // Events are contiguous, so the first wanted one is found by arithmetic.
      const first = events[0]?.seq ?? seq + 1;
      return Promise.resolve(events.slice(Math.max(0, Math.floor(from) + 1 - first)));
    },
    snapshot() {
      return Promise.resolve(toSnapshot(state));
    },
  };
};

/** What a replica needs to catch up: the missing events, or (when the log no longer holds them) a snapshot. */
export type Resync =
  | { readonly kind: 'events'; readonly events: readonly PresenceEvent[] }
  | { readonly kind: 'snapshot'; readonly snapshot: Snapshot };

/**
 * Reads what a replica asked for with "resync needed from `from`": the events from sequence number `from` on, or a
 * snapshot when the log has compacted past `from`.
 */
export const resync = async (log: PresenceLog, from: number): Promise<Resync> => {
  const want = Math.max(1, Math.floor(from));
  const after = await log.readFrom(want - 1);
  const first = after[0];
  const complete = first === undefined ? log.seq < want : first.seq === want;
  return complete ? { kind: 'events', events: after } : { kind: 'snapshot', snapshot: await log.snapshot() };
};

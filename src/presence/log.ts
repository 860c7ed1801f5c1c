/**
 * The presence log: the server's ordered record of joins and leaves, and the source of every snapshot and resync.
 * The interface is small and asynchronous so that a distributed store can stand behind it later (several servers
 * sharing one presence); {@link createMemoryLog} is the in-process implementation.
 * @module
 */
import { Observable, Subject } from 'rxjs';
import { applyEvents, emptyPresence, toSnapshot, type PresenceState } from './state.js';
import type { PresenceChange, PresenceEvent, Snapshot } from './types.js';

/** What {@link PresenceLog.append} answers: the events as recorded, or the log's last seq when it had moved on. */
export type AppendResult = { readonly ok: true; readonly events: PresenceEvent[] } | { readonly ok: false; readonly seq: number };

/**
 * The ordered record of presence changes, and the one authority on them: sequence numbers start at 1 and have no
 * gaps, and only the log gives them. A writer decides from its fold at some seq and appends conditionally on that
 * seq (optimistic concurrency), so several writers (several servers on one shared log) can never both decide from
 * the same list; every reader, the writers included, folds what {@link PresenceLog.follow} delivers.
 */
export interface PresenceLog {
  /** The last sequence number this process knows of (0 for an empty log). */
  readonly seq: number;
  /** The online list now, with the sequence number of the last event folded in. */
  snapshot(): Promise<Snapshot>;
  /**
   * The events with a sequence number above `seq`, in order, as far as the log still holds them. A log that compacts
   * may have dropped the first ones: then the first event returned is above `seq + 1` (or none is returned while
   * {@link PresenceLog.seq} is above `seq`), and the reader needs a snapshot; {@link resync} does that check.
   */
  readFrom(seq: number): Promise<PresenceEvent[]>;
  /**
   * Appends only if the log's last seq is still `at` (optimistic concurrency); numbers them at+1…; else
   * `{ ok: false, seq }` with the log's last seq. Appending no changes succeeds with no events when `at` is current.
   */
  append(changes: readonly PresenceChange[], at: number): Promise<AppendResult>;
  /**
   * Every event with seq > after, from any writer (own appends included), exactly once, contiguous, in order.
   * An append's events are emitted here BEFORE its promise resolves; a conflict resolves only after every event
   * up to the reported seq was emitted. Errors with a {@link PresenceLogError} (`compacted`) when the log no longer
   * holds the events right after `after` (the reader needs a snapshot first).
   */
  follow(after: number): Observable<readonly PresenceEvent[]>;
}

/** Why a presence log could not do what was asked. */
export class PresenceLogError extends Error {
  override readonly name = 'PresenceLogError';
  /** `compacted`: the events asked for are no longer held. */
  readonly code: 'compacted';
  constructor(code: 'compacted', message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** The in-memory log, which also exposes the folded list (for tests and the bench). */
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

/**
 * Creates an empty in-memory {@link PresenceLog}. Appends are synchronous underneath: the events reach every
 * follower before `append` returns its (already settled) promise, which is what the contract asks.
 */
export const createMemoryLog = (options: MemoryLogOptions = {}): MemoryPresenceLog => {
  const every = options.snapshotEvery !== undefined && options.snapshotEvery >= 1 ? Math.floor(options.snapshotEvery) : undefined;
  let events: PresenceEvent[] = [];
  let state = emptyPresence();
  let seq = 0;
  const appended$ = new Subject<readonly PresenceEvent[]>();

  /** The held events above `after`; undefined when the ones right after it were compacted away. */
  const heldAfter = (after: number): PresenceEvent[] | undefined => {
    const first = events[0]?.seq ?? seq + 1;
    if (after + 1 < first) return undefined;
    // Events are contiguous, so the first wanted one is found by arithmetic.
    return events.slice(Math.max(0, Math.floor(after) + 1 - first));
  };

  return {
    get seq() {
      return seq;
    },
    get state() {
      return state;
    },
    append(changes, at) {
      if (at !== seq) return Promise.resolve({ ok: false, seq });
      if (changes.length === 0) return Promise.resolve({ ok: true, events: [] });
      const added = changes.map((change) => ({ ...change, seq: ++seq }) as PresenceEvent);
      state = applyEvents(state, added);
      for (const event of added) events.push(event);
      if (every !== undefined && events.length >= 2 * every) events = events.slice(events.length - every);
      appended$.next(added);
      return Promise.resolve({ ok: true, events: added });
    },
    readFrom(from) {
      const first = events[0]?.seq ?? seq + 1;
      return Promise.resolve(events.slice(Math.max(0, Math.floor(from) + 1 - first)));
    },
    snapshot() {
      return Promise.resolve(toSnapshot(state));
    },
    follow(after) {
      return new Observable<readonly PresenceEvent[]>((subscriber) => {
        let delivered = Math.floor(after);
        const deliver = (batch: readonly PresenceEvent[]): void => {
          const fresh = batch.filter((event) => event.seq > delivered);
          if (fresh.length === 0) return;
          delivered = fresh[fresh.length - 1]?.seq ?? delivered;
          subscriber.next(fresh);
        };
        const backlog = heldAfter(delivered);
        if (backlog === undefined) {
          subscriber.error(new PresenceLogError('compacted', `the log no longer holds the events after ${delivered}; read a snapshot first`));
          return undefined;
        }
        // Listen first and hold what comes while the backlog is delivered (a follower may append as it reads).
        let held: (readonly PresenceEvent[])[] | undefined = [];
        const subscription = appended$.subscribe((batch) => (held === undefined ? deliver(batch) : held.push(batch)));
        deliver(backlog);
        for (const batch of held) deliver(batch);
        held = undefined;
        return () => subscription.unsubscribe();
      });
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

/**
 * What an index server needs from a presence log that several servers share: the log itself (conditional append,
 * follow), which server holds each session (so each fans out to its own peers and expires only its own), the
 * sessions of servers that died (their lease lapsed), and lines for the server's log when the store falters.
 * Implemented by the Redis log (../redis/redis-log.ts) and, for tests and models, by {@link createMemoryCluster}.
 * @module
 */
import type { Observable } from 'rxjs';
import type { PresenceChange, PresenceEvent, Snapshot, User } from '../../presence/types.js';

/** What a conditional append did: recorded (its events, numbered after the log's last) or refused (the log's last seq now). */
export type AppendResult = { readonly ok: true; readonly events: PresenceEvent[] } | { readonly ok: false; readonly seq: number };

/** Something the store wants said in the server's log (store lost, back, restored). */
export interface StoreNotice {
  readonly level: 'info' | 'warn' | 'error';
  readonly kind: string;
  readonly text: string;
}

/** A session whose server's lease lapsed. */
export interface Orphan {
  readonly owner: string;
  readonly user: User;
}

/** One server's handle on a presence log shared by several servers. */
export interface SharedPresenceLog {
  /** The last sequence number this process knows (followed, or appended by it). */
  readonly seq: number;
  /** The online list and its sequence number, in one read. */
  snapshot(): Promise<Snapshot>;
  /** The events after `seq` that the log still holds, in order. */
  readFrom(seq: number): Promise<PresenceEvent[]>;
  /**
   * Appends a decision made on the log as of `at`, if it still holds: the log's last seq is still `at`, or every name
   * the changes touch is as they assume (each leave's session online, each join's name free), whatever else other
   * servers appended meanwhile. The changes are numbered after the log's last event; else `{ ok: false, seq }`.
   */
  append(changes: readonly PresenceChange[], at: number): Promise<AppendResult>;
  /**
   * Every event with seq above `after`, from any server (own appends included), exactly once, contiguous, in order.
   * An append's events are emitted before its promise resolves; a conflict resolves only after every event up to the
   * seq it reports was emitted.
   */
  follow(after: number): Observable<readonly PresenceEvent[]>;
  /** This server's id (the owner recorded with its sessions). */
  readonly serverId: string;
  /** The server holding `name`'s session, as far as this process has followed. */
  ownerOf(name: string): string | undefined;
  /** The sessions of other servers whose lease lapsed: theirs to expire. */
  orphans(): Promise<Orphan[]>;
  /** How long a lease lasts without renewal, in ms: a dead server's sessions are orphans after at most this. */
  readonly leaseMs: number;
  /** Store lost, back, restored: lines for the server's log. */
  readonly notices$: Observable<StoreNotice>;
  /** Connects and takes this server's lease; rejects with a readable error when the store is unreachable. */
  open(): Promise<void>;
  /** Gives up the lease (its sessions become orphans at once) and closes. */
  close(): Promise<void>;
}

/**
 * Several servers' shared presence log, in memory: the model of the Redis store for tests and property runs on the
 * memory network. The same contract as the Redis log (./shared-log.ts): conditional appends (./still-holds.ts) numbered gap-free,
 * every event followed by every server in order (synchronously, so a simulated clock drives it all), owners per
 * session, and leases that a crashed server stops renewing.
 * @module
 */
import { Observable, Subject } from 'rxjs';
import { applyEvents, emptyPresence, findUser, toSnapshot, type PresenceState } from '../../presence/state.js';
import type { PresenceEvent } from '../../presence/types.js';
import type { Orphan, SharedPresenceLog, StoreNotice } from './shared-log.js';
import { stillHolds } from './still-holds.js';

/** Several servers' shared log in memory. */
export interface MemoryCluster {
  /** The handle of the server `serverId` (its lease is taken at `open()`, given up at `close()`). */
  log(serverId: string): SharedPresenceLog;
  /** The server vanished without closing: its lease has lapsed (as a killed process's would after `leaseMs`). */
  crash(serverId: string): void;
  /** Every event appended, in order. */
  events(): readonly PresenceEvent[];
}

/** Creates an empty shared log; `leaseMs` is only reported (leases lapse at {@link MemoryCluster.crash}). */
export const createMemoryCluster = (options: { readonly leaseMs?: number } = {}): MemoryCluster => {
  const leaseMs = options.leaseMs ?? 10_000;
  const events: PresenceEvent[] = [];
  let state: PresenceState = emptyPresence();
  const owners = new Map<string, string>();
  const leases = new Set<string>();
  const appended$ = new Subject<readonly PresenceEvent[]>();

  const record = (batch: readonly PresenceEvent[], owner: string): void => {
    for (const event of batch) {
      if (event.type === 'joined') owners.set(event.user.name, owner);
      else if (findUser(state, event.name)?.session === event.session) owners.delete(event.name);
      state = applyEvents(state, [event]);
      events.push(event);
    }
    appended$.next(batch);
  };

  const handle = (serverId: string): SharedPresenceLog => {
    const notices$ = new Subject<StoreNotice>();
    return {
      get seq() {
        return events.length;
      },
      serverId,
      leaseMs,
      notices$: notices$.asObservable(),
      open: async () => {
        leases.add(serverId);
      },
      close: async () => {
        leases.delete(serverId);
        notices$.complete();
      },
      snapshot: async () => toSnapshot(state),
      readFrom: async (seq) => events.slice(Math.max(0, Math.floor(seq))),
      append: async (changes, at) => {
        if (at !== events.length && !stillHolds(changes, (name) => findUser(state, name)?.session)) return { ok: false, seq: events.length };
        const first = events.length + 1;
        const batch = changes.map((change, i) => ({ ...change, seq: first + i }) as PresenceEvent);
        if (batch.length > 0) record(batch, serverId);
        return { ok: true, events: batch };
      },
      follow: (after) =>
        new Observable<readonly PresenceEvent[]>((subscriber) => {
          const back = events.slice(Math.max(0, Math.floor(after)));
          if (back.length > 0) subscriber.next(back);
          return appended$.subscribe((batch) => {
            const wanted = batch.filter((event) => event.seq > after);
            if (wanted.length > 0) subscriber.next(wanted);
          });
        }),
      ownerOf: (name) => owners.get(name),
      orphans: async () => {
        const found: Orphan[] = [];
        for (const [name, owner] of owners) {
          const user = findUser(state, name);
          if (owner !== serverId && !leases.has(owner) && user !== undefined) found.push({ owner, user });
        }
        return found;
      },
    };
  };

  return {
    log: handle,
    crash: (serverId) => void leases.delete(serverId),
    events: () => events,
  };
};

/**
 * The presence log in Redis, shared by several index servers: events in a Stream (entry id `<seq>-0`, so the
 * sequence number is the id and Redis refuses one out of order), the online list and each session's owning server in
 * hashes, all written by one Lua script per append, and only if the log's last sequence number is still the one the
 * appending server decided on (optimistic concurrency). Every server follows the stream (XREAD BLOCK), so each sees
 * every event, from any server, exactly once and in order.
 *
 * Faults: each server holds a lease key, renewed every third of its period; {@link RedisPresenceLog.orphans} lists
 * the sessions of servers whose lease lapsed. While Redis is unreachable, appends fail at once (nothing is queued:
 * no login is accepted that Redis did not record), followers retry with backoff, and a notice says so; when Redis
 * comes back empty (a restart without persistence), the first server to notice puts its whole list back.
 * @module
 */
import { Observable, Subject } from 'rxjs';
import { applyEvents, emptyPresence, findUser, fromSnapshot, listUsers, type PresenceState } from '../../presence/state.js';
import type { PresenceEvent } from '../../presence/types.js';
import type { AppendResult, Orphan, SharedPresenceLog, StoreNotice } from '../cluster/shared-log.js';
import { newSessionId as randomId } from '../ids.js';
import { decodeEntry, decodeSnapshot, decodeUser, type DecodedEntry, type RawEntry, type RawSnapshot } from './entries.js';
import { connectRedis, type RedisLink } from './link.js';
import { APPEND_LUA, ORPHANS_LUA, redisKeys, RESTORE_LUA, SNAPSHOT_LUA } from './scripts.js';
import { formatStore, StoreError, type StoreAddress } from './store-url.js';

/** Options of {@link createRedisLog}. */
export interface RedisLogOptions {
  readonly address: StoreAddress;
  /** Key prefix, so that several clusters (or tests) can share one Redis. Default `imstate:`. */
  readonly prefix?: string;
  /** This server's id, recorded as the owner of the sessions it appends. Default: a random id. */
  readonly serverId?: string;
  /** How long a lease lasts without renewal, in ms (default 10 000); renewed every third of it. */
  readonly leaseMs?: number;
  /** Stream entries kept (approximately; older ones are trimmed). Default 100 000. */
  readonly maxEvents?: number;
  /** How long one XREAD blocks, in ms (default 1 000); bounds how fast close() ends the follower. */
  readonly blockMs?: number;
}

/** The Redis-backed presence log of one server (see {@link SharedPresenceLog} for each member). */
export type RedisPresenceLog = SharedPresenceLog;

/** Creates a Redis-backed presence log (nothing is opened until {@link RedisPresenceLog.open}). */
export const createRedisLog = (options: RedisLogOptions): RedisPresenceLog => {
  const prefix = options.prefix ?? 'imstate:';
  const keys = redisKeys(prefix);
  const serverId = options.serverId ?? randomId();
  const leaseMs = Math.max(30, Math.floor(options.leaseMs ?? 10_000));
  const maxEvents = Math.max(100, Math.floor(options.maxEvents ?? 100_000));
  const blockMs = Math.max(10, Math.floor(options.blockMs ?? 1_000));
  const where = formatStore(options.address);
  const notices$ = new Subject<StoreNotice>();
  const notice = (level: StoreNotice['level'], kind: string, text: string): void => notices$.next({ level, kind, text });

  let link: RedisLink | undefined;
  let closed = false;
  let epoch = '';
  /** The last seq emitted to followers (undefined until the first follow), and the fold and owners up to it. */
  let emitted: number | undefined;
  let known = 0;
  let fold: PresenceState = emptyPresence();
  const owners = new Map<string, string>();
  const hot$ = new Subject<readonly PresenceEvent[]>();
  let leaseTimer: ReturnType<typeof setInterval> | undefined;

  // Every change to `emitted`, the fold and the owners runs through this chain, one task at a time.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = chain.then(task);
    chain = run.catch(() => undefined);
    return run;
  };

  const linked = (): RedisLink => {
    if (link === undefined || closed) throw new StoreError('closed', `the presence log at ${where} is not open`);
    return link;
  };
  const unreachable = (error: unknown): StoreError =>
    error instanceof StoreError ? error : new StoreError('unreachable', `Redis at ${where} did not answer: ${error instanceof Error ? error.message : String(error)}`, { cause: error });

  const range = async (from: number, to?: number): Promise<DecodedEntry[]> => {
    const raw = (await linked().command.xrange(keys.events, `${from}-0`, to === undefined ? '+' : `${to}-0`)) as RawEntry[];
    const entries: DecodedEntry[] = [];
    for (const one of raw) {
      const entry = decodeEntry(one);
      if (entry === undefined) continue;
      if (entry.problem !== undefined) notice('warn', 'store', entry.problem);
      entries.push(entry);
    }
    return entries;
  };

  /** Folds and emits the entries that come next (inside `serial`): older ones are skipped, a gap is read first. */
  const ingest = async (entries: readonly DecodedEntry[]): Promise<void> => {
    for (const entry of entries) known = Math.max(known, entry.event.seq);
    if (emitted === undefined) return;
    let next = entries.filter((entry) => entry.event.seq > (emitted ?? 0));
    const first = next[0];
    if (first === undefined) return;
    if (first.event.seq > emitted + 1) {
      const missing = await range(emitted + 1, first.event.seq - 1);
      next = [...missing, ...next];
    }
    const batch: PresenceEvent[] = [];
    for (const entry of next) {
      if (entry.event.seq <= emitted) continue;
      if (entry.event.seq !== emitted + 1) {
        // The stream no longer holds what came between (trimmed, or restored by a server that was further on).
        notice('error', 'store', `the shared log skips from ${emitted} to ${entry.event.seq}: this server's list may differ until it restarts`);
      }
      batch.push(entry.event);
      const { event } = entry;
      if (event.type === 'joined') owners.set(event.user.name, entry.owner);
      else if (findUser(fold, event.name)?.session === event.session) owners.delete(event.name);
      fold = applyEvents(fold, [event]);
      emitted = event.seq;
    }
    if (batch.length > 0) hot$.next(batch);
  };

  /** Reads the log's epoch; puts the list back if Redis lost it. Inside `serial`. */
  const recover = async (): Promise<void> => {
    const reply = (await linked().command.imstateSnapshot(keys.seq, keys.users, keys.owners, keys.epoch, randomId(), epoch)) as RawSnapshot;
    const [now, seq] = reply;
    if (now === epoch && now !== '') return;
    if (now !== '') {
      if (epoch !== '') notice(seq === known ? 'info' : 'warn', 'store', `another server restored the shared log at ${where} at seq ${seq}${seq === known ? '' : ` (this server was at ${known})`}`);
      epoch = now;
      return;
    }
    const users = listUsers(fold);
    const triples = users.flatMap((user) => [user.name, JSON.stringify(user), owners.get(user.name) ?? serverId]);
    const at = emitted ?? known;
    const fresh = randomId();
    const [restored, kept] = (await linked().command.imstateRestore(keys.seq, keys.events, keys.users, keys.owners, keys.servers, keys.epoch, fresh, at, prefix, leaseMs, ...triples)) as [number, string];
    epoch = kept;
    if (restored === 1) notice('warn', 'store', `Redis at ${where} had lost the shared log: put back ${users.length} users at seq ${at}`);
    await renew();
  };

  const renew = async (): Promise<void> => {
    if (link === undefined || closed) return;
    await link.command.set(keys.lease(serverId), 'alive', 'PX', leaseMs).catch(() => undefined);
  };

  const tail = async (): Promise<void> => {
    let delay = 50;
    while (!closed && link !== undefined) {
      try {
        const reply = (await link.reader.xread('COUNT', 1000, 'BLOCK', blockMs, 'STREAMS', keys.events, `${emitted ?? 0}-0`)) as [string, RawEntry[]][] | null;
        delay = 50;
        const raw = reply?.[0]?.[1] ?? [];
        const entries = raw.map(decodeEntry).filter((entry): entry is DecodedEntry => entry !== undefined);
        if (entries.length > 0) await serial(() => ingest(entries));
      } catch {
        if (closed) return;
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 2_000);
      }
    }
  };

  /** Starts following at `after` (inside `serial`); the caller then ingests what the stream holds after it. */
  const start = async (after: number): Promise<void> => {
    const snapshot = await readSnapshot();
    fold = snapshot.seq >= after ? snapshot.state : emptyPresence();
    emitted = after;
    for (const [name, owner] of snapshot.owners) owners.set(name, owner);
    void tail();
  };

  const readSnapshot = async (): Promise<{ seq: number; state: PresenceState; owners: Map<string, string> }> => {
    const reply = (await linked().command.imstateSnapshot(keys.seq, keys.users, keys.owners, keys.epoch, randomId(), epoch)) as RawSnapshot;
    const read = decodeSnapshot(reply);
    if (read.epoch === '' && epoch !== '') {
      await recover();
      return readSnapshot();
    }
    epoch = read.epoch;
    for (const problem of read.problems) notice('warn', 'store', problem);
    known = Math.max(known, read.seq);
    return { seq: read.seq, state: fromSnapshot({ seq: read.seq, users: read.users }), owners: read.owners };
  };

  return {
    get seq() {
      return Math.max(known, emitted ?? 0);
    },
    serverId,
    leaseMs,
    notices$: notices$.asObservable(),
    async open() {
      if (link !== undefined) return;
      try {
        link = await connectRedis(options.address, { APPEND_LUA, SNAPSHOT_LUA, RESTORE_LUA, ORPHANS_LUA });
      } catch (error) {
        throw new StoreError('unreachable', `could not reach Redis at ${where}: ${error instanceof Error ? error.message : String(error)} — is redis-server running?`, { cause: error });
      }
      link.status$.subscribe(({ up, why }) => {
        if (closed) return;
        if (!up) notice('warn', 'store', `lost Redis at ${where}${why === undefined ? '' : ` (${why})`}: serving the list this server has, retrying with backoff`);
        else {
          notice('info', 'store', `Redis at ${where} is back`);
          void serial(recover).catch((error: unknown) => notice('warn', 'store', unreachable(error).message));
        }
      });
      await serial(recover).catch((error: unknown) => {
        throw unreachable(error);
      });
      await renew();
      leaseTimer = setInterval(() => void renew(), Math.max(10, Math.floor(leaseMs / 3)));
      leaseTimer.unref();
    },
    async snapshot() {
      const { seq, state, owners: ownerMap } = await readSnapshot().catch((error: unknown) => {
        throw unreachable(error);
      });
      if (emitted === undefined) for (const [name, owner] of ownerMap) owners.set(name, owner);
      return { seq, users: listUsers(state) };
    },
    async readFrom(seq) {
      const entries = await range(Math.max(0, Math.floor(seq)) + 1).catch((error: unknown) => {
        throw unreachable(error);
      });
      return entries.map((entry) => entry.event);
    },
    async append(changes, at) {
      const run = async (retry: boolean): Promise<AppendResult> => {
        const args = [keys.seq, keys.events, keys.users, keys.owners, keys.servers, keys.epoch, at, epoch, serverId, prefix, maxEvents];
        const reply = (await linked().command.imstateAppend(...args, ...changes.map((change) => JSON.stringify(change)))) as number[];
        const [status, seq = 0] = reply;
        if (status === 1) {
          // Numbered after whatever other servers appended since `at` (see APPEND_LUA): the last one is `seq`.
          const first = seq - changes.length + 1;
          const events = changes.map((change, i) => ({ ...change, seq: first + i }) as PresenceEvent);
          await serial(() => ingest(events.map((event) => ({ event, owner: serverId }))));
          return { ok: true, events };
        }
        if (status === 0) {
          await serial(async () => ingest(await range((emitted ?? seq) + 1, seq)));
          return { ok: false, seq };
        }
        if (!retry) throw new StoreError('unreachable', `the shared log at ${where} was lost again while appending`);
        await serial(recover);
        return run(false);
      };
      return run(true).catch((error: unknown) => {
        throw unreachable(error);
      });
    },
    follow(after) {
      return new Observable<readonly PresenceEvent[]>((subscriber) => {
        let inner: { unsubscribe(): void } | undefined;
        let ended = false;
        serial(async () => {
          const first = emitted === undefined;
          if (first) await start(after);
          else if (emitted !== undefined && after < emitted) {
            const back = (await range(after + 1, emitted)).map((entry) => entry.event);
            if (back.length > 0 && !ended) subscriber.next(back);
          }
          if (ended) return;
          inner = hot$.subscribe({
            next: (events) => {
              const wanted = events.filter((event) => event.seq > after);
              if (wanted.length > 0) subscriber.next(wanted);
            },
            complete: () => subscriber.complete(),
          });
          // The first follower reads what was appended before it started (its own subscription sees it).
          if (first) await ingest(await range(after + 1));
        }).catch((error: unknown) => subscriber.error(unreachable(error)));
        return () => {
          ended = true;
          inner?.unsubscribe();
        };
      });
    },
    ownerOf: (name) => owners.get(name),
    async orphans() {
      const flat = (await linked().command.imstateOrphans(keys.servers, keys.users, prefix, serverId)) as string[];
      const found: Orphan[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const user = decodeUser(flat[i + 1]);
        if (user !== undefined) found.push({ owner: flat[i] ?? '', user });
      }
      return found;
    },
    async close() {
      if (closed) return;
      closed = true;
      if (leaseTimer !== undefined) clearInterval(leaseTimer);
      const open = link;
      if (open !== undefined) {
        await open.command.del(keys.lease(serverId)).catch(() => undefined);
        await open.close();
      }
      hot$.complete();
      notices$.complete();
    },
  };
};

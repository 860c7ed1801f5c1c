/**
 * The two connections a Redis presence log holds: one for commands and scripts, one for the blocking stream read
 * (XREAD BLOCK holds its connection). Neither queues commands while Redis is away (`enableOfflineQueue: false`): a
 * command then fails at once, so the server keeps serving what it has instead of waiting; both reconnect with
 * backoff, and {@link RedisLink.status$} says when the command connection goes and comes back.
 * @module
 */
import { Redis, type RedisOptions } from 'ioredis';
import { Observable, Subject } from 'rxjs';
import type { StoreAddress } from './store-url.js';

/** The scripts to register as commands (`imstateAppend`, `imstateSnapshot`, …), by constant name. */
export interface LinkScripts {
  readonly APPEND_LUA: string;
  readonly SNAPSHOT_LUA: string;
  readonly RESTORE_LUA: string;
  readonly ORPHANS_LUA: string;
}

/** A script command: keys then arguments, as ioredis' `defineCommand` makes it. */
type ScriptCommand = (...args: (string | number)[]) => Promise<unknown>;

/** The command connection with the log's scripts defined on it. */
export type ScriptedRedis = Redis & {
  imstateAppend: ScriptCommand;
  imstateSnapshot: ScriptCommand;
  imstateRestore: ScriptCommand;
  imstateOrphans: ScriptCommand;
};

/** Whether the command connection is up, and why it went down. */
export interface LinkStatus {
  readonly up: boolean;
  readonly why?: string;
}

/** Both connections, their status, and how to close them. */
export interface RedisLink {
  readonly command: ScriptedRedis;
  readonly reader: Redis;
  readonly status$: Observable<LinkStatus>;
  /** Disconnects both; resolves once both sockets are closed (so nothing of the link outlives its server). */
  close(): Promise<void>;
}

/** Disconnects a client and resolves once its connection has ended. */
const disconnected = (client: Redis): Promise<void> => {
  if (client.status === 'end') return Promise.resolve();
  const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
  client.disconnect();
  return ended;
};

const clientOptions = (address: StoreAddress): RedisOptions => ({
  host: address.host,
  port: address.port,
  db: address.db,
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  connectTimeout: 2_000,
  // Backoff: 50 ms doubling to 2 s, forever (a server outlives a Redis restart).
  retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 6), 2_000),
});

/** Opens both connections (rejects if Redis does not answer the first time) and defines the scripts. */
export const connectRedis = async (address: StoreAddress, scripts: LinkScripts): Promise<RedisLink> => {
  let everUp = false;
  // The first connection is not retried: a server started on a Redis that is not there says so at once.
  const retry = clientOptions(address).retryStrategy ?? (() => null);
  const command = new Redis({ ...clientOptions(address), retryStrategy: (times) => (everUp ? retry(times) : null) }) as ScriptedRedis;
  const reader = new Redis(clientOptions(address));
  let up = false;
  let lastError: string | undefined;
  const status$ = new Subject<LinkStatus>();
  command.on('error', (error: Error) => {
    lastError = error.message;
  });
  reader.on('error', () => undefined);
  command.on('close', () => {
    if (!up) return;
    up = false;
    status$.next(lastError === undefined ? { up } : { up, why: lastError });
  });
  command.on('ready', () => {
    const again = everUp;
    everUp = true;
    up = true;
    lastError = undefined;
    if (again) status$.next({ up });
  });
  command.defineCommand('imstateAppend', { numberOfKeys: 6, lua: scripts.APPEND_LUA });
  command.defineCommand('imstateSnapshot', { numberOfKeys: 4, lua: scripts.SNAPSHOT_LUA });
  command.defineCommand('imstateRestore', { numberOfKeys: 6, lua: scripts.RESTORE_LUA });
  command.defineCommand('imstateOrphans', { numberOfKeys: 2, lua: scripts.ORPHANS_LUA });
  try {
    await command.connect();
    await reader.connect();
  } catch (error) {
    command.disconnect();
    reader.disconnect();
    throw error;
  }
  return {
    command,
    reader,
    status$: status$.asObservable(),
    async close() {
      status$.complete();
      await Promise.all([disconnected(command), disconnected(reader)]);
    },
  };
};

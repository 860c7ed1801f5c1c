/**
 * The `store` option of `createIndexServer()`: where the presence log lives when several servers share it. A
 * `redis://host:port[/db]` address becomes a Redis log (../redis/redis-log.ts) with a fresh server id; a
 * {@link SharedPresenceLog} (the Redis log made by hand, or the in-memory model of tests) is used as it is.
 * @module
 */
import { createRedisLog } from '../redis/redis-log.js';
import { parseStoreUrl, StoreError } from '../redis/store-url.js';
import { EngineError } from '../errors.js';
import { DEFAULT_LEASE_MS } from './member.js';
import type { SharedPresenceLog } from './shared-log.js';

/** A shared store: a `redis://host:port[/db]` address, or a log several servers share. */
export type StoreOption = string | SharedPresenceLog;

/** The shared log the option names; throws an {@link EngineError} (`bad-store`) for an address it cannot read. */
export const sharedLogOf = (store: StoreOption, leaseMs: number = DEFAULT_LEASE_MS): SharedPresenceLog => {
  if (typeof store !== 'string') return store;
  try {
    return createRedisLog({ address: parseStoreUrl(store), leaseMs });
  } catch (error) {
    if (error instanceof StoreError) throw new EngineError('bad-store', error.message, { cause: error });
    throw error;
  }
};

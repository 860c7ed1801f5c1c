/**
 * The options of `createIndexServer()` (./server.ts): its addresses, heartbeats, presence log or shared store,
 * batch size and trust limits, each with its default.
 * @module
 */
import type { StoreOption } from './cluster/store-option.js';
import type { PresenceLog } from '../presence/index.js';
import type { TrustOptions } from '../trust/index.js';
import type { EngineOptions } from './options.js';

/** Options of `createIndexServer()`; every one has a default. */
export interface CreateIndexServerOptions extends EngineOptions {
  /** The address both listeners bind. Default `127.0.0.1` (`::1` for IPv6). */
  readonly host?: string;
  /** The UDP port peers log in to. Default 0: any free port (the real one is in `start()`'s result). */
  readonly port?: number;
  /** The TCP list port, advertised in `Accept`. Default 0: any free port. */
  readonly tcpPort?: number;
  /** How often imstate peers `ping`, in ms (default 10 000); sessions expire after `missedHeartbeats` silent periods. */
  readonly heartbeatMs?: number;
  /**
   * Heartbeat periods an imstate session may miss before it expires (default 2: with the default heartbeat a crashed
   * imstate peer leaves every list within (2 + 1) × 10 s = 30 s). Classic sessions never expire.
   */
  readonly missedHeartbeats?: number;
  /**
   * One session actor per online user, so that an inspector shows each session (default: on when `inspect` is given,
   * else off: a session is then an entry of the session directory, which expires it the same way, and an online user
   * costs ~1.5 KB less).
   */
  readonly sessionActors?: boolean;
  /**
   * Where presence events are recorded. `start()` begins from its snapshot: a log that outlives the server (a restart)
   * brings the online list back without a broadcast; sessions whose peers do not ping again then expire. Default: a
   * fresh in-memory log.
   */
  readonly log?: PresenceLog;
  /**
   * A presence log shared with other servers: `redis://host:port[/db]`, or a shared log made by hand. Each server
   * then lists every server's users, fans out to its own peers, and expires the users of a server whose lease lapsed.
   * The server opens it at `start()` and closes it at `stop()`. Not together with `log`. Default: none (in-process).
   */
  readonly store?: StoreOption;
  /**
   * How long this server's lease in the `store` lasts without renewal, in ms (default 10 000; renewed every third of
   * it): a killed server's users leave the other servers' lists within 1.5 × this. Used with a `redis://` store.
   */
  readonly leaseMs?: number;
  /**
   * The most bytes of one batch datagram, the presence form for imstate peers that said `batch=1` (default 1,232:
   * what a path of IPv6's minimum MTU, 1,280 bytes, carries over UDP; 64 at least). Set it from the path MTU: it
   * less 48 bytes of IPv6 and UDP headers (28 for IPv4).
   */
  readonly batchBytes?: number;
  /**
   * What the server trusts (README, "What the server trusts"): sessions per address, per-source login and ping
   * rates, pending logins, and `natSource` to serve logins at their observed source behind NAT. Defaults in
   * src/trust/options.ts.
   */
  readonly trust?: Partial<TrustOptions>;
}

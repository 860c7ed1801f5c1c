/**
 * What the server trusts, as numbers: the bounds on pending logins, sessions per IP and per-source rates, and
 * whether a login may name an endpoint on another IP than it came from. Every value has a default; the README's
 * "What the server trusts" states each one and why.
 * @module
 */

/** The server's trust options. */
export interface TrustOptions {
  /**
   * Relax the source check for NAT: a login whose endpoint IP differs from the datagram's source IP is then served at
   * the observed source (the source IP and the named port) instead of being refused. Default false.
   */
  readonly natSource: boolean;
  /** Sessions at most (online plus pending) whose endpoint is on one IP address. Default 16. */
  readonly maxSessionsPerAddress: number;
  /** Pending logins at most, over all addresses. Default 1,024. */
  readonly maxPending: number;
  /** How long a login may stay pending, unproven, in ms. Default 15,000. */
  readonly pendingMs: number;
  /** Logins one source IP may send at once (the bucket's size). Default 8. */
  readonly loginBurst: number;
  /** Logins per second one source IP earns back. Default 2. */
  readonly loginsPerSecond: number;
  /** Pings (and logouts) one source IP may send at once. Default 64. */
  readonly pingBurst: number;
  /** Pings (and logouts) per second one source IP earns back. Default 32. */
  readonly pingsPerSecond: number;
  /** Source IPs whose buckets are remembered at most (least recently seen forgotten first). Default 65,536. */
  readonly maxSources: number;
}

/** The defaults (see {@link TrustOptions} for each). */
export const defaultTrustOptions: TrustOptions = Object.freeze({
  natSource: false,
  maxSessionsPerAddress: 16,
  maxPending: 1_024,
  pendingMs: 15_000,
  loginBurst: 8,
  loginsPerSecond: 2,
  pingBurst: 64,
  pingsPerSecond: 32,
  maxSources: 65_536,
});

/** Fills in the defaults; a missing or unusable number takes the default (never throws). */
export const resolveTrustOptions = (options: Partial<TrustOptions> = {}): TrustOptions => {
  const pick = (key: Exclude<keyof TrustOptions, 'natSource'>, min: number): number => {
    const value = options[key];
    return value !== undefined && Number.isFinite(value) && value >= min ? value : defaultTrustOptions[key];
  };
  return {
    natSource: options.natSource === true,
    maxSessionsPerAddress: Math.floor(pick('maxSessionsPerAddress', 1)),
    maxPending: Math.floor(pick('maxPending', 1)),
    pendingMs: pick('pendingMs', 1),
    loginBurst: pick('loginBurst', 1),
    loginsPerSecond: pick('loginsPerSecond', 0),
    pingBurst: pick('pingBurst', 1),
    pingsPerSecond: pick('pingsPerSecond', 0),
    maxSources: Math.floor(pick('maxSources', 1)),
  };
};

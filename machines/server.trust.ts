/**
 * What the server machine believes about a datagram's sender, as one table it owns: per-source token buckets for
 * logins and for pings/logouts, the pending logins (answered with one small `Accept`, not listed or broadcast until
 * their host proves it asked), the sessions online per IP address, and the session secrets of the imstate peers it
 * accepted. The parts are src/trust's; this file holds the server's rules over them, as pure functions of the table,
 * the fold and the event, for the machine's guards and actions (./server.machine.ts, ./server.login.ts).
 *
 * The table is mutated in place by the machine's actions only (like the session directory's Map): copying it per
 * datagram would cost O(sources) exactly where a flood arrives. Time is what the engine stamped on the datagram
 * (`at`); without it (a test stepping the machine) the machine's own clock is its heartbeat periods.
 * @module
 */
import {
  createPendingLogins,
  createTokenBuckets,
  newSecret,
  resolveTrustOptions,
  type PendingLogins,
  type TokenBuckets,
  type TrustOptions,
} from '../src/trust/index.js';
import { findUser, type PresenceEvent, type PresenceState, type User } from '../src/presence/index.js';
import { parseEndpoint } from '../src/protocol/index.js';

/** One accepted imstate session's secret. */
export interface SessionSecret {
  readonly session: string;
  readonly secret: string;
}

/** The server's trust table. */
export interface TrustState {
  readonly options: TrustOptions;
  /** Logins per source IP. */
  readonly logins: TokenBuckets;
  /** Pings and logouts per source IP. */
  readonly pings: TokenBuckets;
  readonly pending: PendingLogins;
  /** Online sessions per IP address (of their endpoints), from the fold. */
  readonly online: Map<string, number>;
  /** Secrets of the online imstate sessions this server accepted, by name. */
  readonly secrets: Map<string, SessionSecret>;
  /** Heartbeat periods completed: the machine's own clock when an event carries no time. */
  sweeps: number;
  /** Makes a fresh secret. */
  readonly newSecret: () => string;
}

/**
 * A deterministic source of bytes for a machine that was given none (a test stepping it): the engine always passes
 * `crypto.randomBytes`, since a secret an attacker can predict proves nothing.
 */
const countingBytes = (): ((size: number) => Uint8Array) => {
  let n = 0;
  return (size) => Uint8Array.from({ length: size }, (_, i) => (n++ * 131 + i * 29) & 0xff);
};

/** A fresh trust table. `randomBytes` should be cryptographic (the engine passes `crypto.randomBytes`). */
export const createTrustState = (options?: Partial<TrustOptions>, randomBytes?: (size: number) => Uint8Array): TrustState => {
  const resolved = resolveTrustOptions(options);
  const bytes = randomBytes ?? countingBytes();
  return {
    options: resolved,
    logins: createTokenBuckets({ burst: resolved.loginBurst, perSecond: resolved.loginsPerSecond, maxSources: resolved.maxSources }),
    pings: createTokenBuckets({ burst: resolved.pingBurst, perSecond: resolved.pingsPerSecond, maxSources: resolved.maxSources }),
    pending: createPendingLogins({
      maxPending: resolved.maxPending,
      maxPendingPerAddress: resolved.maxSessionsPerAddress,
      pendingMs: resolved.pendingMs,
    }),
    online: new Map(),
    secrets: new Map(),
    sweeps: 0,
    newSecret: () => newSecret(bytes),
  };
};

/**
 * Forgets a pending login, proven or not (it joined, was refused, or its append was given up). A proven login stays
 * pending until then, so that a duplicated proving `ping` or a retransmitted `login` meanwhile is answered as the
 * pending login it still is (same `Accept`, same secret), not with `unknown` or a new secret.
 */
export const forgetPending = (trust: TrustState, name: string, session: string): void => {
  trust.pending.remove(name, session);
};

/** The IP address of an endpoint as printed (`127.0.0.1:5001` → `127.0.0.1`, `[::1]:5` → `::1`); `''` if unreadable. */
export const addressOf = (endpoint: string): string => {
  const parsed = parseEndpoint(endpoint);
  return parsed.ok ? parsed.value.address : '';
};

/** The time of an event: what the engine stamped on it, else the machine's heartbeat-period clock. */
export const timeOf = (trust: TrustState, heartbeatMs: number, event: { readonly at?: number }): number =>
  event.at ?? trust.sweeps * heartbeatMs;

/** The time on the machine's own clock (heartbeat periods), which pending logins are stamped and expired with. */
export const periodClock = (trust: TrustState, heartbeatMs: number): number => trust.sweeps * heartbeatMs;

/** Sessions on `address`: online plus pending. */
export const sessionsOn = (trust: TrustState, address: string): number =>
  (trust.online.get(address) ?? 0) + trust.pending.onAddress(address).length;

const bump = (map: Map<string, number>, key: string, by: number): void => {
  const next = (map.get(key) ?? 0) + by;
  if (next <= 0) map.delete(key);
  else map.set(key, next);
};

/** Counts the users a START snapshot brought (their secrets are unknown: they are trusted from their IP only). */
export const noteUsers = (trust: TrustState, users: readonly User[]): void => {
  for (const user of users) bump(trust.online, addressOf(user.endpoint), 1);
};

/**
 * Keeps the table in step with one event of the log, folded onto `before` (the list just before it): the count per
 * IP, and the secret of a session that left is forgotten.
 */
export const noteEvent = (trust: TrustState, before: PresenceState, event: PresenceEvent): void => {
  if (event.type === 'joined') {
    forgetPending(trust, event.user.name, event.user.session);
    const replaced = findUser(before, event.user.name);
    if (replaced !== undefined) bump(trust.online, addressOf(replaced.endpoint), -1);
    bump(trust.online, addressOf(event.user.endpoint), 1);
    return;
  }
  const leaver = findUser(before, event.name);
  if (leaver === undefined || leaver.session !== event.session) return;
  bump(trust.online, addressOf(leaver.endpoint), -1);
  if (trust.secrets.get(event.name)?.session === event.session) trust.secrets.delete(event.name);
};

/** The secret of `name`'s online session `session`, if this server gave it one. */
export const secretOf = (trust: TrustState, name: string, session: string): string | undefined => {
  const known = trust.secrets.get(name);
  return known?.session === session ? known.secret : undefined;
};

/**
 * How long, in whole seconds, a crashed imstate peer stays listed at most: it expires once it has missed
 * `missedHeartbeats` whole periods, and the sweep that sees it runs once per period, so within
 * `(missedHeartbeats + 1) × heartbeatMs` of its last `ping`.
 */
export const livenessBoundS = (heartbeatMs: number, missedHeartbeats: number): number =>
  Math.ceil(((missedHeartbeats + 1) * heartbeatMs) / 1000);

/**
 * What a one-host load generator needs of a server under the trust rules: the per-host throttles lifted (16 users and
 * 2 logins a second per host would measure only themselves; they are tested in test/engine/trust-attacks.test.ts),
 * and each new login proven as a peer proves it, by a `ping` with the secret its `Accept` carried. What a login costs
 * is still all paid: the source check, the pending table, the proof, the append and the fan-out.
 * @module
 */
import type { TrustOptions } from '../src/trust/index.js';

/** Trust options for a server a one-host generator drives: no per-host limit it could reach. */
export const liftedTrust: Partial<TrustOptions> = Object.freeze({
  maxSessionsPerAddress: 1e9,
  maxPending: 1e9,
  loginBurst: 1e9,
  loginsPerSecond: 1e9,
  pingBurst: 1e9,
  pingsPerSecond: 1e9,
});

/** A session id as long as a peer's (12 characters): our `Accept` is never larger than the login that asked. */
export const peerSession = (tag: string): string => tag.padEnd(12, '-');

/** The secret an imstate `Accept` carries (text as decoded from UTF-16LE), or undefined for a classic one. */
export const acceptSecret = (text: string): string | undefined => /secret=([^,]+)/.exec(text)?.[1];

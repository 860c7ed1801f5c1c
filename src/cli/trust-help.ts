/**
 * The paragraph of `imstate server --help` that says what the server trusts and how soon a crashed peer leaves, with
 * the figures read from the defaults themselves (so the help cannot drift from the code).
 * @module
 */
import { defaultServerOptions } from '../../machines/server.wire.js';
import { livenessBoundS } from '../../machines/server.trust.js';
import { defaultTrustOptions } from '../trust/index.js';

/** The trust paragraph for `imstate server --help`. */
export const trustHelp = (): string => {
  const { heartbeatMs, missedHeartbeats } = defaultServerOptions;
  const t = defaultTrustOptions;
  return [
    'What the server trusts (README, "What the server trusts"):',
    `  A crashed imstate peer leaves every list within ${livenessBoundS(heartbeatMs, missedHeartbeats)} s (a ping every ${heartbeatMs / 1_000} s, ${missedHeartbeats} missed).`,
    '  A login must come from the host its endpoint names (--nat: served at the address it came from), and is listed',
    '  only once that host fetches the list, or pings with the secret its Accept carried.',
    `  At most ${t.maxSessionsPerAddress} users per host; logins ${t.loginBurst} at once then ${t.loginsPerSecond}/s per host; pings and logouts ${t.pingBurst} at once then ${t.pingsPerSecond}/s.`,
    '  A live name is not taken from another host; a classic logout counts only from its session\'s host.',
  ].join('\n');
};

/**
 * The server's rules for a `login`, `ping` and `logout`, as pure judgements over its trust table (./server.trust.ts)
 * and its fold of the presence log. The machine's guards ask them and its actions carry them out:
 *
 * - **Rate**: each source IP has a bucket of logins and one of pings and logouts; an empty bucket drops the datagram.
 * - **Source**: a login's endpoint must be on the IP the datagram came from; with `natSource` the server serves the
 *   observed source instead (an imstate peer's whole source endpoint, since it sends from the socket it listens on;
 *   a classic peer's source IP with the port it named, since it sends from a throw-away socket).
 * - **Names**: a live session's name is never taken from another host: refused with who holds it and when to retry.
 *   From the same host a newer login replaces the older (a peer that crashed logs in again at once).
 * - **Sessions per IP**: online plus pending, at most `maxSessionsPerAddress`.
 * - **Return routability**: a new login is *pending*: it gets one `Accept` no larger than the login, and nothing
 *   else, until its host proves it asked (see ./server.machine.ts).
 * - **Secrets**: an imstate session's `ping` and `logout` must carry the secret its `Accept` gave it; a session the
 *   server gave no secret (a classic one, or one the log brought after a restart) is trusted from its IP only.
 * @module
 */
import { findUser, decideLogin, type PresenceState, type User } from '../src/presence/index.js';
import { formatEndpoint, type AcceptMessage, type Message } from '../src/protocol/index.js';
import { formatMessage } from '../src/protocol/text.js';
import { refusalForms, sameSecret, type PendingLogin, type Refusal } from '../src/trust/index.js';
import type { DatagramEventOf } from './commands.js';
import { userFromLogin } from './server.wire.js';
import { addressOf, livenessBoundS, secretOf, sessionsOn, timeOf, type TrustState } from './server.trust.js';

/** What the server's options say about time, as the login rules need them. */
export interface Timing {
  readonly heartbeatMs: number;
  readonly missedHeartbeats: number;
}

/** What a login gets. */
export type LoginVerdict =
  | { readonly kind: 'login-rate' }
  | { readonly kind: 'source-mismatch' }
  | { readonly kind: 'again-online'; readonly user: User }
  | { readonly kind: 'again-pending'; readonly pending: PendingLogin }
  | { readonly kind: 'name-taken'; readonly holder: User }
  | { readonly kind: 'too-many-sessions' }
  | { readonly kind: 'pending-full' }
  | { readonly kind: 'pending'; readonly user: User };

type Login = DatagramEventOf<'login'>;

/**
 * The user a login describes, served where the rules say: its own endpoint when that is on the datagram's source IP;
 * with `natSource`, the observed source; otherwise undefined (refused).
 */
export const loginUser = (trust: TrustState, event: Login): User | undefined => {
  const user = userFromLogin(event.message);
  const source = event.from;
  if (event.message.endpoint.address === source.address) return user;
  if (!trust.options.natSource) return undefined;
  const endpoint = formatEndpoint(user.imstate ? source : { ...source, port: event.message.endpoint.port });
  return { ...user, endpoint, session: user.imstate ? user.session : endpoint };
};

/** Judges a login (changes nothing). */
export const judgeLogin = (trust: TrustState, presence: PresenceState, timing: Timing, event: Login): LoginVerdict => {
  if (!trust.logins.has(event.from.address, timeOf(trust, timing.heartbeatMs, event))) return { kind: 'login-rate' };
  const user = loginUser(trust, event);
  if (user === undefined) return { kind: 'source-mismatch' };
  const online = findUser(presence, user.name);
  if (online !== undefined && decideLogin(presence, user).length === 0) return { kind: 'again-online', user: online };
  const pending = trust.pending.find(user.name, user.session);
  if (pending !== undefined && pending.endpoint === user.endpoint) return { kind: 'again-pending', pending };
  const address = addressOf(user.endpoint);
  const sameHost = online !== undefined && addressOf(online.endpoint) === address;
  if (online !== undefined && !sameHost) return { kind: 'name-taken', holder: online };
  if (!sameHost && sessionsOn(trust, address) >= trust.options.maxSessionsPerAddress) return { kind: 'too-many-sessions' };
  if (trust.pending.room(address) === 'pending-full') return { kind: 'pending-full' };
  return { kind: 'pending', user };
};

/** The size in bytes of a message as the codec writes it (UTF-16LE: two bytes a code unit); 0 if unwritable. */
export const sizeOf = (message: Message): number => {
  const text = formatMessage(message);
  return text.ok ? text.value.length * 2 : 0;
};

/**
 * The `Accept` for a login of `size` bytes: the fullest form no larger than the login. To an imstate peer
 * `Accept,<tcpPort>,imstate=1,hb=<ms>,seq=<n>,secret=<s>`, else the same without `seq`, else the classic
 * `Accept,<tcpPort>` (the login is then served as a classic one: no extension is promised that the answer did not
 * carry). To a classic peer always the classic form, which is smaller than any login.
 */
export const acceptFor = (
  tcpPort: number,
  user: User,
  secret: string | undefined,
  timing: Timing,
  seq: number,
  size: number,
): AcceptMessage => {
  const classic: AcceptMessage = { type: 'Accept', tcpPort, extensions: [] };
  if (!user.imstate || secret === undefined) return classic;
  const full: AcceptMessage = { ...classic, imstate: true, heartbeatMs: timing.heartbeatMs, seq, secret };
  const { seq: _seq, ...short } = full;
  return [full, short].find((accept) => sizeOf(accept) <= size) ?? classic;
};

/** The refusal a verdict means, for a `Refuse` (only ever sent to an imstate login). */
export const refusalOf = (verdict: LoginVerdict, timing: Timing): Refusal | undefined => {
  switch (verdict.kind) {
    case 'name-taken':
      return {
        code: 'name-taken',
        holder: addressOf(verdict.holder.endpoint),
        // A classic holder never expires: no time would be true.
        ...(verdict.holder.imstate ? { retryAfterS: livenessBoundS(timing.heartbeatMs, timing.missedHeartbeats) } : {}),
      };
    case 'too-many-sessions':
      return { code: 'too-many-sessions' };
    case 'pending-full':
      return { code: 'busy', retryAfterS: Math.ceil(timing.heartbeatMs / 1000) };
    case 'source-mismatch':
      return { code: 'source-mismatch' };
    default:
      return undefined;
  }
};

/** The `Refuse` text for `refusal` in the longest form no larger than a login of `size` bytes (`Refuse,` included). */
export const refuseText = (refusal: Refusal, size: number): string | undefined =>
  refusalForms(refusal).find((form) => (`Refuse,${form}`.length * 2) <= size);

/** A sentence for the log saying why a login was refused. */
export const verdictText = (verdict: LoginVerdict, event: Login): string => {
  const who = `${event.message.name}'s login from ${formatEndpoint(event.from)}`;
  switch (verdict.kind) {
    case 'login-rate':
      return `dropped ${who}: too many logins from that address (its token bucket is empty)`;
    case 'source-mismatch':
      return `refused ${who}: it names ${formatEndpoint(event.message.endpoint)}, on another address than it came from`;
    case 'name-taken':
      return `refused ${who}: ${verdict.holder.name} is online from ${verdict.holder.endpoint}, another host`;
    case 'too-many-sessions':
      return `refused ${who}: that host has as many sessions as one host may (online and pending)`;
    case 'pending-full':
      return `refused ${who}: too many logins are waiting to prove they asked`;
    default:
      return `${who}: ${verdict.kind}`;
  }
};

/** What a `ping` is. */
export type PingVerdict = 'ping-rate' | 'proving' | 'known' | 'bad-secret' | 'unknown';

/** Judges a ping (changes nothing). */
export const judgePing = (trust: TrustState, presence: PresenceState, heartbeatMs: number, event: DatagramEventOf<'ping'>): PingVerdict => {
  if (!trust.pings.has(event.from.address, timeOf(trust, heartbeatMs, event))) return 'ping-rate';
  const { name, session, secret } = event.message;
  const pending = trust.pending.find(name, session);
  if (pending?.secret !== undefined && sameSecret(pending.secret, secret)) return 'proving';
  const online = findUser(presence, name);
  if (online === undefined || online.session !== session) return 'unknown';
  const expected = secretOf(trust, name, session);
  if (expected !== undefined) return sameSecret(expected, secret) ? 'known' : 'bad-secret';
  return event.from.address === addressOf(online.endpoint) ? 'known' : 'bad-secret';
};

/** What a `logout` is. */
export type LogoutVerdict = 'ping-rate' | 'trusted' | 'bad-secret' | 'logout-source';

/**
 * Judges a logout (changes nothing). A logout of the online session must carry its secret when the server gave it
 * one, and otherwise come from its IP (a classic logout is honoured only from the session's IP). A logout that is
 * not about the online session changes nothing and is answered only when it comes from the endpoint's own IP.
 */
export const judgeLogout = (trust: TrustState, presence: PresenceState, heartbeatMs: number, event: DatagramEventOf<'logout'>): LogoutVerdict => {
  const from = event.from.address;
  if (!trust.pings.has(from, timeOf(trust, heartbeatMs, event))) return 'ping-rate';
  const { name, session, secret, endpoint } = event.message;
  const online = findUser(presence, name);
  if (online !== undefined && (session === undefined || session === online.session)) {
    const expected = secretOf(trust, name, online.session);
    if (expected !== undefined) return session !== undefined && sameSecret(expected, secret) ? 'trusted' : 'bad-secret';
    return from === addressOf(online.endpoint) ? 'trusted' : 'logout-source';
  }
  return from === endpoint.address ? 'trusted' : 'logout-source';
};

/**
 * The list extension: a second BinaryWriter string that an imstate server writes after the classic list (the
 * original client reads one string and closes, so it never sees it). It says what the classic list cannot, in the
 * classic list's order, without repeating it:
 *
 * ```text
 * seq=<n>[,hb=<ms>]            header: comma-separated key=value fields; keys it does not know are ignored
 * \n                           one line feed
 * 1s-alice,0,1s-bob            one entry per classic entry, comma-separated: "1" (imstate) or "0" (classic), then
 *                              the session id; empty after a "0" when the session is the entry's endpoint
 * ```
 *
 * An empty list is the header alone (`seq=0` with no line feed). Session ids never hold `,` or line breaks, so no
 * escaping is needed, and a user costs its session's length plus two bytes.
 * @module
 */
import { validateId } from './field.js';
import { type CodecLimits, resolveLimits } from './limits.js';
import { fail, ok, quote, within, type Result } from './result.js';

/** One entry of the list extension: what goes with the classic list's entry at the same position. */
export interface ListExtensionUser {
  /** The user's session id (an imstate peer's `session=`); absent when it is the entry's endpoint (a classic peer). */
  readonly session?: string;
  /** Whether the user's peer understands imstate's extensions. */
  readonly imstate: boolean;
}

/** What follows the classic list for an imstate peer. */
export interface ListExtension {
  /** The presence log's sequence number the list reflects. */
  readonly seq: number;
  /** One entry per classic list entry, in the classic list's order. */
  readonly users: readonly ListExtensionUser[];
  /** How often the server expects a `ping`, when it wants heartbeats. */
  readonly heartbeatMs?: number;
}

/** The entry for a user: the flag, then the session unless it is the endpoint of a classic user. */
export const formatListExtensionUser = (user: ListExtensionUser): string =>
  (user.imstate ? '1' : '0') + (user.session ?? '');

/** The header line: `seq=<n>`, then `hb=<ms>` when given. */
export const formatListExtensionHeader = (seq: number, heartbeatMs?: number): string =>
  heartbeatMs === undefined ? `seq=${seq}` : `seq=${seq},hb=${heartbeatMs}`;

/**
 * Writes the list extension. Fails with `bad-field` for a session the form cannot carry (empty, or with `,` or a
 * line break: none that came through the codec), or an imstate user without a session.
 */
export function formatListExtension(x: ListExtension): Result<string> {
  const entries: string[] = [];
  for (const [i, user] of x.users.entries()) {
    if (user.session !== undefined) {
      const session = within(`list extension user ${i + 1}`, validateId(user.session, 'session'));
      if (!session.ok) return session;
    } else if (user.imstate) return fail('bad-field', `list extension user ${i + 1} is imstate but has no session`);
    entries.push(formatListExtensionUser(user));
  }
  const header = formatListExtensionHeader(x.seq, x.heartbeatMs);
  return ok(entries.length === 0 ? header : `${header}\n${entries.join(',')}`);
}

const wholeNumber = /^(0|[1-9]\d{0,15})$/;

const count = (text: string | undefined): number | undefined => {
  if (text === undefined || !wholeNumber.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
};

const parseEntry = (entry: string): Result<ListExtensionUser> => {
  const flag = entry.charAt(0);
  if (flag !== '0' && flag !== '1') return fail('bad-list', `${quote(entry)} does not start with 0 or 1`);
  const imstate = flag === '1';
  if (entry.length === 1) {
    return imstate ? fail('bad-field', 'an imstate user has no session') : ok({ imstate });
  }
  const session = validateId(entry.slice(1), 'session');
  return session.ok ? ok({ session: session.value, imstate }) : session;
};

/**
 * Reads the list extension. Never throws: fails with `bad-list` (no whole-number `seq`, a bad `hb`, an entry not
 * starting with `0` or `1`), `too-many-entries` (over `maxListEntries`, found before the entries are split), or the
 * `bad-field` of the first bad session, numbered from 1. Header keys it does not know are ignored.
 */
export function parseListExtension(text: string, limits?: Partial<CodecLimits>): Result<ListExtension> {
  const { maxListEntries } = resolveLimits(limits);
  const lineFeed = text.indexOf('\n');
  const header = lineFeed < 0 ? text : text.slice(0, lineFeed);
  const fields = new Map<string, string>();
  for (const field of header.split(',')) {
    const equals = field.indexOf('=');
    if (equals > 0 && !fields.has(field.slice(0, equals))) fields.set(field.slice(0, equals), field.slice(equals + 1));
  }
  const seq = count(fields.get('seq'));
  if (seq === undefined) return fail('bad-list', 'the list extension has no whole-number "seq"');
  const hb = fields.get('hb');
  const heartbeatMs = count(hb);
  if (hb !== undefined && !(heartbeatMs !== undefined && heartbeatMs > 0)) {
    return fail('bad-list', 'the list extension\'s "hb" is not a positive whole number');
  }
  const users: ListExtensionUser[] = [];
  if (lineFeed >= 0) {
    // Counted before splitting, so that a huge list is refused before it costs an array of its entries.
    let commas = 0;
    for (let at = text.indexOf(',', lineFeed); at >= 0 && commas < maxListEntries; at = text.indexOf(',', at + 1)) commas++;
    if (commas >= maxListEntries) {
      return fail('too-many-entries', `the list extension has more than ${maxListEntries} users`);
    }
    let from = lineFeed + 1;
    for (let i = 1; from <= text.length; i++) {
      const comma = text.indexOf(',', from);
      const end = comma < 0 ? text.length : comma;
      const entry = within(`list extension user ${i}`, parseEntry(text.slice(from, end)));
      if (!entry.ok) return entry;
      users.push(entry.value);
      from = end + 1;
    }
  }
  return ok(heartbeatMs === undefined ? { seq, users } : { seq, users, heartbeatMs });
}

/**
 * The list extension: a second BinaryWriter string that an imstate server writes after the classic list, for
 * imstate peers only (the original client reads one string and closes). It is JSON, so that it can grow.
 * @module
 */
import { validateId } from './field.js';
import { type CodecLimits, resolveLimits } from './limits.js';
import { validateName } from './name.js';
import { fail, ok, within, type Result } from './result.js';

/** One online user as the list extension describes it. */
export interface ListExtensionUser {
  readonly name: string;
  /** The user's session id (an imstate peer's `session=`, or the classic peer's endpoint). */
  readonly session: string;
  /** Whether the user's peer understands imstate's extensions. */
  readonly imstate: boolean;
}

/** What follows the classic list for an imstate peer. */
export interface ListExtension {
  /** The presence log's sequence number the list reflects. */
  readonly seq: number;
  /** Every user of the classic list, with what the classic list cannot say. */
  readonly users: readonly ListExtensionUser[];
  /** How often the server expects a `ping`, when it wants heartbeats. */
  readonly heartbeatMs?: number;
}

/** Writes the list extension as JSON. Unknown keys are never written, so the text stays small. */
export function formatListExtension(x: ListExtension): string {
  const users = x.users.map(({ name, session, imstate }) => ({ name, session, imstate }));
  return JSON.stringify(x.heartbeatMs === undefined ? { seq: x.seq, users } : { seq: x.seq, users, heartbeatMs: x.heartbeatMs });
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

const parseUser = (value: unknown, limits: CodecLimits): Result<ListExtensionUser> => {
  if (!isRecord(value)) return fail('bad-list', 'it is not an object');
  const { name, session, imstate } = value;
  if (typeof name !== 'string') return fail('bad-name', 'it has no name');
  const checkedName = validateName(name, limits);
  if (!checkedName.ok) return checkedName;
  if (typeof session !== 'string') return fail('bad-field', 'it has no session');
  const checkedSession = validateId(session, 'session');
  if (!checkedSession.ok) return checkedSession;
  if (typeof imstate !== 'boolean') return fail('bad-field', '"imstate" is not true or false');
  return ok({ name, session, imstate });
};

/**
 * Reads the list extension. Never throws: fails with `bad-list` (not JSON, or not the right shape),
 * `too-many-entries`, or the `bad-name`/`bad-field` of the first bad user. Keys it does not know are ignored.
 */
export function parseListExtension(text: string, limits?: Partial<CodecLimits>): Result<ListExtension> {
  const resolved = resolveLimits(limits);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('bad-list', 'the list extension is not JSON');
  }
  if (!isRecord(value)) return fail('bad-list', 'the list extension is not a JSON object');
  const { seq, users, heartbeatMs } = value;
  if (!isCount(seq)) return fail('bad-list', 'the list extension has no whole-number "seq"');
  if (heartbeatMs !== undefined && !(isCount(heartbeatMs) && heartbeatMs > 0)) {
    return fail('bad-list', 'the list extension\'s "heartbeatMs" is not a positive whole number');
  }
  if (!Array.isArray(users)) return fail('bad-list', 'the list extension has no "users" array');
  if (users.length > resolved.maxListEntries) {
    return fail('too-many-entries', `the list extension has ${users.length} users; the limit is ${resolved.maxListEntries}`);
  }
  const parsed: ListExtensionUser[] = [];
  for (const [i, user] of users.entries()) {
    const checked = within(`list extension user ${i + 1}`, parseUser(user, resolved));
    if (!checked.ok) return checked;
    parsed.push(checked.value);
  }
  return ok(heartbeatMs === undefined ? { seq, users: parsed } : { seq, users: parsed, heartbeatMs });
}

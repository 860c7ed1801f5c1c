/**
 * Snapshots as the classic TCP list (`name1,ep1;name2,ep2;...;end`) and back, so that the original client can read
 * our server's list and our replica can start from the original server's list.
 *
 * A classic list carries names and endpoints only: read back, it is a snapshot at sequence number 0 whose users are
 * classic (session = endpoint, not imstate). An imstate server also sends the list extension (sequence number,
 * sessions, imstate flags) as a second string; given both, the snapshot comes back whole.
 * @module
 */
import { formatEndpoint, parseEndpoint } from '../protocol/endpoint.js';
import type { CodecLimits } from '../protocol/limits.js';
import type { ListExtension, ListExtensionUser } from '../protocol/list-extension.js';
import { validateName } from '../protocol/name.js';
import { fail, ok, within, type Result } from '../protocol/result.js';
import { parseUserList } from '../protocol/user-list.js';
import type { Snapshot, User } from './types.js';

/**
 * The classic list entry of a user, `name,endpoint;`, checked: fails with the `bad-name`, `bad-endpoint` or
 * `bad-port` of a user the wire cannot carry (none that came through the codec).
 */
export const classicListEntry = (user: User): Result<string> => {
  const name = validateName(user.name);
  if (!name.ok) return name;
  const endpoint = parseEndpoint(user.endpoint);
  return endpoint.ok ? ok(`${user.name},${formatEndpoint(endpoint.value)};`) : endpoint;
};

/**
 * The snapshot as the classic list text, in the snapshot's order (`end` alone when nobody is online). Fails, naming
 * the entry (from 1), when a user cannot be carried: a list with a user left out would be a wrong list.
 */
export const snapshotToClassicList = (snapshot: Snapshot): Result<string> => {
  const entries: string[] = [];
  for (const [i, user] of snapshot.users.entries()) {
    const entry = within(`user list entry ${i + 1}`, classicListEntry(user));
    if (!entry.ok) return entry;
    entries.push(entry.value);
  }
  return ok(entries.join('') + 'end');
};

/** What the list extension says of a user: its session (left out when it is a classic user's endpoint) and flag. */
export const listExtensionUser = (user: User): ListExtensionUser =>
  !user.imstate && user.session === user.endpoint ? { imstate: false } : { session: user.session, imstate: user.imstate };

/** The list extension that goes with {@link snapshotToClassicList}: sequence number, sessions and imstate flags. */
export const snapshotToListExtension = (snapshot: Snapshot): ListExtension => ({
  seq: snapshot.seq,
  users: snapshot.users.map(listExtensionUser),
});

/** Options of {@link classicListToSnapshot}. */
export interface ClassicListOptions {
  /** The list extension an imstate server sent after the list: gives the sequence number, sessions and flags. */
  readonly extension?: ListExtension;
  /** Codec limits for reading the list (default: the codec's). */
  readonly limits?: Partial<CodecLimits>;
}

/**
 * Reads a classic list text as a snapshot: sequence number 0, every user classic (session = its endpoint, imstate
 * false), unless `options.extension` says otherwise for the entry at the same position. A name listed twice (the
 * original server allows it) appears once, with its last entry, where it first appeared. Never throws: a malformed
 * list is the codec's error; an extension whose number of entries differs from the list's is `bad-list`.
 */
export const classicListToSnapshot = (text: string, options: ClassicListOptions = {}): Result<Snapshot> => {
  const parsed = parseUserList(text, options.limits);
  if (!parsed.ok) return parsed;
  const extra = options.extension?.users;
  if (extra !== undefined && extra.length !== parsed.value.length) {
    return fail('bad-list', `the list extension has ${extra.length} entries for a list of ${parsed.value.length}`);
  }
  const users = new Map<string, User>();
  for (const [i, entry] of parsed.value.entries()) {
    const endpoint = formatEndpoint(entry.endpoint);
    const more = extra?.[i];
    users.set(entry.name, {
      name: entry.name,
      endpoint,
      session: more?.session ?? endpoint,
      imstate: more?.imstate ?? false,
    });
  }
  return ok({ seq: options.extension?.seq ?? 0, users: [...users.values()] });
};

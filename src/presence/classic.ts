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
import type { ListExtension } from '../protocol/list-extension.js';
import { validateName } from '../protocol/name.js';
import { ok, type Result } from '../protocol/result.js';
import { formatUserList, parseUserList, type ListEntry } from '../protocol/user-list.js';
import type { Snapshot, User } from './types.js';

/**
 * The snapshot as the classic list text, in the snapshot's order (`end` alone when nobody is online). Total: a user
 * whose name or endpoint the wire cannot carry (none that came through the codec) is left out rather than breaking
 * the list for everyone.
 */
export const snapshotToClassicList = (snapshot: Snapshot): string => {
  const entries: ListEntry[] = [];
  for (const user of snapshot.users) {
    const endpoint = parseEndpoint(user.endpoint);
    if (endpoint.ok && validateName(user.name).ok) entries.push({ name: user.name, endpoint: endpoint.value });
  }
  // No entry limit when writing: the classic client has none; the limit guards our reader.
  const text = formatUserList(entries, { maxListEntries: entries.length });
  return text.ok ? text.value : 'end';
};

/** The list extension that goes with {@link snapshotToClassicList}: sequence number, sessions and imstate flags. */
export const snapshotToListExtension = (snapshot: Snapshot): ListExtension => ({
  seq: snapshot.seq,
  users: snapshot.users.map(({ name, session, imstate }) => ({ name, session, imstate })),
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
 * false), unless `options.extension` says otherwise for a name. A name listed twice (the original server allows it)
 * appears once, with its last entry, where it first appeared. Never throws: a malformed list is the codec's error.
 */
export const classicListToSnapshot = (text: string, options: ClassicListOptions = {}): Result<Snapshot> => {
  const parsed = parseUserList(text, options.limits);
  if (!parsed.ok) return parsed;
  const extra = new Map(options.extension?.users.map((user) => [user.name, user]));
  const users = new Map<string, User>();
  for (const entry of parsed.value) {
    const endpoint = formatEndpoint(entry.endpoint);
    const more = extra.get(entry.name);
    users.set(entry.name, {
      name: entry.name,
      endpoint,
      session: more?.session ?? endpoint,
      imstate: more?.imstate ?? false,
    });
  }
  return ok({ seq: options.extension?.seq ?? 0, users: [...users.values()] });
};

/**
 * Stream entries and list values as Redis returns them, decoded totally: an entry that does not hold a presence
 * change still keeps its sequence number (as a leave that changes nothing), so readers stay gap-free, and is reported.
 * @module
 */
import type { PresenceChange, PresenceEvent, User } from '../../presence/types.js';

/** One decoded stream entry: the event, the server that appended it, and why it was unreadable, if it was. */
export interface DecodedEntry {
  readonly event: PresenceEvent;
  readonly owner: string;
  readonly problem?: string;
}

/** The raw shape ioredis gives for XRANGE/XREAD entries: `[id, [field, value, …]]`. */
export type RawEntry = [id: string, fields: string[]];

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** A user value from the `users` hash (or inside a `joined` change), or undefined when it is not one. */
export const decodeUser = (value: unknown): User | undefined => {
  const parsed = typeof value === 'string' ? parseJson(value) : value;
  if (!isRecord(parsed)) return undefined;
  const { name, endpoint, session, imstate } = parsed;
  if (typeof name !== 'string' || typeof endpoint !== 'string' || typeof session !== 'string' || typeof imstate !== 'boolean') return undefined;
  return { name, endpoint, session, imstate };
};

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

const REASONS = new Set(['logout', 'expired', 'replaced']);

/** A change as appended (the JSON in field `e`), or undefined. */
export const decodeChange = (text: string): PresenceChange | undefined => {
  const parsed = parseJson(text);
  if (!isRecord(parsed)) return undefined;
  if (parsed['type'] === 'joined') {
    const user = decodeUser(parsed['user']);
    return user === undefined ? undefined : { type: 'joined', user };
  }
  const { type, name, session, reason } = parsed;
  if (type !== 'left' || typeof name !== 'string' || typeof session !== 'string' || typeof reason !== 'string' || !REASONS.has(reason)) return undefined;
  return { type: 'left', name, session, reason: reason as 'logout' | 'expired' | 'replaced' };
};

/** The sequence number an entry id `<seq>-0` carries, or NaN. */
export const seqOfId = (id: string): number => {
  const match = /^(\d+)-0$/.exec(id);
  return match === null ? Number.NaN : Number(match[1]);
};

/** Decodes one stream entry; undefined only for an id that is no sequence number (nothing the log writes). */
export const decodeEntry = ([id, fields]: RawEntry): DecodedEntry | undefined => {
  const seq = seqOfId(id);
  if (!Number.isSafeInteger(seq)) return undefined;
  const field = (name: string): string | undefined => {
    for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
    return undefined;
  };
  const owner = field('o') ?? '';
  const change = decodeChange(field('e') ?? '');
  if (change === undefined) {
    return { event: { type: 'left', seq, name: '', session: '', reason: 'logout' }, owner, problem: `the entry ${id} holds no presence change` };
  }
  return { event: { ...change, seq } as PresenceEvent, owner };
};

/** What the snapshot script returns: the log's epoch, its last seq, and the `users` and `owners` hashes, flattened. */
export type RawSnapshot = [epoch: string, seq: number, users: string[], owners: string[], ...rest: unknown[]];

/** A decoded snapshot reply: unreadable users are left out and named in `problems`. */
export interface DecodedSnapshot {
  readonly epoch: string;
  readonly seq: number;
  readonly users: User[];
  readonly owners: Map<string, string>;
  readonly problems: string[];
}

/** Decodes the snapshot script's reply. */
export const decodeSnapshot = ([epoch, seq, flatUsers, flatOwners]: RawSnapshot): DecodedSnapshot => {
  const users: User[] = [];
  const problems: string[] = [];
  for (let i = 1; i < flatUsers.length; i += 2) {
    const user = decodeUser(flatUsers[i]);
    if (user !== undefined) users.push(user);
    else problems.push(`the shared list holds an unreadable entry for "${flatUsers[i - 1]}"`);
  }
  const owners = new Map<string, string>();
  for (let i = 0; i + 1 < flatOwners.length; i += 2) owners.set(flatOwners[i] ?? '', flatOwners[i + 1] ?? '');
  return { epoch, seq, users, owners, problems };
};

/**
 * The classic user list, `name1,ep1;name2,ep2;...;end` (`end` alone when nobody is online): what the server writes
 * over TCP as one BinaryWriter string after an `Accept`.
 * @module
 */
import { formatEndpoint, parseEndpoint, validateEndpoint } from './endpoint.js';
import { type CodecLimits, resolveLimits } from './limits.js';
import type { Endpoint } from './message.js';
import { validateName } from './name.js';
import { fail, ok, quote, within, type Result } from './result.js';

/** One user of the list: a name and the UDP endpoint its peer receives on. */
export interface ListEntry {
  readonly name: string;
  readonly endpoint: Endpoint;
}

const terminator = 'end';

/** Counts `;` but stops once past `limit`, so a huge list is refused before it is split. */
const countSeparators = (text: string, limit: number): number => {
  let count = 0;
  for (let at = text.indexOf(';'); at >= 0 && count <= limit; at = text.indexOf(';', at + 1)) count++;
  return count;
};

const parseEntry = (entry: string, limits: CodecLimits): Result<ListEntry> => {
  const comma = entry.indexOf(',');
  if (comma < 0) return fail('bad-list', `${quote(entry)} is not name,endpoint`);
  const name = validateName(entry.slice(0, comma), limits);
  if (!name.ok) return name;
  const endpoint = parseEndpoint(entry.slice(comma + 1));
  return endpoint.ok ? ok({ name: name.value, endpoint: endpoint.value }) : endpoint;
};

/**
 * Reads a user list. Never throws: fails with `empty`, `bad-list` (not ending in `;end`, an entry without a comma),
 * `too-many-entries` (over `maxListEntries`), or the name/endpoint reason of the first bad entry, numbered from 1.
 * Duplicate names are kept: the original server allows them, and deciding about them is presence's business.
 */
export function parseUserList(text: string, limits?: Partial<CodecLimits>): Result<ListEntry[]> {
  const resolved = resolveLimits(limits);
  if (text.length === 0) return fail('empty', 'the user list is empty (even an empty list says "end")');
  const count = countSeparators(text, resolved.maxListEntries);
  if (count > resolved.maxListEntries) {
    return fail('too-many-entries', `the user list has more than ${resolved.maxListEntries} entries`);
  }
  const parts = text.split(';');
  if (parts[parts.length - 1] !== terminator) {
    return fail('bad-list', `the user list does not end with ${parts.length > 1 ? '";end"' : '"end"'}`);
  }
  const entries: ListEntry[] = [];
  for (let i = 0; i < parts.length - 1; i++) {
    const entry = within(`user list entry ${i + 1}`, parseEntry(parts[i] ?? '', resolved));
    if (!entry.ok) return entry;
    entries.push(entry.value);
  }
  return ok(entries);
}

/**
 * Writes a user list, `end` alone when it is empty. Fails with `too-many-entries`, or the `bad-name`,
 * `bad-endpoint` or `bad-port` of the first bad entry (numbered from 1).
 */
export function formatUserList(entries: readonly ListEntry[], limits?: Partial<CodecLimits>): Result<string> {
  const resolved = resolveLimits(limits);
  if (entries.length > resolved.maxListEntries) {
    return fail('too-many-entries', `the user list has ${entries.length} entries; the limit is ${resolved.maxListEntries}`);
  }
  let text = '';
  for (const [i, entry] of entries.entries()) {
    const name = within(`user list entry ${i + 1}`, validateName(entry.name, resolved));
    if (!name.ok) return name;
    const endpoint = within(`user list entry ${i + 1}`, validateEndpoint(entry.endpoint));
    if (!endpoint.ok) return endpoint;
    text += `${name.value},${formatEndpoint(endpoint.value)};`;
  }
  return ok(text + terminator);
}

/**
 * The persistent name trie on examples: sharing between versions, pruning to empty, stale removals that copy
 * nothing, and bulk building that agrees with one-by-one insertion.
 */
import { describe, expect, it } from 'vitest';
import { hashName, nameGet, nameIndexOf, nameList, nameRemove, nameUpsert, type NameIndex } from '../../src/presence/name-index.js';
import type { User } from '../../src/presence/types.js';

const user = (name: string, session = 's'): User => ({ name, endpoint: '127.0.0.1:1', session, imstate: true });
const upsertAll = (users: readonly User[]): NameIndex => users.reduce<NameIndex>((index, u) => nameUpsert(index, u).index, undefined);

describe('name index', () => {
  it('hashes with FNV-1a (32-bit), so leaf placement is stable across runs', () => {
    expect(hashName('')).toBe(0x811c9dc5);
    expect(hashName('a')).toBe(0xe40c292c);
  });

  it('leaves the old version untouched and shares what an update did not touch', () => {
    const many = Array.from({ length: 200 }, (_, i) => user(`user${i}`));
    const before = upsertAll(many);
    const { index: after, added } = nameUpsert(before, user('newcomer'));
    expect(added).toBe(true);
    expect(nameGet(before, 'newcomer')).toBeUndefined();
    expect(nameGet(after, 'newcomer')?.name).toBe('newcomer');
    const shared = before!.slots.filter((slot, i) => slot !== undefined && slot === after!.slots[i]).length;
    expect(shared).toBeGreaterThan(0);
  });

  it('replaces a user of the same name without counting it as added', () => {
    const index = upsertAll([user('a', 'one')]);
    const { index: next, added } = nameUpsert(index, user('a', 'two'));
    expect(added).toBe(false);
    expect(nameGet(next, 'a')?.session).toBe('two');
  });

  it('returns the very same index for a removal that does not apply', () => {
    const index = upsertAll([user('a', 'one')]);
    expect(nameRemove(index, 'a', 'other')).toBe(index);
    expect(nameRemove(index, 'b')).toBe(index);
    expect(nameRemove(undefined, 'b')).toBeUndefined();
  });

  it('prunes nodes left empty, down to the empty index', () => {
    const names = ['a', 'b', 'user298', 'user1200', '__proto__'];
    let index = upsertAll(names.map((name) => user(name)));
    for (const name of names) index = nameRemove(index, name);
    expect(index).toBeUndefined();
    expect(nameList(index)).toEqual([]);
  });

  it('builds in bulk the same index as one insertion at a time, last duplicate winning', () => {
    const users = [...Array.from({ length: 500 }, (_, i) => user(`user${i}`)), user('user7', 'again')];
    const bulk = nameIndexOf(users);
    expect(bulk.size).toBe(500);
    expect(nameList(bulk.index)).toEqual(nameList(upsertAll(users)));
    expect(nameGet(bulk.index, 'user7')?.session).toBe('again');
    expect(nameIndexOf([])).toEqual({ index: undefined, size: 0 });
  });
});

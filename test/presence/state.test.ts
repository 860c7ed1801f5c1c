/**
 * The reducer on examples: joins, replacements, stale leaves, the sequence guard, names that share a hash leaf or are
 * `Object.prototype` keys, immutability, and snapshots.
 */
import { describe, expect, it } from 'vitest';
import { hashName } from '../../src/presence/name-index.js';
import {
  applyEvent,
  applyEvents,
  emptyPresence,
  findUser,
  fromSnapshot,
  listUsers,
  presenceSeq,
  presenceSize,
  removeUser,
  toSnapshot,
  upsertUser,
} from '../../src/presence/state.js';
import type { PresenceEvent, User } from '../../src/presence/types.js';
import { namesOf } from './helpers.js';

const user = (name: string, session = `s-${name}`, endpoint = '127.0.0.1:5001'): User => ({ name, endpoint, session, imstate: true });
const joined = (seq: number, u: User): PresenceEvent => ({ type: 'joined', seq, user: u });
const left = (seq: number, name: string, session: string, reason: 'logout' | 'expired' | 'replaced' = 'logout'): PresenceEvent => ({
  type: 'left',
  seq,
  name,
  session,
  reason,
});

describe('applyEvent', () => {
  it('starts empty at sequence number 0', () => {
    expect(presenceSeq(emptyPresence())).toBe(0);
    expect(presenceSize(emptyPresence())).toBe(0);
    expect(listUsers(emptyPresence())).toEqual([]);
  });

  it('adds a joined user and removes it when the same session leaves', () => {
    const alice = user('alice');
    const one = applyEvent(emptyPresence(), joined(1, alice));
    expect(findUser(one, 'alice')).toEqual(alice);
    expect(presenceSeq(one)).toBe(1);
    const two = applyEvent(one, left(2, 'alice', alice.session));
    expect(findUser(two, 'alice')).toBeUndefined();
    expect(presenceSize(two)).toBe(0);
    expect(presenceSeq(two)).toBe(2);
  });

  it('ignores a stale leave (another session of the name) but still advances the sequence number', () => {
    const state = applyEvents(emptyPresence(), [joined(1, user('alice', 'new')), left(2, 'alice', 'old', 'expired')]);
    expect(findUser(state, 'alice')?.session).toBe('new');
    expect(presenceSeq(state)).toBe(2);
  });

  it('keeps one user per name: a join under a name already online replaces it, even without a leave first', () => {
    const state = applyEvents(emptyPresence(), [joined(1, user('bob', 'a')), joined(2, user('bob', 'b', '[::1]:7'))]);
    expect(presenceSize(state)).toBe(1);
    expect(findUser(state, 'bob')).toEqual(user('bob', 'b', '[::1]:7'));
  });

  it('ignores events at or below its sequence number, returning the very same state', () => {
    const state = applyEvents(emptyPresence(), [joined(1, user('a')), joined(2, user('b'))]);
    expect(applyEvent(state, joined(2, user('c')))).toBe(state);
    expect(applyEvent(state, left(1, 'a', 's-a'))).toBe(state);
    expect(applyEvents(state, [joined(1, user('x')), joined(2, user('y'))])).toBe(state);
  });

  it('skips the already-applied part of a batch and applies the rest', () => {
    const state = applyEvents(emptyPresence(), [joined(1, user('a'))]);
    const next = applyEvents(state, [joined(1, user('x')), joined(2, user('b')), joined(2, user('y'))]);
    expect(namesOf(listUsers(next)).sort()).toEqual(['a', 'b']);
  });

  it('treats __proto__, constructor and toString as ordinary names', () => {
    const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
    const state = applyEvents(
      emptyPresence(),
      names.map((name, i) => joined(i + 1, user(name))),
    );
    expect(namesOf(listUsers(state)).sort()).toEqual([...names].sort());
    for (const name of names) expect(findUser(state, name)?.name).toBe(name);
    expect(findUser(state, 'valueOf')).toBeUndefined();
    const gone = applyEvent(state, left(5, '__proto__', 's-__proto__'));
    expect(findUser(gone, '__proto__')).toBeUndefined();
    expect(presenceSize(gone)).toBe(3);
  });

  it('keeps names that share a hash leaf apart', () => {
    expect(hashName('user298') & 0x7fff).toBe(hashName('user1200') & 0x7fff);
    const state = applyEvents(emptyPresence(), [joined(1, user('user298')), joined(2, user('user1200'))]);
    expect(findUser(state, 'user298')?.name).toBe('user298');
    expect(findUser(state, 'user1200')?.name).toBe('user1200');
    const one = applyEvent(state, left(3, 'user1200', 's-user1200'));
    expect(namesOf(listUsers(one))).toEqual(['user298']);
  });

  it('returns frozen states and leaves the previous state as it was', () => {
    const before = applyEvent(emptyPresence(), joined(1, user('a')));
    const after = applyEvent(before, joined(2, user('b')));
    expect(Object.isFrozen(after)).toBe(true);
    expect(namesOf(listUsers(before))).toEqual(['a']);
    expect(presenceSize(after)).toBe(2);
    const listed = listUsers(after)[0]!;
    expect(Object.isFrozen(listed)).toBe(true);
  });
});

describe('classic upsert and remove (no sequence number)', () => {
  it('upserts by name without moving the sequence number, and is a no-op for the same user', () => {
    const state = applyEvent(emptyPresence(), joined(4, user('a')));
    const same = upsertUser(state, user('a'));
    expect(same).toBe(state);
    const moved = upsertUser(state, user('a', 's-a', '127.0.0.1:9'));
    expect(findUser(moved, 'a')?.endpoint).toBe('127.0.0.1:9');
    expect(presenceSeq(moved)).toBe(4);
    expect(presenceSize(moved)).toBe(1);
  });

  it('removes by name whatever the session; removing an unknown name changes nothing', () => {
    const state = applyEvent(emptyPresence(), joined(1, user('a')));
    expect(removeUser(state, 'nobody')).toBe(state);
    expect(presenceSize(removeUser(state, 'a'))).toBe(0);
  });
});

describe('snapshots', () => {
  it('round-trips through toSnapshot and fromSnapshot', () => {
    const state = applyEvents(
      emptyPresence(),
      Array.from({ length: 50 }, (_, i) => joined(i + 1, user(`user${i}`))),
    );
    const snapshot = toSnapshot(state);
    expect(snapshot.seq).toBe(50);
    expect(snapshot.users).toHaveLength(50);
    const back = fromSnapshot(snapshot);
    expect(listUsers(back)).toEqual(listUsers(state));
    expect(presenceSeq(back)).toBe(50);
    expect(Object.isFrozen(back)).toBe(true);
  });

  it('lists the same users in the same order whatever order they came in', () => {
    const users = ['剑痴', 'alice', 'bob', 'carol', 'user298', 'user1200'].map((name) => user(name));
    const forward = fromSnapshot({ seq: 0, users });
    const backward = fromSnapshot({ seq: 0, users: [...users].reverse() });
    expect(listUsers(forward)).toEqual(listUsers(backward));
  });

  it('keeps the later entry when a snapshot names a user twice', () => {
    const state = fromSnapshot({ seq: 3, users: [user('dup', 'one'), user('x'), user('dup', 'two')] });
    expect(presenceSize(state)).toBe(2);
    expect(findUser(state, 'dup')?.session).toBe('two');
  });
});

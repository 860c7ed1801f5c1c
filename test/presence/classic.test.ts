/**
 * Snapshots as the classic TCP list and back, with the original server's own lists (test/protocol/original-wire.json).
 */
import { describe, expect, it } from 'vitest';
import { classicListToSnapshot, snapshotToClassicList, snapshotToListExtension } from '../../src/presence/classic.js';
import { listUsers, fromSnapshot } from '../../src/presence/state.js';
import type { User } from '../../src/presence/types.js';

const classic = (name: string, endpoint: string): User => ({ name, endpoint, session: endpoint, imstate: false });

describe('classicListToSnapshot', () => {
  it("reads the original server's list as a snapshot at sequence number 0 of classic users", () => {
    const read = classicListToSnapshot('alice,127.0.0.1:21511;剑痴,127.0.0.1:21512;end');
    expect(read).toEqual({
      ok: true,
      value: { seq: 0, users: [classic('alice', '127.0.0.1:21511'), classic('剑痴', '127.0.0.1:21512')] },
    });
  });

  it('reads "end" as nobody online', () => {
    expect(classicListToSnapshot('end')).toEqual({ ok: true, value: { seq: 0, users: [] } });
  });

  it("keeps one entry per name from the original server's duplicates (the last one)", () => {
    const read = classicListToSnapshot('dup,127.0.0.1:1;x,127.0.0.1:2;dup,127.0.0.1:3;end');
    expect(read.ok && read.value.users).toEqual([classic('dup', '127.0.0.1:3'), classic('x', '127.0.0.1:2')]);
  });

  it("returns the codec's error for a malformed list, never throwing", () => {
    for (const bad of ['', 'alice,127.0.0.1:1', 'alice;end', 'a,b,c;end', 'alice,999.0.0.1:1;end']) {
      const read = classicListToSnapshot(bad);
      expect(read.ok).toBe(false);
      if (!read.ok) expect(read.error.name).toBe('ProtocolError');
    }
  });

  it('takes the sequence number, sessions and flags from the list extension when it is given', () => {
    const read = classicListToSnapshot('alice,127.0.0.1:1;bob,[::1]:2;end', {
      extension: { seq: 42, users: [{ session: 'sess-a', imstate: true }, { imstate: false }] },
    });
    expect(read).toEqual({
      ok: true,
      value: {
        seq: 42,
        users: [{ name: 'alice', endpoint: '127.0.0.1:1', session: 'sess-a', imstate: true }, classic('bob', '[::1]:2')],
      },
    });
  });

  it('refuses an extension whose entries do not match the list one for one', () => {
    const read = classicListToSnapshot('alice,127.0.0.1:1;bob,[::1]:2;end', {
      extension: { seq: 42, users: [{ session: 'sess-a', imstate: true }] },
    });
    expect(read.ok === false && read.error.code).toBe('bad-list');
  });

  it('honours the codec limits it is given', () => {
    expect(classicListToSnapshot('a,127.0.0.1:1;b,127.0.0.1:2;end', { limits: { maxListEntries: 1 } }).ok).toBe(false);
  });
});

describe('snapshotToClassicList', () => {
  it('writes the list as the original server does, "end" when empty', () => {
    expect(snapshotToClassicList({ seq: 0, users: [] })).toEqual({ ok: true, value: 'end' });
    expect(snapshotToClassicList({ seq: 9, users: [classic('alice', '127.0.0.1:21511')] })).toEqual({ ok: true, value: 'alice,127.0.0.1:21511;end' });
  });

  it('writes IPv6 endpoints as .NET prints them', () => {
    expect(snapshotToClassicList({ seq: 1, users: [classic('v6', '[::1]:5001')] })).toEqual({ ok: true, value: 'v6,[::1]:5001;end' });
  });

  it('refuses a list with a user the wire cannot carry, naming the entry, rather than sending a wrong list', () => {
    const bad = snapshotToClassicList({ seq: 0, users: [classic('ok', '127.0.0.1:1'), classic('bad,name', '127.0.0.1:2')] });
    expect(bad.ok === false && bad.error).toMatchObject({ code: 'bad-name', reason: expect.stringMatching(/^user list entry 2: /) });
    const noPort = snapshotToClassicList({ seq: 0, users: [classic('noport', '127.0.0.1')] });
    expect(noPort.ok === false && noPort.error.code).toBe('bad-endpoint');
  });

  it('writes the list extension with the sequence number, sessions and flags, in list order', () => {
    const users: User[] = [
      { name: 'a', endpoint: '127.0.0.1:1', session: 's', imstate: true },
      classic('b', '127.0.0.1:2'),
      { name: 'c', endpoint: '127.0.0.1:3', session: 'own', imstate: false },
    ];
    expect(snapshotToListExtension({ seq: 7, users })).toEqual({
      seq: 7,
      users: [{ session: 's', imstate: true }, { imstate: false }, { session: 'own', imstate: false }],
    });
  });

  it('round-trips a server list, with the extension, into the same state', () => {
    const state = fromSnapshot({
      seq: 12,
      users: [{ name: 'alice', endpoint: '127.0.0.1:1', session: 'x', imstate: true }, classic('bob', '[::1]:2')],
    });
    const snapshot = { seq: 12, users: listUsers(state) };
    const text = snapshotToClassicList(snapshot);
    if (!text.ok) expect.fail(text.error.reason);
    const read = classicListToSnapshot(text.value, { extension: snapshotToListExtension(snapshot) });
    expect(read).toEqual({ ok: true, value: snapshot });
  });
});

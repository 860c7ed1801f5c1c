/** The classic user list `name,ep;...;end`, both ways, with its limits. */
import { describe, expect, it } from 'vitest';
import { formatUserList, parseUserList, type ListEntry } from '../../src/protocol/index.js';
import { expectFailure, valueOf } from './helpers.js';

const v4 = (port: number) => ({ family: 'IPv4', address: '127.0.0.1', port }) as const;

describe('parseUserList and formatUserList', () => {
  it('reads and writes names with IPv4 and IPv6 endpoints', () => {
    const entries: ListEntry[] = [
      { name: 'alice', endpoint: v4(21511) },
      { name: '剑痴', endpoint: { family: 'IPv6', address: '::1', port: 21512 } },
    ];
    const text = 'alice,127.0.0.1:21511;剑痴,[::1]:21512;end';
    expect(valueOf(formatUserList(entries))).toBe(text);
    expect(valueOf(parseUserList(text))).toEqual(entries);
  });

  it('keeps duplicate names, as the original server sends them', () => {
    expect(valueOf(parseUserList('dup,127.0.0.1:1;dup,127.0.0.1:2;end')).map((e) => e.endpoint.port)).toEqual([1, 2]);
  });

  it('reads a user called "end"', () => {
    expect(valueOf(parseUserList('end,127.0.0.1:1;end'))).toEqual([{ name: 'end', endpoint: v4(1) }]);
  });

  it.each([
    ['', 'empty'],
    ['alice,127.0.0.1:1', 'bad-list'],
    ['alice,127.0.0.1:1;', 'bad-list'],
    ['alice,127.0.0.1:1;END', 'bad-list'],
    ['end;', 'bad-list'],
    ['end ', 'bad-list'],
    [';end', 'bad-list'],
    ['alice;end', 'bad-list'],
    [',127.0.0.1:1;end', 'bad-name'],
    ['a:b,127.0.0.1:1;end', 'bad-name'],
    ['alice,127.0.0.1;end', 'bad-endpoint'],
    ['alice,127.0.0.1:1,x;end', 'bad-port'],
    ['alice,127.0.0.1:0;end', 'bad-port'],
  ] as const)('refuses %j with %s', (text, code) => {
    expectFailure(parseUserList(text), code);
  });

  it('numbers the bad entry in the reason', () => {
    expect(expectFailure(parseUserList('a,127.0.0.1:1;b,127.0.0.1:99999;end'), 'bad-port')).toMatch(/^user list entry 2: /);
  });

  it('limits the number of entries both ways', () => {
    const three = 'a,127.0.0.1:1;b,127.0.0.1:2;c,127.0.0.1:3;end';
    expect(valueOf(parseUserList(three, { maxListEntries: 3 }))).toHaveLength(3);
    expectFailure(parseUserList(three, { maxListEntries: 2 }), 'too-many-entries');
    const entries = valueOf(parseUserList(three));
    expectFailure(formatUserList(entries, { maxListEntries: 2 }), 'too-many-entries');
    // The default limit, 1,000,000, refuses a huge list before splitting it.
    expectFailure(parseUserList(';'.repeat(1_000_001) + 'end'), 'too-many-entries');
  });

  it.each([
    [[{ name: '', endpoint: v4(1) }], 'bad-name'],
    [[{ name: 'a;b', endpoint: v4(1) }], 'bad-name'],
    [[{ name: 'a', endpoint: { family: 'IPv4', address: 'localhost', port: 1 } }], 'bad-endpoint'],
    [[{ name: 'a', endpoint: v4(65536) }], 'bad-port'],
  ] as const)('formatUserList refuses %j with %s', (entries, code) => {
    expectFailure(formatUserList(entries), code);
  });
});

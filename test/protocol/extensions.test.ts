/** imstate's appended key=value fields and the JSON list extension that follows the classic list. */
import { describe, expect, it } from 'vitest';
import { formatListExtension, parseListExtension, type ListExtension } from '../../src/protocol/index.js';
import { decodeExtensions, encodeExtensions } from '../../src/protocol/extensions.js';
import { formatMessage, parseMessage } from '../../src/protocol/text.js';
import { expectFailure, valueOf } from './helpers.js';

describe('decodeExtensions and encodeExtensions', () => {
  it('decodes the known keys into typed values and keeps every other field verbatim, in order', () => {
    const decoded = valueOf(decodeExtensions(['imstate=1', 'junk', 'session=a=b', '', 'seq=7', 'hb=500', 'reason=replaced', '=x']));
    expect(decoded).toEqual({
      values: { imstate: true, session: 'a=b', seq: 7, heartbeatMs: 500, reason: 'replaced' },
      others: ['junk', '', '=x'],
    });
  });

  it('refuses a known key twice, or a value its validator does not take', () => {
    for (const fields of [['seq=7', 'seq=8'], ['seq=abc'], ['hb=0'], ['imstate=2'], ['session='], ['reason=left'], ['by=1.2.3'], ['by=127.0.0.1:0'], ['x,y']]) {
      expectFailure(decodeExtensions(fields), 'bad-field');
    }
  });

  it('writes the known fields in a fixed order, skipping absent ones, booleans as 1/0, then the others', () => {
    expect(valueOf(encodeExtensions({ session: 's1', seq: 3, imstate: false }, ['later=1']))).toEqual([
      'imstate=0',
      'seq=3',
      'session=s1',
      'later=1',
    ]);
  });

  it('round-trips through a forwarded logout', () => {
    const text = valueOf(
      formatMessage({
        type: 'logout',
        name: 'bob',
        endpoint: { family: 'IPv4', address: '10.0.0.2', port: 7 },
        seq: 12,
        session: 's-9',
        reason: 'expired',
        extensions: [],
      }),
    );
    expect(text).toBe('logout,bob,10.0.0.2:7,seq=12,session=s-9,reason=expired');
    const message = valueOf(parseMessage(text));
    expect(message.type === 'logout' && message.reason).toBe('expired');
  });

  it('round-trips the replaced notice, whose by= names the replacing login as an endpoint', () => {
    const notice = {
      type: 'logout' as const,
      name: 'alice',
      endpoint: { family: 'IPv4' as const, address: '127.0.0.1', port: 5001 },
      seq: 7,
      session: 'EbFLfCmepyWa',
      reason: 'replaced' as const,
      by: { family: 'IPv6' as const, address: '::1', port: 5002 },
      extensions: [],
    };
    const text = valueOf(formatMessage(notice));
    expect(text).toBe('logout,alice,127.0.0.1:5001,seq=7,session=EbFLfCmepyWa,reason=replaced,by=[::1]:5002');
    expect(valueOf(parseMessage(text))).toEqual(notice);
  });

  it('lets encoding refuse a value the wire cannot carry, and a known key hidden among the others', () => {
    expectFailure(formatMessage({ type: 'Accept', tcpPort: 5, session: 'a,b', extensions: [] }), 'bad-field');
    expectFailure(encodeExtensions({}, ['session=s1']), 'bad-field');
  });
});

describe('formatListExtension and parseListExtension', () => {
  const extension: ListExtension = {
    seq: 42,
    users: [{ session: 's-1', imstate: true }, { imstate: false }, { session: 'other;id', imstate: false }],
    heartbeatMs: 5000,
  };

  it('writes the compact form: a header line, then a flag and a session per entry in list order', () => {
    expect(valueOf(formatListExtension(extension))).toBe('seq=42,hb=5000\n1s-1,0,0other;id');
    expect(valueOf(formatListExtension({ seq: 0, users: [] }))).toBe('seq=0');
  });

  it('round-trips, with and without a heartbeat', () => {
    expect(valueOf(parseListExtension(valueOf(formatListExtension(extension))))).toEqual(extension);
    const { heartbeatMs: _, ...withoutHeartbeat } = extension;
    const text = valueOf(formatListExtension(withoutHeartbeat));
    expect(text).not.toContain('hb=');
    expect(valueOf(parseListExtension(text))).toEqual(withoutHeartbeat);
  });

  it('ignores header keys it does not know', () => {
    expect(valueOf(parseListExtension('v=3,seq=1,future=x=y\n1a'))).toEqual({ seq: 1, users: [{ session: 'a', imstate: true }] });
  });

  it('refuses to write a session it cannot carry, or an imstate user without one', () => {
    expectFailure(formatListExtension({ seq: 1, users: [{ session: 'a,b', imstate: true }] }), 'bad-field');
    expectFailure(formatListExtension({ seq: 1, users: [{ session: 'a\nb', imstate: false }] }), 'bad-field');
    expectFailure(formatListExtension({ seq: 1, users: [{ imstate: true }] }), 'bad-field');
  });

  it.each([
    ['', 'bad-list'],
    ['end', 'bad-list'],
    ['{"seq":1,"users":[]}', 'bad-list'],
    ['seq=-1', 'bad-list'],
    ['seq=1.5', 'bad-list'],
    ['seq=01', 'bad-list'],
    ['seq=99999999999999999', 'bad-list'],
    ['hb=5\n1a', 'bad-list'],
    ['seq=1,hb=0', 'bad-list'],
    ['seq=1,hb=x', 'bad-list'],
    ['seq=1\n', 'bad-list'],
    ['seq=1\n1a,', 'bad-list'],
    ['seq=1\n2a', 'bad-list'],
    ['seq=1\n1', 'bad-field'],
    ['seq=1\n1a\u0000b', 'bad-field'],
  ] as const)('refuses %j with %s', (text, code) => {
    expectFailure(parseListExtension(text), code);
  });

  it('numbers the bad user, and limits the number of users before splitting them', () => {
    expect(expectFailure(parseListExtension('seq=1\n1a,x'), 'bad-list')).toMatch(/^list extension user 2: /);
    expect(valueOf(parseListExtension('seq=1\n1a,0', { maxListEntries: 2 })).users).toHaveLength(2);
    expectFailure(parseListExtension('seq=1\n1a,0,0', { maxListEntries: 2 }), 'too-many-entries');
    expectFailure(parseListExtension('seq=1\n' + ','.repeat(1_000_000)), 'too-many-entries');
  });
});

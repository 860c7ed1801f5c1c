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
    for (const fields of [['seq=7', 'seq=8'], ['seq=abc'], ['hb=0'], ['imstate=2'], ['session='], ['reason=left'], ['x,y']]) {
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

  it('lets encoding refuse a value the wire cannot carry, and a known key hidden among the others', () => {
    expectFailure(formatMessage({ type: 'Accept', tcpPort: 5, session: 'a,b', extensions: [] }), 'bad-field');
    expectFailure(encodeExtensions({}, ['session=s1']), 'bad-field');
  });
});

describe('formatListExtension and parseListExtension', () => {
  const extension: ListExtension = {
    seq: 42,
    users: [
      { name: 'alice', session: 's-1', imstate: true },
      { name: '剑痴', session: '127.0.0.1:21512', imstate: false },
    ],
    heartbeatMs: 5000,
  };

  it('round-trips, with and without a heartbeat', () => {
    expect(valueOf(parseListExtension(formatListExtension(extension)))).toEqual(extension);
    const { heartbeatMs: _, ...withoutHeartbeat } = extension;
    const text = formatListExtension(withoutHeartbeat);
    expect(text).not.toContain('heartbeatMs');
    expect(valueOf(parseListExtension(text))).toEqual(withoutHeartbeat);
  });

  it('writes only the keys it knows, and ignores unknown keys when reading', () => {
    const withExtra = { ...extension, users: [{ name: 'a', session: 's', imstate: true, colour: 'red' }], more: 1 };
    expect(formatListExtension(withExtra)).toBe('{"seq":42,"users":[{"name":"a","session":"s","imstate":true}],"heartbeatMs":5000}');
    expect(valueOf(parseListExtension('{"seq":1,"users":[],"v":2,"future":{"x":[1]}}'))).toEqual({ seq: 1, users: [] });
  });

  it.each([
    ['', 'bad-list'],
    ['end', 'bad-list'],
    ['{"seq":1,"users":[]', 'bad-list'],
    ['[]', 'bad-list'],
    ['null', 'bad-list'],
    ['{"users":[]}', 'bad-list'],
    ['{"seq":-1,"users":[]}', 'bad-list'],
    ['{"seq":1.5,"users":[]}', 'bad-list'],
    ['{"seq":"1","users":[]}', 'bad-list'],
    ['{"seq":1}', 'bad-list'],
    ['{"seq":1,"users":{}}', 'bad-list'],
    ['{"seq":1,"users":[],"heartbeatMs":0}', 'bad-list'],
    ['{"seq":1,"users":[],"heartbeatMs":"5000"}', 'bad-list'],
    ['{"seq":1,"users":[1]}', 'bad-list'],
    ['{"seq":1,"users":[{"session":"s","imstate":true}]}', 'bad-name'],
    ['{"seq":1,"users":[{"name":"a:b","session":"s","imstate":true}]}', 'bad-name'],
    ['{"seq":1,"users":[{"name":"a","imstate":true}]}', 'bad-field'],
    ['{"seq":1,"users":[{"name":"a","session":"s,1","imstate":true}]}', 'bad-field'],
    ['{"seq":1,"users":[{"name":"a","session":"s","imstate":1}]}', 'bad-field'],
  ] as const)('refuses %j with %s', (text, code) => {
    expectFailure(parseListExtension(text), code);
  });

  it('numbers the bad user, and limits the number of users', () => {
    const text = '{"seq":1,"users":[{"name":"a","session":"s","imstate":true},{"name":"","session":"s","imstate":true}]}';
    expect(expectFailure(parseListExtension(text), 'bad-name')).toMatch(/^list extension user 2: /);
    expectFailure(parseListExtension(text, { maxListEntries: 1 }), 'too-many-entries');
  });

  it('survives JSON nested deeper than any stack', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    expectFailure(parseListExtension(deep), 'bad-list');
  });
});

/** Messages ⇄ text ⇄ datagrams: the wire forms, the extensions kept, and one distinct reason for each refusal. */
import { describe, expect, it } from 'vitest';
import { decodeDatagram, encodeDatagram, type Message, type ProtocolErrorCode } from '../../src/protocol/index.js';
import { formatMessage, parseMessage } from '../../src/protocol/text.js';
import { expectFailure, toHex, utf16le, valueOf } from './helpers.js';

const alice = { family: 'IPv4', address: '127.0.0.1', port: 5001 } as const;

describe('the wire form of every message', () => {
  const cases: [string, Message][] = [
    ['login,alice,127.0.0.1:5001', { type: 'login', name: 'alice', endpoint: alice, extensions: [] }],
    ['logout,alice,[::1]:5001', { type: 'logout', name: 'alice', endpoint: { family: 'IPv6', address: '::1', port: 5001 }, extensions: [] }],
    ['Accept,21502', { type: 'Accept', tcpPort: 21502, extensions: [] }],
    ['talk,10:41:40 AM,alice,hi, there,,', { type: 'talk', time: '10:41:40 AM', name: 'alice', text: 'hi, there,,' }],
    ['talk,,alice,', { type: 'talk', time: '', name: 'alice', text: '' }],
    ['rtalk,m-1,10:41:40,alice,a,b', { type: 'rtalk', id: 'm-1', time: '10:41:40', name: 'alice', text: 'a,b' }],
    ['receipt,m-1,bob', { type: 'receipt', id: 'm-1', name: 'bob' }],
    ['ping,alice,s-42', { type: 'ping', name: 'alice', session: 's-42' }],
    ['pong,0', { type: 'pong', seq: 0 }],
    ['pong,9007199254740991', { type: 'pong', seq: Number.MAX_SAFE_INTEGER }],
    ['unknown,alice', { type: 'unknown', name: 'alice' }],
    ['Refuse,the name alice is taken, try another', { type: 'Refuse', reason: 'the name alice is taken, try another' }],
    ['Refuse,', { type: 'Refuse', reason: '' }],
  ];
  it.each(cases)('%s', (text, message) => {
    expect(valueOf(parseMessage(text))).toEqual(message);
    expect(valueOf(formatMessage(message))).toBe(text);
    expect(valueOf(decodeDatagram(utf16le(text)))).toEqual(message);
    expect(toHex(valueOf(encodeDatagram(message)))).toBe(toHex(utf16le(text)));
  });

  it('decodes the known extension fields into typed values, keeping the others verbatim, in order, empty ones included', () => {
    const text = 'login,alice,127.0.0.1:5001,imstate=1,session=s1,,x,later=2';
    const message = valueOf(parseMessage(text));
    expect(message).toEqual({ type: 'login', name: 'alice', endpoint: alice, imstate: true, session: 's1', extensions: ['', 'x', 'later=2'] });
    expect(valueOf(formatMessage(message))).toBe(text);
    expect(valueOf(parseMessage('Accept,21502,imstate=1,hb=5000,seq=7'))).toEqual({
      type: 'Accept',
      tcpPort: 21502,
      imstate: true,
      heartbeatMs: 5000,
      seq: 7,
      extensions: [],
    });
    const logout = valueOf(parseMessage('logout,bob,10.0.0.2:7,seq=0,session=s-9,reason=expired'));
    expect(logout).toMatchObject({ seq: 0, session: 's-9', reason: 'expired', extensions: [] });
  });

  it('writes the known fields in one order (imstate, hb, seq, session, reason), then the others', () => {
    const login: Message = { type: 'login', name: 'alice', endpoint: alice, session: 's1', seq: 3, imstate: false, extensions: ['x=1'] };
    expect(valueOf(formatMessage(login))).toBe('login,alice,127.0.0.1:5001,imstate=0,seq=3,session=s1,x=1');
    // Known fields in another order read the same; they are written back in the one order.
    const reordered = valueOf(parseMessage('login,alice,127.0.0.1:5001,session=s1,imstate=1'));
    expect(valueOf(formatMessage(reordered))).toBe('login,alice,127.0.0.1:5001,imstate=1,session=s1');
  });
});

describe('decodeDatagram refuses malformed datagrams, one distinct reason each', () => {
  const cases: [string, Uint8Array, ProtocolErrorCode][] = [
    ['empty', new Uint8Array(0), 'empty'],
    ['odd byte count', Uint8Array.of(0x6c, 0x00, 0x6f), 'odd-length'],
    ['unpaired surrogate', Uint8Array.of(0x74, 0, 0x61, 0, 0x6c, 0, 0x6b, 0, 0x2c, 0, 0x00, 0xd8), 'unpaired-surrogate'],
    ['too long', new Uint8Array(65_508), 'too-long'],
    ['unknown type', utf16le('hello,alice,127.0.0.1:5'), 'unknown-type'],
    ['wrong field count', utf16le('login,alice'), 'field-count'],
    ['bad endpoint', utf16le('login,alice,127.0.0.1'), 'bad-endpoint'],
    ['bad port', utf16le('login,alice,127.0.0.1:0'), 'bad-port'],
    ['bad name', utf16le('login,,127.0.0.1:5'), 'bad-name'],
  ];
  it.each(cases)('%s → %s', (_, bytes, code) => {
    expectFailure(decodeDatagram(bytes), code);
  });

  it('uses nine different codes for the nine reasons', () => {
    expect(new Set(cases.map(([, , code]) => code)).size).toBe(9);
  });

  it('says where and what in the reason', () => {
    expect(expectFailure(decodeDatagram(utf16le('talk,a,b\ud800')), 'unpaired-surrogate')).toContain('U+D800 at byte 16');
    expect(expectFailure(decodeDatagram(utf16le('login,alice')), 'field-count')).toContain('login,<name>,<endpoint>');
    expect(expectFailure(decodeDatagram(utf16le('login,a:b,127.0.0.1:5')), 'bad-name')).toMatch(/^login: .*a colon/);
    expect(expectFailure(decodeDatagram(utf16le('Login,a,1.2.3.4:5')), 'unknown-type')).toContain('"Login"');
  });

  it('reads the length limit from the limits given', () => {
    const bytes = utf16le('Accept,21502');
    expectFailure(decodeDatagram(bytes, { maxDatagramBytes: bytes.length - 2 }), 'too-long');
    expect(valueOf(decodeDatagram(bytes, { maxDatagramBytes: bytes.length }))).toMatchObject({ type: 'Accept' });
  });

  it('keeps a BOM as text (so the type is unknown), as Encoding.Unicode.GetString does', () => {
    expectFailure(decodeDatagram(utf16le('\ufeffAccept,1')), 'unknown-type');
  });
});

describe('parseMessage refuses', () => {
  it.each([
    ['', 'empty'],
    ['accept,5', 'unknown-type'],
    ['TALK,a,b,c', 'unknown-type'],
    ['toString,a', 'unknown-type'],
    ['__proto__,a', 'unknown-type'],
    ['talk,10:00,alice', 'field-count'],
    ['rtalk,id,10:00,alice', 'field-count'],
    ['Accept', 'field-count'],
    ['Refuse', 'field-count'],
    ['receipt,id,bob,extra', 'field-count'],
    ['ping,alice', 'field-count'],
    ['pong,1,2', 'field-count'],
    ['unknown,alice,x', 'field-count'],
    ['Accept,0', 'bad-port'],
    ['Accept,port', 'bad-port'],
    ['Accept,070', 'bad-port'],
    ['logout,alice,[::1]', 'bad-endpoint'],
    ['talk,10:00,,hi', 'bad-name'],
    ['unknown,a;b', 'bad-name'],
    ['rtalk,,10:00,alice,hi', 'bad-field'],
    ['receipt,id,', 'bad-name'],
    ['ping,alice,', 'bad-field'],
    ['pong,-1', 'bad-field'],
    ['pong,01', 'bad-field'],
    ['pong,1e3', 'bad-field'],
    ['pong,9007199254740992', 'bad-field'],
    ['login,alice,127.0.0.1:5,seq=1\u0007', 'bad-field'],
    ['login,alice,127.0.0.1:5,seq=x', 'bad-field'],
    ['login,alice,127.0.0.1:5,seq=01', 'bad-field'],
    ['login,alice,127.0.0.1:5,seq=1,seq=2', 'bad-field'],
    ['login,alice,127.0.0.1:5,imstate=yes', 'bad-field'],
    ['login,alice,127.0.0.1:5,session=', 'bad-field'],
    ['logout,alice,127.0.0.1:5,reason=gone', 'bad-field'],
    ['Accept,5,hb=0', 'bad-field'],
    ['Accept,5,hb=-5', 'bad-field'],
  ] as const)('%j with %s', (text, code) => {
    expectFailure(parseMessage(text), code);
  });
});

describe('encoding refuses what the wire cannot carry', () => {
  const login = (name: string): Message => ({ type: 'login', name, endpoint: alice, extensions: [] });
  it.each([
    ['an empty name', login(''), 'bad-name'],
    ['a name with a comma', login('a,b'), 'bad-name'],
    ['a name with a semicolon', login('a;b'), 'bad-name'],
    ['a name with a colon', login('a:b'), 'bad-name'],
    ['a name with a control character', login('a\tb'), 'bad-name'],
    ['a name over the limit', login('n'.repeat(65)), 'bad-name'],
    ['a bad endpoint', { type: 'login', name: 'a', endpoint: { family: 'IPv4', address: '1.2.3', port: 5 }, extensions: [] }, 'bad-endpoint'],
    ['port 0', { type: 'logout', name: 'a', endpoint: { ...alice, port: 0 }, extensions: [] }, 'bad-port'],
    ['an extension with a comma', { type: 'login', name: 'a', endpoint: alice, extensions: ['a,b'] }, 'bad-field'],
    ['an extension with a newline', { type: 'Accept', tcpPort: 5, extensions: ['x=1\n'] }, 'bad-field'],
    ['a known key among the other fields', { type: 'Accept', tcpPort: 5, extensions: ['seq=1'] }, 'bad-field'],
    ['a negative seq', { type: 'Accept', tcpPort: 5, seq: -1, extensions: [] }, 'bad-field'],
    ['a heartbeat of 0 ms', { type: 'Accept', tcpPort: 5, heartbeatMs: 0, extensions: [] }, 'bad-field'],
    ['a session with a comma', { type: 'logout', name: 'a', endpoint: alice, session: 'a,b', extensions: [] }, 'bad-field'],
    ['an Accept on port 70000', { type: 'Accept', tcpPort: 70000, extensions: [] }, 'bad-port'],
    ['a time with a comma', { type: 'talk', time: '10,00', name: 'a', text: 'hi' }, 'bad-field'],
    ['a talk from a bad name', { type: 'talk', time: '', name: 'a:b', text: 'hi' }, 'bad-name'],
    ['an rtalk id with a comma', { type: 'rtalk', id: 'a,b', time: '', name: 'a', text: '' }, 'bad-field'],
    ['a receipt without id', { type: 'receipt', id: '', name: 'a' }, 'bad-field'],
    ['a ping session with a comma', { type: 'ping', name: 'a', session: 's,1' }, 'bad-field'],
    ['a negative pong', { type: 'pong', seq: -1 }, 'bad-field'],
    ['a fractional pong', { type: 'pong', seq: 1.5 }, 'bad-field'],
    ['an unknown with an empty name', { type: 'unknown', name: '' }, 'bad-name'],
    ['an unknown type', { type: 'hello' } as unknown as Message, 'unknown-type'],
  ] as [string, Message, ProtocolErrorCode][])('%s → %s', (_, message, code) => {
    expectFailure(formatMessage(message), code);
    expectFailure(encodeDatagram(message), code);
  });

  it('a name limit can be configured for encoding too', () => {
    expectFailure(encodeDatagram(login('abcde'), { maxNameLength: 4 }), 'bad-name');
    expect(valueOf(encodeDatagram(login('abcd'), { maxNameLength: 4 })).length).toBe(2 * 'login,abcd,127.0.0.1:5001'.length);
  });

  it('refuses talk text that UTF-16LE cannot carry, and a datagram over the limit', () => {
    expectFailure(encodeDatagram({ type: 'talk', time: '', name: 'a', text: 'x\udfff' }), 'unpaired-surrogate');
    expectFailure(encodeDatagram({ type: 'talk', time: '', name: 'a', text: 'x'.repeat(40_000) }), 'too-long');
    expectFailure(encodeDatagram({ type: 'Refuse', reason: 'x'.repeat(20) }, { maxDatagramBytes: 40 }), 'too-long');
  });

  it('writes an IPv6 endpoint given in any spelling the way .NET prints it', () => {
    const message: Message = {
      type: 'login',
      name: 'a',
      endpoint: { family: 'IPv6', address: '0:0:0:0:0:0:0:1', port: 5 },
      extensions: [],
    };
    expect(valueOf(formatMessage(message))).toBe('login,a,[::1]:5');
  });
});

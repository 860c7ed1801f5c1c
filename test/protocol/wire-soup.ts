/**
 * Inputs for the totality properties that are worse than random bytes: text made of the wire's own tokens (so that
 * parsers get deep before they fail), and valid datagrams with bytes flipped, cut, inserted or spliced.
 * @module
 */
import fc from 'fast-check';
import { encodeDatagram } from '../../src/protocol/index.js';
import { messageArbitrary } from '../../src/testing/arbitraries.js';

const tokens = [
  'login', 'logout', 'Accept', 'talk', 'rtalk', 'receipt', 'ping', 'pong', 'unknown', 'Refuse', 'end', 'Login',
  ',', ',', ',', ';', ':', ':', '::', '[', ']', '.', '%', '=', ' ', '-', '+',
  '0', '1', '5', '9', '00', '127.0.0.1', '255', '256', '65535', '65536', 'ffff', 'fe80', 'FFFF', 'x', '1e3',
  'alice', '剑痴', '👍', '\u200d', 'imstate=1', 'seq=', 'session=s1', '{', '}', '"', '[]',
  '\u0000', '\n', '\u007f', '\u2028', '\ufeff', '\ud800', '\udc00',
];

/** Text made of the wire's tokens: types, separators, digits, addresses, names, and characters the wire refuses. */
export const wireText = (maxTokens = 24): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...tokens), { maxLength: maxTokens }).map((parts) => parts.join(''));

const types = ['login', 'logout', 'Accept', 'talk', 'rtalk', 'receipt', 'ping', 'pong', 'unknown', 'Refuse'];

/** Text shaped like a message: mostly a real type, then fields made of the wire's tokens. */
export const messageText = (): fc.Arbitrary<string> => {
  const type = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...types) }, { weight: 1, arbitrary: wireText(3) });
  return fc.tuple(type, fc.array(wireText(4), { maxLength: 6 })).map(([t, fields]) => [t, ...fields].join(','));
};

/** Text made of the tokens of a user list: entries, separators and nearly-right endpoints. */
export const listText = (): fc.Arbitrary<string> => {
  const entry = fc.tuple(fc.constantFrom('alice', '剑痴', '', 'a:b', 'end'), fc.constantFrom(',', ''), fc.constantFrom('127.0.0.1:1', '[::1]:2', '1.2.3.4', '[::1]', '1.2.3.4:0', ''));
  const body = fc.array(entry.map((parts) => parts.join('')), { maxLength: 6 }).map((entries) => entries.join(';'));
  return fc.tuple(body, fc.constantFrom(';end', 'end', ';en', '', ';end;', ';END')).map(([b, end]) => b + end);
};

/** UTF-16LE bytes of any UTF-16 text, unpaired surrogates kept, as a hostile sender would write them. */
export const utf16Bytes = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'utf16le'));

const mutate = (bytes: Uint8Array, how: number, at: number, value: number, other: Uint8Array): Uint8Array => {
  const i = bytes.length === 0 ? 0 : at % bytes.length;
  switch (how) {
    case 0: {
      const flipped = Uint8Array.from(bytes);
      if (flipped.length > 0) flipped[i] = value;
      return flipped;
    }
    case 1:
      return bytes.subarray(0, i);
    case 2:
      return Uint8Array.from([...bytes.subarray(0, i), value, ...bytes.subarray(i)]);
    default:
      return Uint8Array.from([...bytes.subarray(0, i), ...other.subarray(i % (other.length + 1))]);
  }
};

const validDatagram = messageArbitrary().map((message) => {
  const bytes = encodeDatagram(message);
  return bytes.ok ? Uint8Array.from(bytes.value) : new Uint8Array(0);
});

/** Datagrams a hostile or broken sender might send: random bytes, token soup, and mutated valid datagrams. */
export const hostileDatagram = (): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    fc.uint8Array({ maxLength: 200 }),
    fc.oneof(wireText(), messageText()).map(utf16Bytes),
    validDatagram,
    fc
      .tuple(validDatagram, fc.nat(3), fc.nat(), fc.nat(255), validDatagram)
      .map(([bytes, how, at, value, other]) => mutate(bytes, how, at, value, other)),
  );

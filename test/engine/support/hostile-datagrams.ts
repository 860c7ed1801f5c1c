/**
 * A seeded source of hostile datagrams for the engine's fuzz tests, built without src/protocol (so a codec bug cannot
 * hide itself): random bytes, messages cut below their field count, well-formed messages with one field made bad
 * (endpoint, name, id, sequence number, type), huge fields, unpaired surrogates, and the empty datagram.
 *
 * Each datagram says whether it is `malformed` (any correct decoder must reject it) or a well-formed message that
 * still must not change anyone's list (a talk or receipt from a stranger, a logout of a name nobody uses, ...).
 * @module
 */
import { createRandom, type Random } from '../../../src/transport/index.js';

/** One datagram to throw. */
export interface HostileDatagram {
  readonly bytes: Buffer;
  /** True when no correct decoder may accept it. */
  readonly malformed: boolean;
  /** Which generator made it, for a failure message. */
  readonly kind: string;
}

/** Who is being fuzzed: decides which well-formed messages are harmless for it. */
export type Target = 'server' | 'peer';

const utf16 = (text: string): Buffer => Buffer.from(text, 'utf16le');

const badEndpoints = [
  '127.0.0.1',
  '127.0.0.1:0',
  '127.0.0.1:65536',
  '127.0.0.1:-1',
  '127.0.0.1:5000x',
  '256.0.0.1:5000',
  '1.2.3.4.5:5000',
  'localhost:5000',
  '[::1]',
  '[::1:5000',
  '::1:5000',
  '[:::1]:5000',
  ':5000',
  '',
];
const badNames = ['', 'a;b', 'a:b', 'tab\there', 'new\nline', 'nul\u0000', 'x'.repeat(65), '\u0085next-line'];
const badIds = ['', 'ctl\u0001', 'line\u2028sep', 'x'.repeat(200)];
const badSeqs = ['', '-1', '1e5', '0x10', '01', '1.5', '99999999999999999', ' 7'];
const unknownTypes = ['Login', 'LOGIN', 'hello', 'talk2', 'accept', 'Pong', 'list', '登录', 'rtalk ', ' login'];

const pick = <T>(random: Random, items: readonly T[]): T => items[random.intBetween(0, items.length - 1)] as T;

const randomText = (random: Random, length: number): string => {
  let text = '';
  for (let i = 0; i < length; i++) {
    const roll = random.next();
    text +=
      roll < 0.6
        ? String.fromCharCode(random.intBetween(0x20, 0x7e))
        : roll < 0.8
          ? String.fromCharCode(random.intBetween(0x4e00, 0x9fff))
          : roll < 0.9
            ? ','
            : String.fromCodePoint(random.intBetween(0x1f300, 0x1faff));
  }
  return text;
};

const randomBytes = (random: Random, length: number): Buffer => {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = random.intBetween(0, 255);
  return bytes;
};

/** Well-formed messages with exactly one bad field, by message type. */
const oneBadField = (random: Random): string => {
  const ep = `127.0.0.1:${random.intBetween(1, 65535)}`;
  switch (random.intBetween(0, 9)) {
    case 0:
      return `login,mallory,${pick(random, badEndpoints)},imstate=1,session=s1`;
    case 1:
      return `login,${pick(random, badNames)},${ep}`;
    case 2:
      return `logout,${pick(random, badNames)},${ep}`;
    case 3:
      return `logout,mallory,${pick(random, badEndpoints)}`;
    case 4:
      return `rtalk,${pick(random, badIds)},10:00:00,mallory,hi`;
    case 5:
      return `receipt,${pick(random, badIds)},mallory`;
    case 6:
      return `pong,${pick(random, badSeqs)}`;
    case 7:
      return `Accept,${pick(random, ['0', '65536', 'x', '', '-5'])}`;
    case 8:
      return `ping,mallory,${pick(random, badIds)}`;
    default:
      return `${pick(random, unknownTypes)},mallory,${ep}`;
  }
};

/** Messages cut below their field count (every field boundary short of the minimum). */
const truncated = (random: Random): string =>
  pick(random, [
    'login',
    'login,mallory',
    'logout,mallory',
    'talk,10:00:00,mallory',
    'talk,10:00:00',
    'rtalk,id1,10:00:00,mallory',
    'receipt,id1',
    'ping,mallory',
    'pong',
    'Accept',
    'unknown',
    'Refuse',
  ]);

/** Well-formed messages that must change no list: strangers talking, answers to nothing, a logout of nobody. */
const harmless = (random: Random, target: Target): string => {
  const stranger = `stranger${random.intBetween(0, 999)}`;
  const common = [
    `talk,10:00:00,${stranger},${randomText(random, random.intBetween(0, 40))}`,
    `rtalk,m${random.intBetween(0, 99)},10:00:00,${stranger},${randomText(random, random.intBetween(0, 40))}`,
    `receipt,unknown${random.intBetween(0, 99)},${stranger}`,
  ];
  // Server messages at a peer from a stranger are spoofs, rejected as such (spoofing.test.ts): not thrown here.
  const forServer = [
    `logout,${stranger},127.0.0.1:${random.intBetween(1, 65535)}`,
    `ping,${stranger},session${random.intBetween(0, 99)}`,
    `pong,1`,
    `Accept,${random.intBetween(1, 65535)}`,
    `Refuse,${randomText(random, 10)}`,
    `unknown,${stranger}`,
  ];
  return pick(random, target === 'server' ? [...common, ...forServer] : common);
};

/** Builds the `index`-th datagram of the stream for `seed` (each index its own draw, so any one can be replayed). */
export const hostileDatagram = (seed: number, index: number, target: Target): HostileDatagram => {
  const random = createRandom((seed * 1_000_003 + index) >>> 0);
  const roll = random.intBetween(0, 99);
  if (roll < 20) {
    // Random bytes of odd length are never UTF-16LE text.
    const length = random.intBetween(0, 300) * 2 + 1;
    return { bytes: randomBytes(random, length), malformed: true, kind: 'odd random bytes' };
  }
  if (roll < 35) {
    // Even-length random bytes after a junk type: the type can never be a known word.
    return { bytes: Buffer.concat([utf16('#'), randomBytes(random, random.intBetween(0, 300) * 2)]), malformed: true, kind: 'random bytes' };
  }
  if (roll < 50) return { bytes: utf16(truncated(random)), malformed: true, kind: 'truncated' };
  if (roll < 75) return { bytes: utf16(oneBadField(random)), malformed: true, kind: 'one bad field' };
  if (roll < 80) {
    const huge = 'x'.repeat(random.intBetween(1_000, 8_000));
    return { bytes: utf16(pick(random, [`login,${huge},127.0.0.1:5000`, `rtalk,${huge},t,mallory,hi`, `ping,mallory,${huge}`])), malformed: true, kind: 'huge field' };
  }
  if (roll < 85) {
    // An unpaired surrogate: lone high or low half, in a talk's text.
    const half = String.fromCharCode(random.chance(0.5) ? 0xd800 + random.intBetween(0, 0x3ff) : 0xdc00 + random.intBetween(0, 0x3ff));
    return { bytes: utf16(`talk,10:00:00,mallory,a${half}b`), malformed: true, kind: 'unpaired surrogate' };
  }
  if (roll < 87) return { bytes: Buffer.alloc(0), malformed: true, kind: 'empty' };
  if (roll < 90) {
    // A real message with one byte flipped to an odd total: cut one byte off the end.
    const text = utf16(`login,mallory,127.0.0.1:${random.intBetween(1, 65535)}`);
    return { bytes: text.subarray(0, text.length - 1), malformed: true, kind: 'cut mid-character' };
  }
  return { bytes: utf16(harmless(random, target)), malformed: false, kind: 'well-formed but harmless' };
};

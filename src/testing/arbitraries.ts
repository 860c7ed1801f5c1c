/**
 * fast-check arbitraries for the wire: valid names (CJK and emoji included), IPv4 and IPv6 endpoints as .NET prints
 * them, every message kind, user lists and list extensions. Everything they produce encodes without error, so a
 * property can state `decode(encode(m)) = m` directly. Re-exported by `imstate/testing`.
 * @module
 */
import fc from 'fast-check';
import { codePointLength, fieldForbidden } from '../protocol/chars.js';
import { formatEndpoint } from '../protocol/endpoint.js';
import { maxIdLength } from '../protocol/field.js';
import { formatIPv6 } from '../protocol/ip-address.js';
import { defaultLimits } from '../protocol/limits.js';
import type { ListExtension, ListExtensionUser } from '../protocol/list-extension.js';
import { extensionKeys } from '../protocol/extensions.js';
import type { BatchEntry, Endpoint, ExtensionValues, LeaveReason, Message, MessageType } from '../protocol/message.js';
import type { ListEntry } from '../protocol/user-list.js';

const charOf = (min: number, max: number): fc.Arbitrary<string> =>
  fc.integer({ min, max }).map((codePoint) => String.fromCodePoint(codePoint));

const printableAscii = (except: string): string[] =>
  Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).filter((c) => !except.includes(c));

/** One code point a name may hold: ASCII, CJK, emoji (a surrogate pair in UTF-16), Latin, Hangul. */
const nameCodePoint = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...printableAscii(',;:')) },
  { weight: 2, arbitrary: charOf(0x4e00, 0x9fff) },
  { weight: 2, arbitrary: charOf(0x1f300, 0x1faff) },
  { weight: 1, arbitrary: charOf(0xa0, 0x24f) },
  { weight: 1, arbitrary: charOf(0xac00, 0xd7a3) },
);

/** Several code points that read as one: a family (joined by U+200D), a flag, an accent that combines. */
const nameCluster = fc.constantFrom('👨‍👩‍👧', '🇨🇳', 'e\u0301', '剑痴', '👍🏽');

/**
 * Valid user names: 1 to `maxLength` (default 64) code points, none of `,` `;` `:` or control characters; ASCII,
 * CJK, emoji with surrogate pairs and multi-code-point clusters, sometimes exactly at the limit.
 */
export function nameArbitrary(options: { maxLength?: number } = {}): fc.Arbitrary<string> {
  const maxLength = options.maxLength ?? defaultLimits.maxNameLength;
  const usual = fc
    .string({ unit: fc.oneof({ weight: 9, arbitrary: nameCodePoint }, { weight: 1, arbitrary: nameCluster }), minLength: 1, maxLength })
    .filter((name) => codePointLength(name) <= maxLength);
  const atLimit = fc.string({ unit: nameCodePoint, minLength: maxLength, maxLength });
  return fc.oneof({ weight: 9, arbitrary: usual }, { weight: 1, arbitrary: atLimit });
}

/** Dotted IPv4 addresses as .NET prints them (`0.0.0.0` to `255.255.255.255`, no leading zeros). */
export function ipv4AddressArbitrary(): fc.Arbitrary<string> {
  const octet = fc.integer({ min: 0, max: 255 });
  return fc.tuple(octet, octet, octet, octet).map((octets) => octets.join('.'));
}

/** Eight 16-bit groups, often zero (so that `::` runs of every length and place appear) or `ffff` (mapped forms). */
export function ipv6GroupsArbitrary(): fc.Arbitrary<number[]> {
  const group = fc.oneof(
    { weight: 4, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.constant(0xffff) },
    { weight: 1, arbitrary: fc.constant(0x5efe) },
    { weight: 5, arbitrary: fc.integer({ min: 0, max: 0xffff }) },
  );
  return fc.array(group, { minLength: 8, maxLength: 8 });
}

/**
 * IPv6 addresses in .NET's canonical text: `::1`, `::`, full eight-group forms, compressed forms, embedded IPv4
 * (`::ffff:127.0.0.1`), and now and then a scope (`fe80::1%eth0`), which Node's socket addresses carry.
 */
export function ipv6AddressArbitrary(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: ipv6GroupsArbitrary().map((groups) => formatIPv6(groups)) },
    {
      weight: 2,
      arbitrary: fc.constantFrom('::1', '::', '::ffff:127.0.0.1', 'fe80::1', '2001:db8::1', '2001:db8:85a3:8d3:1319:8a2e:370:7348'),
    },
    { weight: 1, arbitrary: fc.tuple(ipv6GroupsArbitrary(), fc.constantFrom('eth0', '3', 'lo')).map(([g, scope]) => formatIPv6(g, scope)) },
  );
}

/** Valid endpoints of either family (or the one asked for), ports 1–65535. */
export function endpointArbitrary(options: { family?: Endpoint['family'] } = {}): fc.Arbitrary<Endpoint> {
  const port = fc.integer({ min: 1, max: 65535 });
  const ipv4 = fc.record({ family: fc.constant('IPv4' as const), address: ipv4AddressArbitrary(), port });
  const ipv6 = fc.record({ family: fc.constant('IPv6' as const), address: ipv6AddressArbitrary(), port });
  if (options.family === 'IPv4') return ipv4;
  if (options.family === 'IPv6') return ipv6;
  return fc.oneof(ipv4, ipv6);
}

/** Session and message ids: 1–64 printable characters without `,` (uuids among them). */
export function idArbitrary(): fc.Arbitrary<string> {
  return fc.oneof(fc.uuid(), fc.string({ unit: fc.constantFrom(...printableAscii(',')), minLength: 1, maxLength: maxIdLength }));
}

/**
 * Appended fields the codec does not know, which it keeps verbatim: any text without `,` or control characters whose
 * key (the text before `=`) is none of imstate's (`imstate`, `hb`, `seq`, `session`, `reason`).
 */
export function extensionFieldArbitrary(): fc.Arbitrary<string> {
  const knownKeys = Object.values(extensionKeys) as string[];
  return fc
    .string({ unit: 'grapheme', maxLength: 20 })
    .filter((field) => !fieldForbidden.test(field) && !(field.includes('=') && knownKeys.includes(field.slice(0, field.indexOf('=')))));
}

/** imstate's known appended fields, as the codec decodes them: each present or not, each with a valid value. */
export function extensionValuesArbitrary(): fc.Arbitrary<ExtensionValues> {
  return fc.record(
    {
      imstate: fc.boolean(),
      heartbeatMs: fc.integer({ min: 1, max: 600_000 }),
      seq: fc.maxSafeNat(),
      session: idArbitrary(),
      reason: fc.constantFrom<LeaveReason>('logout', 'expired', 'replaced'),
      batch: fc.boolean(),
    },
    { requiredKeys: [] },
  );
}

/** A talk's time: `10:41:40`, `10:41:40 AM`, or any other text without `,`. */
export function timeArbitrary(): fc.Arbitrary<string> {
  const two = (n: number): string => String(n).padStart(2, '0');
  return fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 23 }), fc.nat(59), fc.nat(59)).map(([h, m, s]) => `${h}:${two(m)}:${two(s)}`),
    fc
      .tuple(fc.integer({ min: 1, max: 12 }), fc.nat(59), fc.nat(59), fc.constantFrom('AM', 'PM', '上午', '下午'))
      .map(([h, m, s, half]) => `${h}:${two(m)}:${two(s)} ${half}`),
    fc.string({ unit: 'grapheme', maxLength: 16 }).filter((time) => !time.includes(',')),
  );
}

/** Talk text as people type it: commas (the original cut text at the first one), CJK, emoji, line breaks. */
export function talkTextArbitrary(options: { maxLength?: number } = {}): fc.Arbitrary<string> {
  const unit = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(',', ', ', ',,', '\n', ' ') },
    { weight: 3, arbitrary: nameCodePoint },
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
    { weight: 1, arbitrary: nameCluster },
  );
  return fc.string({ unit, maxLength: options.maxLength ?? 200 });
}

/** One event of a batch: a login (imstate or classic, a classic one often with its endpoint as its session) or a logout. */
export function batchEntryArbitrary(): fc.Arbitrary<BatchEntry> {
  const login = fc
    .record({ name: nameArbitrary(), endpoint: endpointArbitrary(), session: idArbitrary(), imstate: fc.boolean(), ownSession: fc.boolean() })
    .map(({ ownSession, ...user }): BatchEntry => ({
      type: 'login',
      ...user,
      // A classic user's session is its endpoint, which the batch leaves out.
      session: !user.imstate && !ownSession ? formatEndpoint(user.endpoint) : user.session,
    }));
  const logout = fc.record({
    type: fc.constant('logout' as const),
    name: nameArbitrary(),
    session: idArbitrary(),
    reason: fc.constantFrom<LeaveReason>('logout', 'expired', 'replaced'),
  });
  return fc.oneof(login, logout);
}

/** An arbitrary for each message type, each producing only valid messages of that type. */
export const messageArbitraries: { readonly [K in MessageType]: fc.Arbitrary<Extract<Message, { type: K }>> } = {
  login: fc
    .record({
      type: fc.constant('login'),
      name: nameArbitrary(),
      endpoint: endpointArbitrary(),
      values: extensionValuesArbitrary(),
      extensions: fc.array(extensionFieldArbitrary(), { maxLength: 3 }),
    })
    .map(({ values, ...message }) => ({ ...message, ...values })),
  logout: fc
    .record({
      type: fc.constant('logout'),
      name: nameArbitrary(),
      endpoint: endpointArbitrary(),
      values: extensionValuesArbitrary(),
      extensions: fc.array(extensionFieldArbitrary(), { maxLength: 3 }),
    })
    .map(({ values, ...message }) => ({ ...message, ...values })),
  Accept: fc
    .record({
      type: fc.constant('Accept'),
      tcpPort: fc.integer({ min: 1, max: 65535 }),
      values: extensionValuesArbitrary(),
      extensions: fc.array(extensionFieldArbitrary(), { maxLength: 3 }),
    })
    .map(({ values, ...message }) => ({ ...message, ...values })),
  talk: fc.record({ type: fc.constant('talk'), time: timeArbitrary(), name: nameArbitrary(), text: talkTextArbitrary() }),
  rtalk: fc.record({
    type: fc.constant('rtalk'),
    id: idArbitrary(),
    time: timeArbitrary(),
    name: nameArbitrary(),
    text: talkTextArbitrary(),
  }),
  receipt: fc.record({ type: fc.constant('receipt'), id: idArbitrary(), name: nameArbitrary() }),
  ping: fc.record({ type: fc.constant('ping'), name: nameArbitrary(), session: idArbitrary() }),
  pong: fc.record({ type: fc.constant('pong'), seq: fc.maxSafeNat() }),
  unknown: fc.record({ type: fc.constant('unknown'), name: nameArbitrary() }),
  Refuse: fc.record({ type: fc.constant('Refuse'), reason: talkTextArbitrary({ maxLength: 80 }) }),
  batch: fc.record({
    type: fc.constant('batch'),
    first: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER - 64 }),
    entries: fc.array(batchEntryArbitrary(), { minLength: 1, maxLength: 12 }),
  }),
};

/** Valid messages of every type, or of the types asked for. */
export function messageArbitrary(options: { types?: readonly MessageType[] } = {}): fc.Arbitrary<Message> {
  const types = options.types ?? (Object.keys(messageArbitraries) as MessageType[]);
  return fc.oneof(...types.map((type): fc.Arbitrary<Message> => messageArbitraries[type]));
}

/** Valid classic user lists (possibly empty, duplicate names possible, as the original allows). */
export function userListArbitrary(options: { maxEntries?: number } = {}): fc.Arbitrary<ListEntry[]> {
  return fc.array(fc.record({ name: nameArbitrary(), endpoint: endpointArbitrary() }), { maxLength: options.maxEntries ?? 20 });
}

/** Valid list extensions, with and without `heartbeatMs`; classic entries with and without a session of their own. */
export function listExtensionArbitrary(): fc.Arbitrary<ListExtension> {
  const user: fc.Arbitrary<ListExtensionUser> = fc.oneof(
    fc.record({ session: idArbitrary(), imstate: fc.boolean() }),
    fc.constant({ imstate: false }),
  );
  return fc.record(
    { seq: fc.maxSafeNat(), users: fc.array(user, { maxLength: 20 }), heartbeatMs: fc.integer({ min: 1, max: 600_000 }) },
    { requiredKeys: ['seq', 'users'] },
  );
}

/**
 * imstate's appended fields: `key=value` text after the fields a classic party reads, which the original ignores
 * (its client reads fields 1–3 of `login`/`logout` and field 2 of `Accept`; its server forwards a login verbatim).
 * The codec decodes the known keys once, here, into the message's typed fields ({@link ExtensionValues}); every
 * other field is kept verbatim in `extensions`, so nothing it does not know is lost or changed.
 *
 * The keys in use:
 * - on a peer's `login`: `imstate=1` (it understands the extensions), `session=<id>` (this login's session);
 * - on `Accept`: `imstate=1`, `hb=<heartbeat interval in ms>`, `seq=<the log's latest sequence number>`;
 * - on a `login` forwarded to an imstate peer: `imstate=1` when the joining user is an imstate peer, `seq=<n>`,
 *   `session=<id>`;
 * - on a `logout` forwarded to an imstate peer: `seq=<n>`, `session=<id>`, `reason=logout|expired|replaced`;
 * - on a peer's own `logout`: `session=<id>`, and `secret=<s>` when its `Accept` carried one;
 * - on an imstate peer's `login`: `batch=1` (it reads batch datagrams);
 * - on `Accept` to an imstate peer: `secret=<s>`, the session secret (never broadcast or listed);
 * - on a `ping`: `secret=<s>`, the same secret;
 * - on the replaced notice to a replaced imstate peer (only there): `by=<endpoint>`, the login that replaced it.
 *
 * One validator per field, shared by decoding and encoding: a known key with a value its validator refuses, or a
 * known key twice, fails the datagram with `bad-field` (imstate wrote it, so it should be right). Known fields are
 * written first, in the order `imstate`, `hb`, `seq`, `session`, `reason`, `batch`, `secret`, `by`; the others follow in
 * their order.
 * @module
 */
import { formatEndpoint, parseEndpoint, validateEndpoint } from './endpoint.js';
import { validateExtensionField, validateId } from './field.js';
import type { ExtensionValues, LeaveReason } from './message.js';
import { fail, ok, quote, type Result } from './result.js';

/** The keys of the known extension fields, by meaning. */
export const extensionKeys = {
  /** `imstate=1`: the sender (or the joining user) understands imstate's extensions. */
  imstate: 'imstate',
  /** `hb=<ms>`: the server expects a `ping` this often. */
  heartbeat: 'hb',
  /** `seq=<n>`: the presence log's sequence number. */
  seq: 'seq',
  /** `session=<id>`: one login of a name. */
  session: 'session',
  /** `reason=logout|expired|replaced`: why a user left. */
  reason: 'reason',
  /** `batch=1`: the peer reads batched presence datagrams. */
  batch: 'batch',
  /** `secret=<s>`: the session secret, from `Accept` to the peer only, and back on its `logout` and `ping`. */
  secret: 'secret',
  /** `by=<endpoint>`: on a replaced notice, the endpoint of the login that replaced the session. */
  by: 'by',
} as const;

const seqPattern = /^(?:0|[1-9]\d{0,15})$/;
const positivePattern = /^[1-9]\d{0,15}$/;
const leaveReasons: readonly LeaveReason[] = ['logout', 'expired', 'replaced'];

/** Reads a presence sequence number: decimal, no sign or leading zero, 0 up to 2^53 − 1. Code `bad-field`. */
export function parseSeq(text: string): Result<number> {
  const seq = seqPattern.test(text) ? Number(text) : NaN;
  return Number.isSafeInteger(seq) ? ok(seq) : fail('bad-field', `the sequence number ${quote(text)} is not a whole number`);
}

/** Writes a presence sequence number, refusing one that is not a whole number ≥ 0. Code `bad-field`. */
export function formatSeq(seq: number): Result<string> {
  return Number.isSafeInteger(seq) && seq >= 0 ? ok(String(seq)) : fail('bad-field', `the sequence number ${seq} is not a whole number ≥ 0`);
}

/** How one known field is read from its text and written back; each refuses what the other would not give back. */
interface FieldCodec<K extends keyof ExtensionValues> {
  readonly key: string;
  readonly field: K;
  readonly read: (text: string) => Result<NonNullable<ExtensionValues[K]>>;
  readonly write: (value: NonNullable<ExtensionValues[K]>) => Result<string>;
}

/** A `key=1|0` flag. */
const flag = <K extends 'imstate' | 'batch'>(key: string, field: K): FieldCodec<K> => ({
  key,
  field,
  read: (text) => (text === '1' ? ok(true) : text === '0' ? ok(false) : fail('bad-field', `${key}=${quote(text)} is neither 1 nor 0`)),
  write: (value) => (typeof value === 'boolean' ? ok(value ? '1' : '0') : fail('bad-field', `${key} is not a boolean`)),
});

const imstate = flag(extensionKeys.imstate, 'imstate');
const batch = flag(extensionKeys.batch, 'batch');

const heartbeat: FieldCodec<'heartbeatMs'> = {
  key: extensionKeys.heartbeat,
  field: 'heartbeatMs',
  read: (text) => {
    const ms = positivePattern.test(text) ? Number(text) : NaN;
    return Number.isSafeInteger(ms) ? ok(ms) : fail('bad-field', `hb=${quote(text)} is not a whole number of milliseconds ≥ 1`);
  },
  write: (ms) => (Number.isSafeInteger(ms) && ms >= 1 ? ok(String(ms)) : fail('bad-field', `the heartbeat ${ms} ms is not a whole number ≥ 1`)),
};

const seq: FieldCodec<'seq'> = { key: extensionKeys.seq, field: 'seq', read: parseSeq, write: formatSeq };

const session: FieldCodec<'session'> = {
  key: extensionKeys.session,
  field: 'session',
  read: (text) => validateId(text, 'session'),
  write: (id) => validateId(id, 'session'),
};

const isLeaveReason = (text: string): text is LeaveReason => (leaveReasons as readonly string[]).includes(text);

const reason: FieldCodec<'reason'> = {
  key: extensionKeys.reason,
  field: 'reason',
  read: (text) => (isLeaveReason(text) ? ok(text) : fail('bad-field', `reason=${quote(text)} is not logout, expired or replaced`)),
  write: (value) => (isLeaveReason(value) ? ok(value) : fail('bad-field', `the reason ${quote(String(value))} is not logout, expired or replaced`)),
};

const secret: FieldCodec<'secret'> = {
  key: extensionKeys.secret,
  field: 'secret',
  read: (text) => validateId(text, 'secret'),
  write: (value) => validateId(value, 'secret'),
};

const by: FieldCodec<'by'> = {
  key: extensionKeys.by,
  field: 'by',
  read: (text) => {
    const endpoint = parseEndpoint(text);
    return endpoint.ok ? endpoint : fail('bad-field', `by=${quote(text)}: ${endpoint.error.reason}`);
  },
  write: (endpoint) => {
    const valid = validateEndpoint(endpoint);
    return valid.ok ? ok(formatEndpoint(valid.value)) : fail('bad-field', `by: ${valid.error.reason}`);
  },
};

/** The known fields, in the order they are written. */
const known = [imstate, heartbeat, seq, session, reason, batch, secret, by] as const;
const byKey: ReadonlyMap<string, FieldCodec<keyof ExtensionValues>> = new Map(
  known.map((codec) => [codec.key, codec as unknown as FieldCodec<keyof ExtensionValues>]),
);

/** The key of a `key=value` field; undefined for a field without `=`. */
const keyOf = (field: string): string | undefined => {
  const equals = field.indexOf('=');
  return equals < 0 ? undefined : field.slice(0, equals);
};

/** Appended fields, decoded: the known ones as typed values, the others verbatim and in order. */
export interface DecodedExtensions {
  readonly values: ExtensionValues;
  readonly others: readonly string[];
}

/**
 * Decodes appended fields. Fails with `bad-field` for a field holding `,` or control characters, a known key whose
 * value its validator refuses, or a known key given twice. Never throws.
 */
export function decodeExtensions(fields: readonly string[]): Result<DecodedExtensions> {
  const values: Record<string, unknown> = {};
  const others: string[] = [];
  for (const field of fields) {
    const checked = validateExtensionField(field);
    if (!checked.ok) return checked;
    const key = keyOf(field);
    const codec = key === undefined ? undefined : byKey.get(key);
    if (codec === undefined) {
      others.push(field);
      continue;
    }
    if (codec.field in values) return fail('bad-field', `the extension ${codec.key}= is given twice`);
    const value = codec.read(field.slice(codec.key.length + 1));
    if (!value.ok) return value;
    values[codec.field] = value.value;
  }
  return ok({ values: values as ExtensionValues, others });
}

/**
 * Encodes typed extension values and the other fields: known fields first (in a fixed order, skipping absent ones),
 * then the others verbatim. Fails with `bad-field` for a value its validator refuses, or an other field that holds
 * `,` or control characters or has a known key (it would read back as the typed field).
 */
export function encodeExtensions(values: ExtensionValues, others: readonly string[]): Result<string[]> {
  const fields: string[] = [];
  for (const codec of known) {
    const value = values[codec.field];
    if (value === undefined) continue;
    const text = (codec.write as (value: unknown) => Result<string>)(value);
    if (!text.ok) return text;
    fields.push(`${codec.key}=${text.value}`);
  }
  for (const field of others) {
    const checked = validateExtensionField(field);
    if (!checked.ok) return checked;
    const key = keyOf(field);
    if (key !== undefined && byKey.has(key)) {
      return fail('bad-field', `the field ${quote(field)} has a known key: give it as the message's typed field`);
    }
    fields.push(field);
  }
  return ok(fields);
}

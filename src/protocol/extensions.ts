/**
 * imstate's appended fields: `key=value` text after the fields a classic party reads, which the original ignores
 * (its client reads fields 1–3 of `login`/`logout` and field 2 of `Accept`; its server forwards a login verbatim).
 *
 * The keys in use:
 * - on a peer's `login`: `imstate=1` (it understands the extensions), `session=<id>` (this login's session);
 * - on `Accept`: `imstate=1`, `hb=<heartbeat interval in ms>`, `seq=<the log's latest sequence number>`;
 * - on a `login` forwarded to an imstate peer: `seq=<n>`, `session=<id>`, and `imstate=1` when the joining user is
 *   an imstate peer;
 * - on a `logout` forwarded to an imstate peer: `seq=<n>`, `session=<id>`, `reason=logout|expired|replaced`;
 * - on a peer's own `logout`: `session=<id>`.
 *
 * Values may not contain `,` or control characters: encoding refuses them with `bad-field`.
 * @module
 */

/** The keys of the known extension fields, by meaning. */
export const extensionKeys = {
  /** `imstate=1`: the sender (or the joining user) understands imstate's extensions. */
  imstate: 'imstate',
  /** `session=<id>`: one login of a name. */
  session: 'session',
  /** `hb=<ms>`: the server expects a `ping` this often. */
  heartbeat: 'hb',
  /** `seq=<n>`: the presence log's sequence number. */
  seq: 'seq',
  /** `reason=logout|expired|replaced`: why a user left. */
  reason: 'reason',
} as const;

/** Reads `key=value` fields into a map: fields without `=` are ignored, and the first field with a key wins. */
export function readExtensions(fields: readonly string[]): ReadonlyMap<string, string> {
  const values = new Map<string, string>();
  for (const field of fields) {
    const equals = field.indexOf('=');
    if (equals < 0) continue;
    const key = field.slice(0, equals);
    if (!values.has(key)) values.set(key, field.slice(equals + 1));
  }
  return values;
}

/**
 * Writes `key=value` fields in the order given, skipping undefined values; `true`/`false` become `1`/`0`.
 * Validation happens when the message is encoded.
 */
export function extensionFields(values: Readonly<Record<string, string | number | boolean | undefined>>): string[] {
  const fields: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const text = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
    fields.push(`${key}=${text}`);
  }
  return fields;
}

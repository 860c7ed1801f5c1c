/**
 * The bounds the codec enforces, so that no datagram, list or TCP string can make a party allocate without limit.
 * @module
 */

/** Every bound of the codec; each function takes a `Partial<CodecLimits>` and fills the rest from {@link defaultLimits}. */
export interface CodecLimits {
  /** Longest user name, in characters (Unicode code points, so 剑痴 is 2 and 👍 is 1). Default 64. */
  readonly maxNameLength: number;
  /** Largest datagram, in bytes: the most one UDP/IPv4 datagram can carry. Default 65507. */
  readonly maxDatagramBytes: number;
  /** Most entries in one user list (classic list or list extension). Default 1,000,000. */
  readonly maxListEntries: number;
  /**
   * Largest BinaryWriter string accepted from a TCP stream, in UTF-8 bytes. Default: what a list of `maxListEntries`
   * of the longest entries takes ({@link listStringBytes}), so that the list's bound is its number of entries.
   */
  readonly maxStringBytes: number;
}

/** The most UTF-8 bytes an endpoint's text takes on the wire (`[` IPv6 with scope `]:65535`), generously. */
const maxEndpointBytes = 128;

/**
 * The most UTF-8 bytes a user list of `maxListEntries` entries can take: each entry a longest name (4 bytes a code
 * point), `,`, an endpoint and `;`, then `end`. The compact list extension's entries (a flag and a session id of at
 * most 64 characters) are shorter, and its header is a few dozen bytes.
 */
export const listStringBytes = (limits: Pick<CodecLimits, 'maxListEntries' | 'maxNameLength'>): number =>
  limits.maxListEntries * (4 * limits.maxNameLength + 1 + maxEndpointBytes + 1) + 256;

const base = { maxNameLength: 64, maxDatagramBytes: 65_507, maxListEntries: 1_000_000 };

/** The limits used wherever none are given. */
export const defaultLimits: CodecLimits = Object.freeze({ ...base, maxStringBytes: listStringBytes(base) });

/**
 * Fills what `limits` leaves out from {@link defaultLimits}; returns the defaults themselves when nothing is given.
 * `maxStringBytes`, when not given, follows the `maxListEntries` and `maxNameLength` given.
 */
export const resolveLimits = (limits?: Partial<CodecLimits>): CodecLimits => {
  if (limits === undefined || limits === defaultLimits) return defaultLimits;
  const filled = { ...defaultLimits, ...limits };
  return limits.maxStringBytes === undefined ? { ...filled, maxStringBytes: listStringBytes(filled) } : filled;
};

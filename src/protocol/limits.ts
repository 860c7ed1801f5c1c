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
  /** Most entries in one user list (classic list or list extension). Default 100,000. */
  readonly maxListEntries: number;
  /** Largest BinaryWriter string accepted from a TCP stream, in UTF-8 bytes. Default 1 MiB. */
  readonly maxStringBytes: number;
}

/** The limits used wherever none are given. */
export const defaultLimits: CodecLimits = Object.freeze({
  maxNameLength: 64,
  maxDatagramBytes: 65_507,
  maxListEntries: 100_000,
  maxStringBytes: 1024 * 1024,
});

/** Fills what `limits` leaves out from {@link defaultLimits}; returns the defaults themselves when nothing is given. */
export const resolveLimits = (limits?: Partial<CodecLimits>): CodecLimits =>
  limits === undefined || limits === defaultLimits ? defaultLimits : { ...defaultLimits, ...limits };

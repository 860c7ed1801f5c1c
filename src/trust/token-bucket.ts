/**
 * Per-source token buckets: each source (an IP address) may spend `burst` tokens at once and earns `perSecond` back,
 * so a flood from one source runs dry while every other source keeps its own full bucket.
 *
 * Pure: time is a parameter (`now`, in ms), never read from a clock, so the server machine can ask with the time the
 * engine stamped on a datagram and a test can step it. The table is a Map owned by one actor and mutated in place,
 * as the session directory's is: copying it per datagram would cost O(sources) exactly where a flood arrives. It is
 * bounded: past `maxSources` the source seen least recently is forgotten (it starts again with a full bucket), so
 * spraying from many addresses cannot grow memory without limit.
 * @module
 */

/** How a bucket fills and how many sources a table remembers. */
export interface BucketOptions {
  /** Tokens a source can spend at once (the bucket's size). */
  readonly burst: number;
  /** Tokens earned back per second. */
  readonly perSecond: number;
  /** Sources remembered at most; the least recently seen is forgotten first. */
  readonly maxSources: number;
}

/** One source's bucket: the tokens it had at `at` (ms). */
export interface Bucket {
  readonly tokens: number;
  readonly at: number;
}

/** The tokens `bucket` holds at `now`: what it had plus what it earned since, never more than `burst`. */
export const tokensAt = (bucket: Bucket | undefined, now: number, options: Pick<BucketOptions, 'burst' | 'perSecond'>): number => {
  if (bucket === undefined) return options.burst;
  const earned = (Math.max(0, now - bucket.at) * options.perSecond) / 1000;
  return Math.min(options.burst, bucket.tokens + earned);
};

/** A table of buckets by source. */
export interface TokenBuckets {
  /** Whether `source` could spend one token at `now` (changes nothing: for a guard). */
  has(source: string, now: number): boolean;
  /** Spends one token of `source` at `now`; false (and nothing spent) when its bucket is empty. */
  take(source: string, now: number): boolean;
  /** How many sources are remembered. */
  readonly size: number;
  readonly options: BucketOptions;
}

/** Creates an empty {@link TokenBuckets}. */
export const createTokenBuckets = (options: BucketOptions): TokenBuckets => {
  const buckets = new Map<string, Bucket>();
  return {
    options,
    get size() {
      return buckets.size;
    },
    has: (source, now) => tokensAt(buckets.get(source), now, options) >= 1,
    take(source, now) {
      const tokens = tokensAt(buckets.get(source), now, options);
      if (tokens < 1) return false;
      // Delete then set: the Map's order is then least recently seen first, which is what eviction takes.
      buckets.delete(source);
      buckets.set(source, { tokens: tokens - 1, at: now });
      while (buckets.size > options.maxSources) {
        const oldest = buckets.keys().next();
        if (oldest.done === true) break;
        buckets.delete(oldest.value);
      }
      return true;
    },
  };
};

/**
 * Named counters an engine keeps for `stats()`: datagrams in and out, rejections by reason, logins and so on.
 * @module
 */

/** A bag of counters that only go up. */
export interface Counters {
  /** Adds `by` (default 1) to `name`. */
  add(name: string, by?: number): void;
  /** A copy of every counter. */
  read(): Readonly<Record<string, number>>;
}

/** Creates an empty {@link Counters}. */
export const createCounters = (): Counters => {
  const values = new Map<string, number>();
  return {
    add(name, by = 1) {
      values.set(name, (values.get(name) ?? 0) + by);
    },
    read: () => Object.fromEntries(values),
  };
};

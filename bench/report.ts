/**
 * The shape every benchmark reports in, so that `npm run bench` prints one table and writes one `bench/results.json`.
 * @module
 */

/** One measured figure, always beside the raw baseline it is compared to. */
export interface BenchRow {
  /** What was measured, for a person, e.g. `presence update @10k users`. */
  readonly name: string;
  /**
   * The figure's stable name in `bench/results.json` (`list-fetch-1k-c32`): what a script or a later run compares.
   * Default: {@link figureName} of `name`.
   */
  readonly figure?: string;
  /** The figure, in `unit`. */
  readonly value: number;
  readonly unit: string;
  /** The raw baseline's value, in the same unit, measured in the same run. */
  readonly baseline?: number;
  /** value ÷ baseline (or the reverse where smaller is better, as `note` says); undefined when there is none. */
  readonly ratio?: number;
  /** The target, as a person reads it: `ratio ≥ 0.5`, `≤ 2048 bytes`. */
  readonly target?: string;
  /** What the ratio means, e.g. `vs raw dgram server, 64 in flight`. */
  readonly note?: string;
}

/** What a benchmark is told: whether to run short (`npm run bench -- --quick`). */
export interface BenchContext {
  /** True for `--quick`: fewer sizes and shorter rounds, the whole run in under two minutes. */
  readonly quick: boolean;
}

/** A benchmark module's default export. */
export type Bench = (context: BenchContext) => Promise<readonly BenchRow[]>;

/** A row's name as a results.json name: lower case, words joined by `-` (`heap per user @100000` → `heap-per-user-100000`). */
export const figureName = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

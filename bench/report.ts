/**
 * The shape every benchmark reports in, so that `npm run bench` prints one table.
 * @module
 */

/** One measured figure, always beside the raw baseline it is compared to. */
export interface BenchRow {
  /** What was measured, e.g. `presence update @10k users`. */
  readonly name: string;
  /** The figure, in `unit`. */
  readonly value: number;
  readonly unit: string;
  /** value ÷ baseline (or the reverse where smaller is better, as `note` says); undefined when there is none. */
  readonly ratio?: number;
  /** What the ratio means and what the target is, e.g. `vs raw dgram server; target ≥ 0.25`. */
  readonly note?: string;
}

/** A benchmark module's default export. */
export type Bench = () => Promise<readonly BenchRow[]>;

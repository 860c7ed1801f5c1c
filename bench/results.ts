/**
 * `bench/results.json`: every figure of one `npm run bench`, as data, with the machine it ran on:
 * `{ machine, figures: [{ name, value, unit, baseline?, ratio?, target? }] }`. A benchmark adds figures by returning
 * rows (bench/report.ts); anything else that measures (a cluster run, say) adds one with {@link addFigure}.
 * @module
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { writeFileSync } from 'node:fs';
import { figureName, type BenchRow } from './report.js';

/** One figure as results.json holds it. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: number;
  readonly ratio?: number;
  readonly target?: string;
  /** What the ratio means and how it was measured. */
  readonly note?: string;
}

/** The machine a run was measured on (benchmarks share it with whatever else runs: `load` says how busy it was). */
export interface Machine {
  readonly cpus: number;
  readonly model: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  /** The 1-minute load average when the run started and when it ended. */
  readonly load: { readonly start: number; readonly end?: number };
  readonly date: string;
  readonly quick: boolean;
}

/** Everything one run measured. */
export interface Results {
  readonly machine: Machine;
  readonly figures: Figure[];
}

/** The machine this process runs on, now. */
export const describeMachine = (quick: boolean): Machine => ({
  cpus: cpus().length,
  model: cpus()[0]?.model.trim() ?? 'unknown',
  memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  load: { start: Math.round((loadavg()[0] ?? 0) * 100) / 100 },
  date: new Date().toISOString(),
  quick,
});

/** Starts an empty set of results for `machine`. */
export const createResults = (machine: Machine): Results => ({ machine, figures: [] });

const round = (value: number): number => (Math.abs(value) >= 100 ? Math.round(value) : Number(value.toPrecision(4)));

/**
 * Adds one figure (a benchmark row, or anything of that shape): its `name` is the row's `figure`, else the row's
 * name made into a results.json name. A figure of the same name replaces the earlier one.
 */
export const addFigure = (results: Results, row: BenchRow | Figure): void => {
  const name = 'figure' in row && row.figure !== undefined ? row.figure : figureName(row.name);
  const figure: Figure = {
    name,
    value: round(row.value),
    unit: row.unit,
    ...(row.baseline === undefined ? {} : { baseline: round(row.baseline) }),
    ...(row.ratio === undefined ? {} : { ratio: Number(row.ratio.toPrecision(3)) }),
    ...(row.target === undefined ? {} : { target: row.target }),
    ...(row.note === undefined ? {} : { note: row.note }),
  };
  const at = results.figures.findIndex((f) => f.name === name);
  if (at >= 0) results.figures[at] = figure;
  else results.figures.push(figure);
};

/** The results with the load average at the end of the run stamped on the machine. */
export const finishResults = (results: Results): Results => ({
  machine: { ...results.machine, load: { ...results.machine.load, end: Math.round((loadavg()[0] ?? 0) * 100) / 100 } },
  figures: results.figures,
});

/** Writes `results` as pretty JSON to `path`. */
export const writeResults = (results: Results, path: string): void => {
  writeFileSync(path, JSON.stringify(results, null, 2) + '\n');
};

/** The results as a Markdown table (for the README): figure, value, baseline, ratio, target. */
export const resultsTable = (results: Results): string => {
  const m = results.machine;
  const lines = [
    `Measured ${m.date.slice(0, 16).replace('T', ' ')} UTC on ${m.cpus} × ${m.model}, ${m.memoryGiB} GiB, Node ${m.node}` +
      ` (load average ${m.load.start}${m.load.end === undefined ? '' : ` → ${m.load.end}`}${m.quick ? ', --quick' : ''}):`,
    '',
    '| figure | value | raw baseline | ratio | target |',
    '| --- | ---: | ---: | ---: | --- |',
  ];
  for (const f of results.figures) {
    const show = (v: number | undefined): string => (v === undefined ? '' : `${v.toLocaleString('en')}`);
    lines.push(`| \`${f.name}\` | ${show(f.value)} ${f.unit} | ${show(f.baseline)} | ${show(f.ratio)} | ${f.target ?? ''} |`);
  }
  return lines.join('\n');
};

/**
 * `npm run bench`: runs every bench/*.bench.ts (or those named on the command line), prints one table, and writes
 * every figure to `bench/results.json` (bench/results.ts). A full run of all of them also puts the table in the
 * README, between its `bench:results` markers (bench/readme-table.ts, also `npm run bench:readme` on its own).
 * `--quick` runs each benchmark short (the whole run in under two minutes) and leaves the README's table as it is.
 * @module
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { Bench, BenchRow } from './report.js';
import { writeReadmeTable } from './readme-table.js';
import { addFigure, createResults, describeMachine, finishResults, writeResults } from './results.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const wanted = args.filter((arg) => !arg.startsWith('--'));
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();

const format = (row: BenchRow): string => {
  const value = row.value >= 100 ? row.value.toFixed(0) : row.value.toPrecision(3);
  const ratio = row.ratio === undefined ? '' : `  ratio ${row.ratio.toFixed(3)}`;
  const target = row.target === undefined ? '' : `  [target ${row.target}]`;
  return `  ${row.name.padEnd(48)} ${value.padStart(10)} ${row.unit.padEnd(10)}${ratio}${target}${row.note ? `  (${row.note})` : ''}`;
};

const results = createResults(describeMachine(quick));
const started = performance.now();
const failed: string[] = [];
for (const file of files) {
  const bench = (await import(pathToFileURL(join(here, file)).href)) as { default: Bench };
  console.log(`\n${file}`);
  try {
    for (const row of await bench.default({ quick })) {
      console.log(format(row));
      addFigure(results, row);
    }
  } catch (error) {
    // One benchmark that fails (a browser that timed out on a loaded machine) must not lose every other figure.
    failed.push(file);
    console.error(`  ${file} failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
}
const done = finishResults(results);
writeResults(done, join(here, 'results.json'));
console.log(`\nwrote bench/results.json (${done.figures.length} figures) in ${((performance.now() - started) / 1000).toFixed(0)} s`);

if (failed.length > 0) {
  console.error(`\n${failed.length} benchmark(s) failed: ${failed.join(', ')}; the README table is left as it was`);
  process.exitCode = 1;
} else if (wanted.length === 0 && !quick) {
  if (writeReadmeTable(done, join(here, '..', 'README.md'))) console.log('updated the README table (bench/readme-table.ts)');
}

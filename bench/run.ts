/**
 * `npm run bench`: runs every bench/*.bench.ts (or those named on the command line), prints one table, and writes
 * every figure to `bench/results.json` (bench/results.ts). A run of all of them also puts the table in the README,
 * between its `bench:results` markers. `--quick` runs each benchmark short (the whole run in under two minutes).
 * @module
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { Bench, BenchRow } from './report.js';
import { addFigure, createResults, describeMachine, finishResults, resultsTable, writeResults } from './results.js';

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
for (const file of files) {
  const bench = (await import(pathToFileURL(join(here, file)).href)) as { default: Bench };
  console.log(`\n${file}`);
  for (const row of await bench.default({ quick })) {
    console.log(format(row));
    addFigure(results, row);
  }
}
const done = finishResults(results);
writeResults(done, join(here, 'results.json'));
console.log(`\nwrote bench/results.json (${done.figures.length} figures) in ${((performance.now() - started) / 1000).toFixed(0)} s`);

if (wanted.length === 0) {
  const readme = join(here, '..', 'README.md');
  const text = readFileSync(readme, 'utf8');
  const block = /(<!-- bench:results -->\n)[\s\S]*?(\n<!-- \/bench:results -->)/;
  if (block.test(text)) {
    writeFileSync(readme, text.replace(block, (_, open: string, close: string) => `${open}${resultsTable(done)}${close}`));
    console.log('updated the README table');
  }
}

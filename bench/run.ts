/**
 * `npm run bench`: runs every bench/*.bench.ts (or those named on the command line) and prints one table.
 * @module
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { Bench, BenchRow } from './report.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();

const format = (row: BenchRow): string => {
  const value = row.value >= 100 ? row.value.toFixed(0) : row.value.toPrecision(3);
  const ratio = row.ratio === undefined ? '' : `  ratio ${row.ratio.toFixed(3)}`;
  return `  ${row.name.padEnd(48)} ${value.padStart(10)} ${row.unit.padEnd(10)}${ratio}${row.note ? `  (${row.note})` : ''}`;
};

for (const file of files) {
  const bench = (await import(pathToFileURL(join(here, file)).href)) as { default: Bench };
  console.log(`\n${file}`);
  for (const row of await bench.default()) console.log(format(row));
}

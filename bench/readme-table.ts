/**
 * The README's bench table, generated from `bench/results.json`: `npm run bench:readme` (or `npm run bench`, which
 * calls it after a full run) replaces whatever is between the README's `<!-- bench:results -->` markers with the
 * table of {@link resultsTable}, headed by the machine the figures were measured on. Nothing in that block is
 * written by hand.
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resultsTable, type Results } from './results.js';

// The block may be empty (the two markers on consecutive lines).
const BLOCK = /(<!-- bench:results -->\n)[\s\S]*?(<!-- \/bench:results -->)/;

/** `readme` with its bench block holding the table of `results`; undefined when it has no bench block. */
export const withResultsTable = (readme: string, results: Results): string | undefined =>
  BLOCK.test(readme) ? readme.replace(BLOCK, (_, open: string, close: string) => `${open}${resultsTable(results)}\n${close}`) : undefined;

/** Reads results.json (must have `machine` and `figures`); throws a sentence for a person on anything else. */
export const readResults = (path: string): Results => {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Results>;
  if (typeof parsed !== 'object' || parsed === null || typeof parsed.machine !== 'object' || !Array.isArray(parsed.figures)) {
    throw new Error(`${path} is not a bench results file ({ machine, figures })`);
  }
  return parsed as Results;
};

/** Rewrites the bench block of the README at `readmePath` from `results`; false when the README has no block. */
export const writeReadmeTable = (results: Results, readmePath: string): boolean => {
  const next = withResultsTable(readFileSync(readmePath, 'utf8'), results);
  if (next === undefined) return false;
  writeFileSync(readmePath, next);
  return true;
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const [resultsPath = join(here, 'results.json'), readmePath = join(here, '..', 'README.md')] = process.argv.slice(2);
  const results = readResults(resultsPath);
  if (!writeReadmeTable(results, readmePath)) {
    console.error(`${readmePath} has no <!-- bench:results --> block`);
    process.exitCode = 1;
  } else {
    console.log(`wrote the table of ${results.figures.length} figures (${results.machine.date}) into ${readmePath}`);
  }
}

/**
 * The README's bench table is generated, never edited: its `bench:results` block is exactly what
 * bench/readme-table.ts makes of the committed bench/results.json, which names the machine it ran on and holds the
 * figures the project promises.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readResults, withResultsTable } from '../../bench/readme-table.js';
import { resultsTable, type Results } from '../../bench/results.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const results = readResults(join(root, 'bench', 'results.json'));

const sample: Results = {
  machine: { cpus: 2, model: 'Test CPU', memoryGiB: 4, node: 'v20.0.0', platform: 'linux-x64', load: { start: 1, end: 2 }, date: '2026-01-01T10:00:00.000Z', quick: false },
  figures: [{ name: 'talk-rate', value: 1000, unit: 'delivered/s', baseline: 4000, ratio: 0.25, target: 'ratio ≥ 0.4' }],
};

describe('README bench table', () => {
  it('is the table of bench/results.json (npm run bench:readme)', () => {
    expect(withResultsTable(readme, results)).toBe(readme);
  });

  it('comes from a run that measured every promised figure, on a machine it names', () => {
    const names = results.figures.map((figure) => figure.name);
    for (const name of ['list-fetch-1k-c32', 'list-fetch-100k', 'talk-rate', 'talk-latency-p99', 'memory-per-user-100k-active']) {
      expect(names, name).toContain(name);
    }
    expect(results.machine.cpus).toBeGreaterThan(0);
    expect(readme).toContain(`on ${results.machine.cpus} × ${results.machine.model}`);
  });

  it('replaces only the block, and heads the table with the machine', () => {
    const text = 'intro\n<!-- bench:results -->\nold\n<!-- /bench:results -->\nafter\n';
    const next = withResultsTable(text, sample);
    expect(next).toBe(`intro\n<!-- bench:results -->\n${resultsTable(sample)}\n<!-- /bench:results -->\nafter\n`);
    expect(next).toContain('2 × Test CPU, 4 GiB, Node v20.0.0');
    expect(next).toContain('| `talk-rate` | 1,000 delivered/s | 4,000 | 0.25 | ratio ≥ 0.4 |');
    expect(withResultsTable('no block here', sample)).toBeUndefined();
  });
});

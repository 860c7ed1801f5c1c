/**
 * `npm start` builds only when a source is newer than the built entry point: the real scripts/start.mjs runs in a
 * small package of its own (a temporary folder) whose `build` script counts its runs and whose "built" entry point
 * prints the arguments it was started with, so nothing of this repository's dist is touched.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

// The build writes the entry point (which prints its arguments) and counts how often it ran.
const BUILD = `import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
mkdirSync('dist/src/cli', { recursive: true });
writeFileSync('dist/src/cli/main.js', "console.log('started with ' + process.argv.slice(2).join(' '));\\n");
appendFileSync('builds.txt', 'built\\n');
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'imstate-start-'));
  mkdirSync(join(dir, 'scripts'));
  copyFileSync(join(root, 'scripts/start.mjs'), join(dir, 'scripts/start.mjs'));
  for (const folder of ['src', 'machines']) mkdirSync(join(dir, folder));
  writeFileSync(join(dir, 'src/main.ts'), 'export {};\n');
  writeFileSync(join(dir, 'machines/peer.machine.ts'), 'export {};\n');
  writeFileSync(join(dir, 'tsconfig.json'), '{}\n');
  writeFileSync(join(dir, 'build.mjs'), BUILD);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'start-probe', private: true, type: 'module', scripts: { build: 'node build.mjs' } }));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const start = async (...args: string[]) => {
  const { stdout } = await run(process.execPath, [join(dir, 'scripts/start.mjs'), ...args], { cwd: dir, timeout: 60_000 });
  return stdout;
};
const builds = () => readFileSync(join(dir, 'builds.txt'), 'utf8').split('\n').filter(Boolean).length;
/** Sets a file's modification time to `seconds` since the epoch: the test decides which is newer, no clock waits. */
const stamp = (path: string, seconds: number) => utimesSync(join(dir, path), seconds, seconds);
const stampSources = (seconds: number) => {
  for (const path of ['src', 'src/main.ts', 'machines', 'machines/peer.machine.ts', 'tsconfig.json', 'package.json']) stamp(path, seconds);
};

describe('npm start', () => {
  it('builds when there is no dist, then starts the server console with the arguments given', async () => {
    expect(await start('--port', '0')).toContain('started with server --port 0');
    expect(builds()).toBe(1);
  });

  it('does not build again while dist is newer than every source', async () => {
    await start();
    stampSources(1_000_000);
    stamp('dist/src/cli/main.js', 2_000_000);
    expect(await start('--port', '0')).toContain('started with server --port 0');
    expect(await start()).toContain('started with server');
    expect(builds()).toBe(1);
  });

  it('builds again when one source (deep in src or machines, or package.json) is newer than dist', async () => {
    await start();
    for (const newer of ['src/main.ts', 'machines/peer.machine.ts', 'package.json']) {
      stampSources(1_000_000);
      stamp('dist/src/cli/main.js', 2_000_000);
      stamp(newer, 3_000_000);
      const before = builds();
      await start();
      expect(builds(), newer).toBe(before + 1);
    }
  });
});

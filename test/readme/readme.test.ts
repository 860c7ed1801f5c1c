/**
 * The README's promises, checked: the embedding example runs exactly as written (importing 'imstate' by name, as a
 * user would), and the two commands at the top are the ones `.ci/run` and package.json really provide.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const run = promisify(execFile);

/** The fenced block that follows `<!-- readme-example: name -->`. */
const example = (name: string): string => {
  const marker = `<!-- readme-example: ${name} -->`;
  const at = readme.indexOf(marker);
  expect(at, `README has no ${marker}`).toBeGreaterThanOrEqual(0);
  const match = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  expect(match, `no ts block after ${marker}`).not.toBeNull();
  return match![1]!;
};

describe('README', () => {
  it('starts with the install-and-run command and the test command, and CI runs that test command', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(firstBlock).toMatch(/^npm ci && npm start\b/m);
    expect(firstBlock).toMatch(/^npm test\b/m);
    expect(readFileSync(join(root, '.ci/run'), 'utf8')).toMatch(/^npm test$/m);
    const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
      .scripts;
    // npm start runs the server console, building first only when a source is newer than dist.
    expect(scripts.start).toBe('node scripts/start.mjs');
    expect(readFileSync(join(root, 'scripts/start.mjs'), 'utf8')).toMatch(/\[built, 'server'/);
    expect(scripts.test).toContain('vitest run');
  });

  const runExample = async (name: string): Promise<string> => {
    // Inside the package but not under node_modules, so that `import 'imstate'` resolves to this package by its own
    // name (Node's self-reference), as it would for a user; the `source` condition points it at the TypeScript.
    const dir = join(root, '.readme-examples');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${name}.mts`);
    writeFileSync(file, example(name));
    const { stdout } = await run(process.execPath, ['--conditions=source', '--import', 'tsx', file], {
      cwd: root,
      timeout: 30_000,
    });
    return stdout;
  };

  it('runs the embedding example as written, over real loopback sockets', async () => {
    const stdout = await runExample('embed');
    expect(stdout).toContain('bob got "hello, bob — 你好" from alice');
    expect(stdout).toContain("alice's message was delivered");
  });

  it('runs the inspector example as written', async () => {
    const stdout = await runExample('inspect');
    expect(stdout).toMatch(/open http:\/\/127\.0\.0\.1:\d+\//);
  });
});

#!/usr/bin/env node
// `npm start`: build only when a source file (src/, machines/, the build's tsconfig or package.json) is newer than
// dist/src/cli/main.js, then run the server console with the arguments given (`npm start -- --port 0`).
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'dist/src/cli/main.js');

const newest = (path) => {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), stat.mtimeMs);
};

const sources = ['src', 'machines', 'tsconfig.json', 'tsconfig.build.json', 'package.json'].map((p) => newest(join(root, p)));
const builtAt = statSync(built, { throwIfNoEntry: false })?.mtimeMs ?? 0;
if (Math.max(...sources) > builtAt) {
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const server = spawn(process.execPath, [built, 'server', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
// The console handles its own stop signals; this wrapper only passes them on and leaves with the console's code.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));

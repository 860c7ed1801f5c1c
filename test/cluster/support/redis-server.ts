/**
 * A real `redis-server` per suite: on a free port, in a temporary folder, with no persistence (`--save ''
 * --appendonly no`), so a restart comes back empty. Stopped by its PID; the folder is removed.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoreAddress } from '../../../src/engine/redis/store-url.js';

/** A running redis-server the test owns. */
export interface TestRedis {
  readonly address: StoreAddress;
  readonly url: string;
  /** Kills it (SIGKILL, so nothing is saved) and starts it again, empty, on the same port. */
  restartEmpty(): Promise<void>;
  /** Kills it and removes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

const launch = (port: number, dir: string): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start on ${port}: ${out}`)), 10_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not run redis-server (apt-get install redis-server): ${error.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${String(code)}: ${out}`));
    });
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
  });

const kill = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGKILL');
  await exited;
};

/** Starts a redis-server for one suite. */
export const startRedis = async (): Promise<TestRedis> => {
  const dir = mkdtempSync(join(tmpdir(), 'imstate-redis-'));
  const port = await freePort();
  let child = await launch(port, dir);
  let stopped = false;
  return {
    address: { host: '127.0.0.1', port, db: 0 },
    url: `redis://127.0.0.1:${port}`,
    async restartEmpty() {
      await kill(child);
      child = await launch(port, dir);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await kill(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

/**
 * A peer in a child process (test/engine/fixtures/crash-peer.ts), so that a test can kill it with SIGKILL: the one
 * honest way to make a peer vanish without a logout, with no test hook in the public API.
 * @module
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WAIT_MS } from './harness.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/crash-peer.ts', import.meta.url));

/** A running child peer. */
export interface ChildPeer {
  /** Resolves with the child's UDP endpoint once it is online; rejects if it exits first or takes too long. */
  readonly online: Promise<string>;
  /** SIGKILL, as a crash or a pulled plug; resolves once the process has exited. Safe to call twice. */
  kill(): Promise<void>;
}

/** Starts a peer named `name` of `server` in a child process. */
export const spawnChildPeer = (server: string, name: string): ChildPeer => {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, server, name], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const online = new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`the child peer ${name} was not online after ${WAIT_MS} ms: ${stderr}`)), WAIT_MS);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const line = stdout.split('\n', 1)[0];
      if (stdout.includes('\n') && line !== undefined) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { endpoint: string }).endpoint);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the child peer ${name} exited (${code ?? signal}) before it was online: ${stderr}`));
    });
  });
  online.catch(() => undefined);
  return {
    online,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
};

/**
 * The bench's side of bench/cluster/server-process.ts: starts one server process, asks it things over its stdin and
 * reads its JSON answers off its stdout, and ends it by its PID (asked to stop first, killed if it does not).
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ServerProcessConfig } from './server-process.js';

const script = fileURLToPath(new URL('./server-process.ts', import.meta.url));
/** The repository root: where `--import tsx` finds tsx. */
const root = fileURLToPath(new URL('../../', import.meta.url));

/** A running server process. */
export interface ServerProcess {
  readonly pid: number;
  /** The log's seq once its share of the users was written. */
  readonly loaded: number;
  /** Starts the server on its log; resolves with its UDP port. */
  start(): Promise<number>;
  /** The server's counters. */
  stats(): Promise<Record<string, number>>;
  /** Asks it to stop; kills it by PID (SIGKILL) if it has not exited within `graceMs`. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

const TIMEOUT_MS = 120_000;

/** Starts a server process; resolves once it has written its share of the users. */
export const startServerProcess = async (config: ServerProcessConfig): Promise<ServerProcess> => {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(config)], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start a server process');
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let ended = false;
  void exited.then(() => (ended = true));
  const waiting: ((message: Record<string, unknown>) => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      waiting.shift()?.(JSON.parse(line) as Record<string, unknown>);
    } catch {
      stderr += `\nunreadable line from the server process: ${line}`;
    }
  });
  /** The next answer, or an error naming the process's last words if it exits or falls silent first. */
  const next = (): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server process ${pid} did not answer: ${stderr}`)), TIMEOUT_MS);
      void exited.then(() => reject(new Error(`server process ${pid} exited: ${stderr}`)));
      waiting.push((message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  const ask = (line: string): Promise<Record<string, unknown>> => {
    const answer = next();
    child.stdin?.write(`${line}\n`);
    return answer;
  };
  const kill = async (graceMs: number): Promise<void> => {
    if (ended) return;
    if (child.stdin?.writable === true) child.stdin.write('stop\n');
    const timer = setTimeout(() => {
      if (!ended) process.kill(pid, 'SIGKILL');
    }, graceMs);
    await exited;
    clearTimeout(timer);
  };
  try {
    const { loaded } = (await next()) as { loaded: number };
    return {
      pid,
      loaded,
      start: async () => ((await ask('start')) as { ready: { udpPort: number } }).ready.udpPort,
      stats: async () => ((await ask('stats')) as { stats: Record<string, number> }).stats,
      stop: (graceMs = 5_000) => kill(graceMs),
    };
  } catch (error) {
    await kill(0);
    throw error;
  }
};

/**
 * Runs `imstate` as a real process (through tsx, from the sources) and reads its JSON lines, with bounded waits
 * for expected lines instead of sleeps. Every process started here is killed by {@link killAll}.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { fileURLToPath } from 'node:url';
import type { JsonLine } from '../../../src/cli/json/lines.js';

/** The repository root, where `node --import tsx src/cli/main.ts` runs. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The command line that runs the CLI from the sources. */
export const CLI = [process.execPath, '--import', 'tsx', 'src/cli/main.ts'] as const;

/** How long a test waits for one expected thing before it fails with what it saw. */
export const WAIT_MS = 20_000;

const running = new Set<ChildProcess>();

/** A running `imstate ... --json` process. */
export interface JsonProcess {
  readonly lines: readonly JsonLine[];
  stderr(): string;
  /** The first line matching `match`, printed already or still to come; fails after `ms` or if the process exits. */
  next<T extends JsonLine>(what: string, match: (line: JsonLine) => line is T, ms?: number): Promise<T>;
  next(what: string, match: (line: JsonLine) => boolean, ms?: number): Promise<JsonLine>;
  send(line: string): void;
  /** Closes stdin (end of input). */
  end(): void;
  /** Sends SIGINT, as Ctrl-C in a terminal does. */
  interrupt(): void;
  /** SIGKILL, as a crash or a pulled plug: nothing of the process runs after it. Resolves once it has exited. */
  kill(): Promise<void>;
  /** Resolves with the exit code (or the signal's name) once the process has exited; fails after `ms`. */
  exit(ms?: number): Promise<number | string>;
}

/** Starts `imstate <args>`; the caller passes `--json`. */
export const spawnJson = (args: readonly string[], env: NodeJS.ProcessEnv = {}): JsonProcess => spawnLines([...CLI, ...args], env);

/** Starts a helper script of the tests (a TypeScript file run by tsx) that prints JSON lines too. */
export const spawnScript = (script: string, args: readonly string[] = [], env: NodeJS.ProcessEnv = {}): JsonProcess =>
  spawnLines([process.execPath, '--import', 'tsx', script, ...args], env);

const spawnLines = (argv: readonly string[], env: NodeJS.ProcessEnv): JsonProcess => {
  const [node, ...nodeArgs] = argv as [string, ...string[]];
  const args = nodeArgs;
  const child = spawn(node, nodeArgs, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  const lines: JsonLine[] = [];
  let stdout = '';
  let stderr = '';
  let exited: number | string | undefined;
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
    for (let at = stdout.indexOf('\n'); at !== -1; at = stdout.indexOf('\n')) {
      const text = stdout.slice(0, at);
      stdout = stdout.slice(at + 1);
      try {
        lines.push(JSON.parse(text) as JsonLine);
      } catch {
        lines.push({ type: 'error', message: `not JSON on stdout: ${text}`, fatal: false });
      }
    }
    notify();
  });
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdin.on('error', () => undefined);
  child.on('exit', (code, signal) => {
    exited = code ?? signal ?? 'unknown';
    running.delete(child);
    notify();
  });

  const waitFor = <T>(what: string, check: () => T | undefined, ms: number, failOnExit: boolean): Promise<T> =>
    new Promise((resolve, reject) => {
      const finish = (error?: Error, value?: T) => {
        clearTimeout(timer);
        listeners.delete(listener);
        if (error !== undefined) reject(error);
        else resolve(value as T);
      };
      const describe = () =>
        `${what} (imstate ${args.join(' ')})\n--- lines ---\n${lines.map((l) => JSON.stringify(l)).join('\n')}\n--- stderr ---\n${stderr}`;
      const listener = () => {
        const value = check();
        if (value !== undefined) finish(undefined, value);
        else if (failOnExit && exited !== undefined) finish(new Error(`exited (${exited}) before: ${describe()}`));
      };
      const timer = setTimeout(() => finish(new Error(`timed out after ${ms} ms waiting for: ${describe()}`)), ms);
      listeners.add(listener);
      listener();
    });

  return {
    lines,
    stderr: () => stderr,
    next: (what: string, match: (line: JsonLine) => boolean, ms = WAIT_MS) => waitFor(what, () => lines.find(match), ms, true),
    send: (line) => {
      child.stdin.write(`${line}\n`);
    },
    end: () => {
      child.stdin.end();
    },
    interrupt: () => {
      child.kill('SIGINT');
    },
    kill: async () => {
      if (exited === undefined) child.kill('SIGKILL');
      await waitFor('the killed process to exit', () => exited, WAIT_MS, false);
    },
    exit: (ms = WAIT_MS) => waitFor('the process to exit', () => exited, ms, false),
  } as JsonProcess;
};

/** Kills every process still running (SIGKILL) and waits until they are gone. */
export const killAll = async (): Promise<void> => {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) {
            resolve();
            return;
          }
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  running.clear();
};

/** A UDP port on 127.0.0.1 that nothing listens on (bound, read, closed). */
export const unusedUdpPort = async (): Promise<number> => {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
};

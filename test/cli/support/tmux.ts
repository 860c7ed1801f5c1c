/**
 * A private tmux server for looking at the terminal screens as a person would: start a command in a session of a
 * given size, type into it, read the screen, wait (bounded) for text to appear, read the exit status.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, WAIT_MS } from './processes.js';

/** One private tmux server (its own socket), killed by {@link Tmux.close}. */
export interface Tmux {
  /** Starts `command` (argv) in a new session named `name`, `columns`×`rows`, with extra environment (the history
   * of chat clients goes to `stateHome`). */
  start(name: string, command: readonly string[], options?: { columns?: number; rows?: number; env?: Record<string, string> }): void;
  /** The screen as text; with `escapes`, with its colour and style sequences. */
  screen(name: string, escapes?: boolean): string;
  /** Resolves with the screen once `check` accepts it; fails after `ms` with the last screen. */
  waitFor(name: string, what: string, check: (screen: string) => boolean, ms?: number): Promise<string>;
  /** tmux key names: `Enter`, `Tab`, `BTab`, `C-c`, `Up`... */
  keys(name: string, ...keys: string[]): void;
  /** Types `text` literally. */
  type(name: string, text: string): void;
  /** Pastes `text` as a terminal paste does (one write; line breaks as Enter), however long it is. */
  paste(name: string, text: string): void;
  /** The command's exit status once it has ended, or undefined while it runs. */
  exitStatus(name: string): number | undefined;
  close(): void;
  /** The XDG_STATE_HOME every command started here sees (inside the temporary folder). */
  readonly stateHome: string;
}

const quote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`;

/** Starts a private tmux server whose socket lives in a fresh temporary folder, removed by close(). */
export const createTmux = (): Tmux => {
  // A fresh socket each time: kill-server returns before the old server has exited, and a client that reaches a
  // dying server fails with "server exited unexpectedly".
  const dir = mkdtempSync(join(tmpdir(), 'imstate-tmux-'));
  const socket = join(dir, 'socket');
  // tmux 3.3 sometimes leaves a pane's process unreaped (no exit status for a long while), so the shell that
  // runs each command writes the status to a file instead.
  const statusFile = (name: string) => join(dir, `${name}.status`);
  // The screens run as in a person's terminal: colour is decided per test (NO_COLOR), and no CI variable is seen,
  // since ink then draws only the last frame and chalk no colour at all.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !['NO_COLOR', 'FORCE_COLOR', 'CI', 'CONTINUOUS_INTEGRATION'].includes(key) && !key.startsWith('CI_'),
    ),
  );
  env['TERM'] = 'xterm-256color';
  // The chat client's history goes into this temporary folder, never into the home of whoever runs the tests.
  env['XDG_STATE_HOME'] = join(dir, 'state');
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-S', socket, '-f', '/dev/null', ...args], { encoding: 'utf8', env });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  const api: Tmux = {
    start(name, command, options = {}) {
      const extra = Object.entries(options.env ?? {}).map(([key, value]) => `${key}=${quote(value)}`);
      const line = `cd ${quote(ROOT)} && env ${extra.join(' ')} ${command.map(quote).join(' ')}; echo $? > ${quote(statusFile(name))}`;
      tmux(
        'new-session', '-d', '-s', name,
        '-x', String(options.columns ?? 120), '-y', String(options.rows ?? 30),
        line,
        ';', 'set-option', '-t', name, 'remain-on-exit', 'on',
      );
    },
    screen: (name, escapes = false) => tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', name),
    async waitFor(name, what, check, ms = WAIT_MS) {
      const deadline = Date.now() + ms;
      let last = '';
      // Polling the screen is the only way to see it; each look is bounded and the whole wait is too.
      while (Date.now() < deadline) {
        last = api.screen(name);
        if (check(last)) return last;
        await sleep(100);
      }
      throw new Error(`timed out after ${ms} ms waiting for ${what}; the screen was:\n${last}`);
    },
    keys: (name, ...keys) => {
      tmux('send-keys', '-t', name, ...keys);
    },
    type: (name, text) => {
      tmux('send-keys', '-t', name, '-l', text);
    },
    paste: (name, text) => {
      const file = join(dir, 'paste.txt');
      writeFileSync(file, text);
      tmux('load-buffer', '-b', 'paste', file);
      tmux('paste-buffer', '-b', 'paste', '-d', '-t', name);
    },
    exitStatus(name) {
      try {
        const text = readFileSync(statusFile(name), 'utf8').trim();
        return text === '' ? undefined : Number(text);
      } catch {
        return undefined;
      }
    },
    stateHome: join(dir, 'state'),
    close() {
      try {
        tmux('kill-server');
      } catch {
        // Already gone: every session ended and the server exited by itself.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return api;
};

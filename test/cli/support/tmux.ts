/**
 * A private tmux server for looking at the terminal screens as a person would: start a command in a session of a
 * given size, type into it, read the screen, wait (bounded) for text to appear, read the exit status.
 */
import { execFileSync } from 'node:child_process';
import { ROOT, WAIT_MS } from './processes.js';

/** One private tmux server (its own socket), killed by {@link Tmux.close}. */
export interface Tmux {
  /** Starts `command` (argv) in a new session named `name`, `columns`×`rows`, with extra environment. */
  start(name: string, command: readonly string[], options?: { columns?: number; rows?: number; env?: Record<string, string> }): void;
  /** The screen as text; with `escapes`, with its colour and style sequences. */
  screen(name: string, escapes?: boolean): string;
  /** Resolves with the screen once `check` accepts it; fails after `ms` with the last screen. */
  waitFor(name: string, what: string, check: (screen: string) => boolean, ms?: number): Promise<string>;
  /** tmux key names: `Enter`, `Tab`, `BTab`, `C-c`, `Up`... */
  keys(name: string, ...keys: string[]): void;
  /** Types `text` literally. */
  type(name: string, text: string): void;
  /** The exit status once the command has ended, or undefined while it runs. */
  exitStatus(name: string): number | undefined;
  close(): void;
}

const quote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`;

/** True when tmux can be run here. */
export const haveTmux = (): boolean => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** Starts using a private tmux socket named after this process. */
export const createTmux = (): Tmux => {
  const socket = `imstate-test-${process.pid}`;
  // ink draws only the last frame when it thinks it runs in CI: the screens under test run as in a terminal.
  // Colour is decided per test (NO_COLOR), not inherited from whatever runs the tests.
  const { NO_COLOR: _noColour, FORCE_COLOR: _forceColour, ...inherited } = process.env;
  const env = { ...inherited, CI: '0', TERM: 'xterm-256color' };
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8', env });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  const api: Tmux = {
    start(name, command, options = {}) {
      const extra = Object.entries(options.env ?? {}).map(([key, value]) => `${key}=${quote(value)}`);
      const line = `cd ${quote(ROOT)} && exec env ${extra.join(' ')} ${command.map(quote).join(' ')}`;
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
    exitStatus(name) {
      const [dead, status] = tmux('display-message', '-p', '-t', name, '#{pane_dead} #{pane_dead_status}').trim().split(' ');
      return dead === '1' ? Number(status) : undefined;
    },
    close() {
      try {
        tmux('kill-server');
      } catch {
        // Already gone: every session ended and the server exited by itself.
      }
    },
  };
  return api;
};

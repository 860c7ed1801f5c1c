/**
 * What both terminal runners need: the streams ink draws on, whether keys can be read, and an exit that happens
 * once however many ways ask for it (a key, a signal, a failure).
 * @module
 */
import type { CliIo } from '../io.js';

/** The streams handed to ink's render(), and whether stdin is a terminal that raw mode works on. */
export interface RenderTarget {
  readonly interactive: boolean;
  readonly streams: {
    readonly stdin: NodeJS.ReadStream;
    readonly stdout: NodeJS.WriteStream;
    readonly stderr: NodeJS.WriteStream;
  };
}

/** The process's streams as ink expects them. */
export const renderTarget = (io: CliIo): RenderTarget => {
  const stdin = io.stdin as NodeJS.ReadStream;
  return {
    interactive: stdin.isTTY === true,
    streams: { stdin, stdout: io.stdout as NodeJS.WriteStream, stderr: io.stderr as NodeJS.WriteStream },
  };
};

/** An exit reached once: the first `settle(code)` runs `cleanup`, then `done` resolves with that code. */
export interface SettleOnce {
  readonly done: Promise<number>;
  settle(code: number): void;
}

/** Builds a {@link SettleOnce} around `cleanup` (which must not throw). */
export const settleOnce = (cleanup: () => Promise<void>): SettleOnce => {
  let settled = false;
  let resolve: (code: number) => void = () => undefined;
  const done = new Promise<number>((r) => {
    resolve = r;
  });
  return {
    done,
    settle(code) {
      if (settled) return;
      settled = true;
      void cleanup().then(() => resolve(code));
    },
  };
};

/**
 * The command's contact with its process: the three streams, the stop signals, and stdin read as lines.
 * Passed in rather than taken from `process` so that the line modes can run inside a test.
 * @module
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/** Streams and signals of one run of the command. */
export interface CliIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Calls `handler` on Ctrl-C or a termination request; returns a function that stops listening. */
  onStopSignal(handler: () => void): () => void;
}

/** The real process: SIGINT (Ctrl-C outside raw mode), SIGTERM and SIGHUP (terminal closed) all mean "stop cleanly". */
export const processIo = (): CliIo => ({
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  onStopSignal(handler) {
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    for (const signal of signals) process.on(signal, handler);
    return () => {
      for (const signal of signals) process.off(signal, handler);
    };
  },
});

/** Reading stdin line by line; `close()` stops reading without reporting an end of input. */
export interface LineReader {
  close(): void;
}

/**
 * Calls `onLine` for every line of `input` and `onEnd` once when input ends (EOF), not when closed by us.
 * Lines arrive in order; a final line without a newline still counts.
 */
export const readLines = (input: Readable, onLine: (line: string) => void, onEnd: () => void): LineReader => {
  const reader = createInterface({ input, crlfDelay: Infinity, terminal: false });
  let closedByUs = false;
  reader.on('line', onLine);
  reader.on('close', () => {
    if (!closedByUs) onEnd();
  });
  return {
    close() {
      if (closedByUs) return;
      closedByUs = true;
      reader.close();
    },
  };
};

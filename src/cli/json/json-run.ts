/**
 * What the server's and the peer's JSON line modes share: the writer, stop-once, stdin commands, and the signals.
 * A run ends exactly once, through {@link JsonRun.stop}, whatever asked first (`/quit`, EOF, Ctrl-C, a failure).
 * @module
 */
import { parseCommand, type Command } from '../commands.js';
import { readLines, type CliIo, type LineReader } from '../io.js';
import { EXIT_USAGE } from '../exit-codes.js';
import { createLineWriter, errorLine, type LineWriter } from './lines.js';

/** One run of a JSON line mode. */
export interface JsonRun {
  readonly out: LineWriter;
  /** Resolves with the exit code once the run has stopped and its output is flushed. */
  readonly exited: Promise<number>;
  /** True once stop() was called. */
  isStopping(): boolean;
  /** Ends the run: waits for tracked work, cleans up, prints `error` (if given) as the last line, exits `code`. */
  stop(code: number, error?: string): void;
  /** Reads commands from stdin (call once ready); blank lines are skipped, end of input stops with 0. */
  listen(onCommand: (command: Exclude<Command, { kind: 'empty' }>) => void): void;
  /** Work that stop() lets finish first, such as a `/msg` being sent just before `/quit`. */
  track(work: Promise<unknown>): void;
}

/** Starts a run; `cleanup` closes the engine handle and is called once, after tracked work settles. */
export const createJsonRun = (io: CliIo, cleanup: () => Promise<void>): JsonRun => {
  const out = createLineWriter(io.stdout);
  const pending = new Set<Promise<unknown>>();
  let reader: LineReader | undefined;
  let stopping = false;
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => {
    resolveExit = resolve;
  });

  const stop = (code: number, error?: string): void => {
    if (stopping) return;
    stopping = true;
    offSignal();
    reader?.close();
    void (async () => {
      await Promise.allSettled([...pending]);
      try {
        await cleanup();
      } catch (cause) {
        // Closing is best effort; the exit code already says how the run went.
        out.write(errorLine(`while closing: ${cause instanceof Error ? cause.message : String(cause)}`, false));
      }
      // Last, so that a script reading the output can take the final line as the reason for the exit code.
      if (error !== undefined) out.write(errorLine(error, true));
      await out.flush();
      resolveExit(code);
    })();
  };
  const offSignal = io.onStopSignal(() => stop(0));

  return {
    out,
    exited,
    isStopping: () => stopping,
    stop,
    listen(onCommand) {
      if (reader !== undefined || stopping) return;
      reader = readLines(
        io.stdin,
        (line) => {
          if (stopping) return;
          const command = parseCommand(line);
          if (command.kind !== 'empty') onCommand(command);
        },
        () => stop(0),
      );
    },
    track(work) {
      const settled = work.then(
        () => undefined,
        () => undefined,
      );
      pending.add(settled);
      void settled.then(() => pending.delete(settled));
    },
  };
};

/** Prints a fatal error line for something refused before starting, and gives the usage exit code. */
export const refuse = async (io: CliIo, message: string): Promise<number> => {
  const out = createLineWriter(io.stdout);
  out.write(errorLine(message, true));
  await out.flush();
  return EXIT_USAGE;
};

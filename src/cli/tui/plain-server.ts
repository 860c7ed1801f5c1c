/**
 * `imstate server` when stdout is not a terminal (redirected to a file, piped to `tee`): no console and no box
 * frames, one plain line per event (`10:41:40 listening on …`), stopped by a signal (or `q`/Ctrl-C when stdin is a
 * terminal, read by line). For machine-readable output there is `--json`.
 * @module
 */
import { Subscription } from 'rxjs';
import type { IndexServerHandle } from '../../engine/types.js';
import { describeError, isFailed, serverOptionsFor, type Engine } from '../engine-api.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import type { ServerCommandOptions } from '../options.js';
import { settleOnce } from './terminal.js';
import { formatClock, formatEndpoint } from './theme.js';

/** Runs the index server printing plain log lines until a stop signal or a failure; resolves the exit code. */
export const runPlainServer = async (engine: Engine, options: ServerCommandOptions, io: CliIo): Promise<number> => {
  const say = (text: string) => io.stderr.write(`imstate server: ${text}\n`);
  const line = (text: string, at = Date.now()) => io.stdout.write(`${formatClock(at)} ${text}\n`);
  let server: IndexServerHandle;
  try {
    server = engine.createIndexServer(serverOptionsFor(options));
  } catch (error) {
    say(describeError(error));
    return EXIT_USAGE;
  }
  const subscriptions = new Subscription();
  let running = false;
  let failure: string | undefined;
  const exit = settleOnce(async () => {
    try {
      await server.stop();
    } catch {
      // Best effort, as in the console.
    }
  });
  subscriptions.add(
    server.state$.subscribe((state) => {
      line(`state: ${state.value}${state.reason === undefined ? '' : ` — ${state.reason}`}`);
      if (running && isFailed(state)) {
        failure = state.reason ?? 'the server failed';
        exit.settle(EXIT_FAILURE);
      }
    }),
  );
  subscriptions.add(server.log$.subscribe((entry) => line(`${entry.level === 'info' ? '' : `${entry.level}: `}${entry.text}`, entry.at)));
  const offSignal = io.onStopSignal(() => exit.settle(EXIT_OK));
  server.start().then(
    (address) => {
      running = true;
      line(`imstate server · UDP ${formatEndpoint(address.host, address.udpPort)} · TCP ${formatEndpoint(address.host, address.tcpPort)} · Ctrl-C stops it`);
    },
    (error: unknown) => {
      failure = describeError(error);
      exit.settle(EXIT_FAILURE);
    },
  );
  const code = await exit.done;
  offSignal();
  subscriptions.unsubscribe();
  if (failure !== undefined) say(failure);
  return code;
};

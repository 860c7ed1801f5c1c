/**
 * `imstate server --json`: starts the index server, then prints one JSON line per event and reads `/users` and
 * `/quit` from stdin. Its counters (every refusal's `rejected.<reason>` among them) come as a `stats` line whenever
 * they changed, checked once a second as the console refreshes them.
 * @module
 */
import { Subscription } from 'rxjs';
import type { IndexServerHandle, ServerAddress } from '../../engine/types.js';
import { describeError, serverOptionsFor, type Engine } from '../engine-api.js';
import { EXIT_FAILURE, EXIT_OK } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import type { ServerCommandOptions } from '../options.js';
import { follow } from './follow.js';
import { createJsonRun, refuse } from './json-run.js';
import { errorLine, serverReadyLine, statsLine, usersLine } from './lines.js';

/** How often the counters are looked at (the console refreshes them as often). */
export const STATS_EVERY_MS = 1_000;

/** Runs the index server in JSON line mode until `/quit`, end of input, a stop signal or a failure. */
export const runServerJson = async (engine: Engine, options: ServerCommandOptions, io: CliIo): Promise<number> => {
  let server: IndexServerHandle;
  try {
    server = engine.createIndexServer(serverOptionsFor(options));
  } catch (error) {
    return refuse(io, describeError(error));
  }

  const subscriptions = new Subscription();
  const run = createJsonRun(io, async () => {
    try {
      await server.stop();
    } finally {
      subscriptions.unsubscribe();
    }
  });
  const { out } = run;
  const following = follow(server, run, subscriptions, 'server');

  let address: ServerAddress;
  try {
    address = await server.start();
  } catch (error) {
    run.stop(EXIT_FAILURE, describeError(error));
    return run.exited;
  }
  if (run.isStopping()) return run.exited;
  following.ready();
  out.write(serverReadyLine(address));
  out.write(usersLine(following.users()));
  // What the start counted is not news; from then on each change is, once a second at most.
  let printed = JSON.stringify(server.stats());
  const printStats = (): void => {
    const counters = server.stats();
    const text = JSON.stringify(counters);
    if (text === printed || run.isStopping()) return;
    printed = text;
    out.write(statsLine(counters));
  };
  const timer = setInterval(printStats, STATS_EVERY_MS);
  subscriptions.add(() => clearInterval(timer));

  run.listen((command) => {
    switch (command.kind) {
      case 'users':
        out.write(usersLine(following.users()));
        return;
      case 'quit':
        run.stop(EXIT_OK);
        return;
      case 'msg':
        out.write(errorLine('the index server does not chat — /msg is a peer command', false));
        return;
      case 'text':
        out.write(errorLine(`not a command: ${JSON.stringify(command.text)} — the server's commands are /users, /quit`, false));
        return;
      case 'bad':
        out.write(errorLine(command.message, false));
        return;
    }
  });
  return run.exited;
};

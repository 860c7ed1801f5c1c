/**
 * `imstate server` in a terminal: starts the index server under its console, stops it cleanly on `q`, Ctrl-C or
 * a termination signal, and leaves a clear sentence on stderr if it cannot start (e.g. the port is in use).
 * @module
 */
import { render } from 'ink';
import { Subscription } from 'rxjs';
import type { IndexServerHandle } from '../../engine/types.js';
import { describeError, isFailed, serverOptionsFor, type Engine } from '../engine-api.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import type { ServerCommandOptions } from '../options.js';
import { initialServerView, serverReducer } from '../view/server-view.js';
import { createViewStore } from '../view/store.js';
import { ServerApp } from './ServerApp.js';
import { renderTarget, settleOnce } from './terminal.js';

/** Runs the server console until asked to stop or the server fails; resolves the exit code. */
export const runServerTui = async (engine: Engine, options: ServerCommandOptions, io: CliIo): Promise<number> => {
  const say = (text: string) => io.stderr.write(`imstate server: ${text}\n`);
  let server: IndexServerHandle;
  try {
    server = engine.createIndexServer(serverOptionsFor(options));
  } catch (error) {
    say(describeError(error));
    return EXIT_USAGE;
  }

  const store = createViewStore(serverReducer, initialServerView);
  const subscriptions = new Subscription();
  let running = false;
  let failure: string | undefined;
  const exit = settleOnce(async () => {
    try {
      await server.stop();
    } catch {
      // Best effort: a server that never started has nothing to close.
    }
  });
  const refreshStats = () => {
    try {
      store.dispatch({ type: 'stats', stats: server.stats() });
    } catch {
      // Counters are a nicety: a server that cannot count yet still runs.
    }
  };

  subscriptions.add(
    server.state$.subscribe((state) => {
      store.dispatch({ type: 'state', state });
      if (running && isFailed(state)) {
        failure = state.reason ?? 'the server failed';
        exit.settle(EXIT_FAILURE);
      }
    }),
  );
  subscriptions.add(
    server.users$.subscribe((users) => {
      store.dispatch({ type: 'users', users });
      refreshStats();
    }),
  );
  subscriptions.add(
    server.log$.subscribe((entry) => {
      store.dispatch({ type: 'log', entry });
      refreshStats();
    }),
  );
  const offSignal = io.onStopSignal(() => exit.settle(EXIT_OK));

  const target = renderTarget(io);
  const app = render(
    <ServerApp
      store={store}
      requested={{ host: options.host, port: options.port }}
      onQuit={() => exit.settle(EXIT_OK)}
      interactive={target.interactive}
    />,
    { ...target.streams, exitOnCtrlC: false },
  );
  server.start().then(
    (address) => {
      running = true;
      store.dispatch({ type: 'started', address });
      refreshStats();
    },
    (error: unknown) => {
      failure = describeError(error);
      exit.settle(EXIT_FAILURE);
    },
  );

  const code = await exit.done;
  offSignal();
  app.unmount();
  await app.waitUntilExit();
  subscriptions.unsubscribe();
  if (failure !== undefined) say(failure);
  return code;
};

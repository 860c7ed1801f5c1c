/**
 * `imstate server` in a terminal: starts the index server under its console, stops it cleanly on `q`, Ctrl-C or
 * a termination signal, and leaves a clear sentence on stderr if it cannot start (e.g. the port is in use). The
 * counters refresh every second; when stdout is not a terminal (a file, a pipe) the console is plain log lines.
 * @module
 */
import type { IndexServerHandle, ServerAddress } from '../../engine/types.js';
import { serverOptionsFor, type Engine } from '../engine-api.js';
import type { CliIo } from '../io.js';
import type { ServerCommandOptions } from '../options.js';
import { initialServerView, serverReducer } from '../view/server-view.js';
import { createViewStore } from '../view/store.js';
import { runPlainServer } from './plain-server.js';
import { runScreen } from './run-screen.js';
import { ServerApp } from './ServerApp.js';

/** How often the counters are read again, even when nothing else happens. */
export const STATS_REFRESH_MS = 1_000;

/** Runs the server console until asked to stop or the server fails; resolves the exit code. */
export const runServerTui = async (engine: Engine, options: ServerCommandOptions, io: CliIo): Promise<number> => {
  if ((io.stdout as NodeJS.WriteStream).isTTY !== true) return runPlainServer(engine, options, io);
  const store = createViewStore(serverReducer, initialServerView);
  let timer: NodeJS.Timeout | undefined;
  return runScreen<IndexServerHandle, ServerAddress>({
    what: 'server',
    io,
    needsKeys: false,
    create: () => engine.createIndexServer(serverOptionsFor(options)),
    onState: (state) => store.dispatch({ type: 'state', state }),
    follow(server, subscriptions) {
      const refresh = () => {
        try {
          store.dispatch({ type: 'stats', stats: server.stats() });
        } catch {
          // Counters are a nicety: a server that cannot count yet still runs.
        }
      };
      subscriptions.add(server.users$.subscribe((users) => store.dispatch({ type: 'users', users })));
      subscriptions.add(server.log$.subscribe((entry) => store.dispatch({ type: 'log', entry })));
      timer = setInterval(refresh, STATS_REFRESH_MS);
      subscriptions.add(() => clearInterval(timer));
    },
    screen: (_server, quit, interactive) => (
      <ServerApp store={store} requested={{ host: options.host, port: options.port }} onQuit={quit} interactive={interactive} />
    ),
    start: (server) => server.start(),
    started(server, address) {
      store.dispatch({ type: 'started', address });
      store.dispatch({ type: 'stats', stats: server.stats() });
    },
    finished: () => clearInterval(timer),
  });
};

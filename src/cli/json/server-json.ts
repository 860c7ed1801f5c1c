/**
 * `imstate server --json`: starts the index server, then prints one JSON line per event and reads `/users` and
 * `/quit` from stdin.
 * @module
 */
import { Subscription } from 'rxjs';
import type { IndexServerHandle, ServerAddress } from '../../engine/types.js';
import type { User } from '../../presence/types.js';
import { describeError, isFailed, serverOptionsFor, type Engine } from '../engine-api.js';
import { EXIT_FAILURE, EXIT_OK } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import type { ServerCommandOptions } from '../options.js';
import { diffUsers } from '../users-diff.js';
import { createJsonRun, refuse } from './json-run.js';
import { errorLine, logLine, serverReadyLine, stateLine, userJoinedLine, userLeftLine, usersLine } from './lines.js';

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
  let running = false;
  let users: readonly User[] = [];

  subscriptions.add(
    server.state$.subscribe((state) => {
      out.write(stateLine(state));
      if (running && isFailed(state)) run.stop(EXIT_FAILURE, state.reason ?? 'the server failed');
    }),
  );
  subscriptions.add(server.log$.subscribe((entry) => out.write(logLine(entry))));
  subscriptions.add(
    server.users$.subscribe((next) => {
      if (running) {
        const { joined, left } = diffUsers(users, next);
        for (const user of left) out.write(userLeftLine(user));
        for (const user of joined) out.write(userJoinedLine(user));
      }
      users = next;
    }),
  );

  let address: ServerAddress;
  try {
    address = await server.start();
  } catch (error) {
    run.stop(EXIT_FAILURE, describeError(error));
    return run.exited;
  }
  if (run.isStopping()) return run.exited;
  running = true;
  out.write(serverReadyLine(address));
  out.write(usersLine(users));

  run.listen((command) => {
    switch (command.kind) {
      case 'users':
        out.write(usersLine(users));
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

/**
 * `imstate peer --json`: logs in, then prints one JSON line per event and reads slash commands from stdin.
 * @module
 */
import { Subscription } from 'rxjs';
import type { PeerHandle } from '../../engine/types.js';
import { COMMAND_USAGE } from '../commands.js';
import { describeError, peerOptionsFor, type Engine } from '../engine-api.js';
import type { CliIo } from '../io.js';
import { EXIT_FAILURE, EXIT_OK } from '../exit-codes.js';
import { nameProblem } from '../name-check.js';
import type { PeerCommandOptions } from '../options.js';
import { follow } from './follow.js';
import { createJsonRun, refuse } from './json-run.js';
import { errorLine, messageLine, peerReadyLine, usersLine } from './lines.js';

/** Runs the peer in JSON line mode until `/quit`, end of input, a stop signal or a failure; resolves the exit code. */
export const runPeerJson = async (engine: Engine, options: PeerCommandOptions, io: CliIo): Promise<number> => {
  const problem = nameProblem(options.name);
  if (problem !== undefined) return refuse(io, problem);
  let peer: PeerHandle;
  try {
    peer = engine.createPeer(peerOptionsFor(options));
  } catch (error) {
    return refuse(io, describeError(error));
  }

  const subscriptions = new Subscription();
  const run = createJsonRun(io, async () => {
    try {
      await peer.stop();
    } finally {
      subscriptions.unsubscribe();
    }
  });
  const { out } = run;
  const following = follow(peer, run, subscriptions, 'peer');
  subscriptions.add(peer.messages$.subscribe((message) => out.write(messageLine(message))));

  try {
    await peer.login();
  } catch (error) {
    run.stop(EXIT_FAILURE, describeError(error));
    return run.exited;
  }
  if (run.isStopping()) return run.exited;
  following.ready();
  out.write(peerReadyLine(options.name, peer.endpoint ?? '', options.server));
  out.write(usersLine(following.users()));

  run.listen((command) => {
    switch (command.kind) {
      case 'msg':
        if (!following.users().some((user) => user.name === command.to)) {
          out.write(errorLine(`${command.to} is not online — /users lists who is`, false));
          return;
        }
        run.track(peer.say(command.to, command.text).catch((error: unknown) => out.write(errorLine(describeError(error), false))));
        return;
      case 'users':
        out.write(usersLine(following.users()));
        return;
      case 'quit':
        run.stop(EXIT_OK);
        return;
      case 'text':
        out.write(errorLine(`not a command: ${JSON.stringify(command.text)} — the commands are ${COMMAND_USAGE.join(', ')}`, false));
        return;
      case 'bad':
        out.write(errorLine(command.message, false));
        return;
    }
  });
  return run.exited;
};

/**
 * `imstate peer --json`: logs in, then prints one JSON line per event and reads slash commands from stdin. A message
 * to someone offline waits in the outbox (`queued`) and goes when they come online; on end of input or `/quit` the
 * peer waits (at most {@link FINAL_STATUS_WAIT_MS}) for every message it is sending to reach its final status, so that
 * a script's `delivered` line always comes before the logout.
 * @module
 */
import { Subscription } from 'rxjs';
import { createOutbox } from '../../engine/outbox.js';
import type { DeliveryStatus, PeerHandle } from '../../engine/types.js';
import { COMMAND_USAGE } from '../commands.js';
import { describeError, peerOptionsFor, type Engine } from '../engine-api.js';
import type { CliIo } from '../io.js';
import { EXIT_FAILURE, EXIT_OK } from '../exit-codes.js';
import { nameProblem } from '../name-check.js';
import type { PeerCommandOptions } from '../options.js';
import { follow } from './follow.js';
import { createJsonRun, refuse } from './json-run.js';
import { errorLine, messageLine, peerReadyLine, usersLine } from './lines.js';

/** The longest wait at exit for a message's final status: past the engine's whole retransmission budget (5 × 1 s). */
export const FINAL_STATUS_WAIT_MS = 15_000;

// Statuses after which nothing more will happen in this run (a queued message waits for its recipient, not for us).
const SETTLED: ReadonlySet<DeliveryStatus> = new Set(['sent', 'delivered', 'failed', 'queued']);

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
  const outbox = createOutbox(peer, options.name);
  const run = createJsonRun(io, async () => {
    // JSON mode keeps no history: what still waits for its recipient is said to be lost, not dropped silently.
    for (const message of outbox.pending()) {
      out.write(errorLine(`not delivered: the message ${message.id} to ${message.to} was still queued (${message.to} did not come online)`, false));
    }
    try {
      await peer.stop();
    } finally {
      subscriptions.unsubscribe();
    }
  });
  const { out } = run;
  const following = follow(peer, run, subscriptions, 'peer');
  subscriptions.add(() => outbox.close());
  const latest = new Map<string, DeliveryStatus>();
  const waiters = new Map<string, () => void>();
  subscriptions.add(
    outbox.messages$.subscribe((message) => {
      out.write(messageLine(message));
      if (message.direction !== 'out') return;
      latest.set(message.id, message.status);
      if (SETTLED.has(message.status)) waiters.get(message.id)?.();
    }),
  );
  /** Resolves once message `id` has settled, or after {@link FINAL_STATUS_WAIT_MS}. */
  const settled = (id: string): Promise<void> =>
    new Promise((resolve) => {
      const status = latest.get(id);
      if (status !== undefined && SETTLED.has(status)) {
        resolve();
        return;
      }
      const timer = setTimeout(done, FINAL_STATUS_WAIT_MS);
      function done() {
        clearTimeout(timer);
        waiters.delete(id);
        resolve();
      }
      waiters.set(id, done);
    });

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
        run.track(
          outbox.send(command.to, command.text).then(settled, (error: unknown) => out.write(errorLine(describeError(error), false))),
        );
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

/**
 * `imstate peer` in a terminal: logs in while the chat client draws, quits by logging out, and leaves a clear
 * sentence on stderr for every failure (unreachable server, port in use, refused login). The name was checked
 * by the caller, before this module and ink were loaded.
 * @module
 */
import { render } from 'ink';
import { Subscription } from 'rxjs';
import type { PeerHandle } from '../../engine/types.js';
import { describeError, isFailed, peerOptionsFor, type Engine } from '../engine-api.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import type { PeerCommandOptions } from '../options.js';
import { chatReducer, initialChatView } from '../view/chat-view.js';
import { createViewStore } from '../view/store.js';
import { ChatApp } from './ChatApp.js';
import { renderTarget, settleOnce } from './terminal.js';

/** Runs the terminal chat client until the user quits or the peer fails; resolves the exit code. */
export const runPeerTui = async (engine: Engine, options: PeerCommandOptions, io: CliIo): Promise<number> => {
  const say = (text: string) => io.stderr.write(`imstate peer: ${text}\n`);
  const target = renderTarget(io);
  if (!target.interactive) {
    say('the chat client needs a terminal to read keys from — use --json to drive it from a script');
    return EXIT_USAGE;
  }
  let peer: PeerHandle;
  try {
    peer = engine.createPeer(peerOptionsFor(options));
  } catch (error) {
    say(describeError(error));
    return EXIT_USAGE;
  }

  const store = createViewStore(chatReducer, initialChatView(options.name));
  const subscriptions = new Subscription();
  let online = false;
  let failure: string | undefined;
  const exit = settleOnce(async () => {
    try {
      await peer.stop();
    } catch {
      // Best effort: the peer may never have opened anything.
    }
  });

  subscriptions.add(
    peer.state$.subscribe((state) => {
      store.dispatch({ type: 'state', state });
      if (online && isFailed(state)) {
        failure = state.reason ?? 'the peer failed';
        exit.settle(EXIT_FAILURE);
      }
    }),
  );
  subscriptions.add(peer.users$.subscribe((users) => store.dispatch({ type: 'users', users })));
  subscriptions.add(peer.messages$.subscribe((message) => store.dispatch({ type: 'message', message })));
  subscriptions.add(peer.log$.subscribe((entry) => store.dispatch({ type: 'log', entry })));
  const offSignal = io.onStopSignal(() => exit.settle(EXIT_OK));

  const app = render(<ChatApp store={store} peer={peer} server={options.server} onQuit={() => exit.settle(EXIT_OK)} />, {
    ...target.streams,
    exitOnCtrlC: false,
  });
  peer.login().then(
    () => {
      online = true;
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

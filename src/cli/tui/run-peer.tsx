/**
 * `imstate peer` in a terminal: logs in while the chat client draws, quits by logging out, and leaves a clear
 * sentence on stderr for every failure (unreachable server, port in use, refused login). The name was checked
 * by the caller, before this module and ink were loaded.
 * @module
 */
import type { PeerHandle } from '../../engine/types.js';
import { peerOptionsFor, type Engine } from '../engine-api.js';
import type { CliIo } from '../io.js';
import type { PeerCommandOptions } from '../options.js';
import { chatReducer, initialChatView } from '../view/chat-view.js';
import { createViewStore } from '../view/store.js';
import { ChatApp } from './ChatApp.js';
import { runScreen } from './run-screen.js';

/** Runs the terminal chat client until the user quits or the peer fails; resolves the exit code. */
export const runPeerTui = async (engine: Engine, options: PeerCommandOptions, io: CliIo): Promise<number> => {
  const store = createViewStore(chatReducer, initialChatView(options.name));
  return runScreen<PeerHandle, void>({
    what: 'peer',
    io,
    needsKeys: true,
    create: () => engine.createPeer(peerOptionsFor(options)),
    onState: (state) => store.dispatch({ type: 'state', state }),
    follow(peer, subscriptions) {
      subscriptions.add(peer.users$.subscribe((users) => store.dispatch({ type: 'users', users })));
      subscriptions.add(peer.messages$.subscribe((message) => store.dispatch({ type: 'message', message })));
      subscriptions.add(peer.log$.subscribe((entry) => store.dispatch({ type: 'log', entry })));
    },
    screen: (peer, quit) => <ChatApp store={store} peer={peer} server={options.server} onQuit={quit} />,
    start: (peer) => peer.login(),
  });
};

/**
 * `imstate peer` in a terminal: logs in while the chat client draws, quits by logging out, and leaves a clear
 * sentence on stderr for every failure (unreachable server, port in use, refused login). The name was checked
 * by the caller, before this module and ink were loaded. Conversations are read back from the history on disk and
 * every message is written to it (unless `--no-history`); messages to someone offline wait in the outbox, which the
 * history keeps too.
 * @module
 */
import { createOutbox, type Outbox } from '../../engine/outbox.js';
import type { ChatMessage, PeerHandle } from '../../engine/types.js';
import { peerOptionsFor, type Engine } from '../engine-api.js';
import { createHistoryStore, type HistoryStore } from '../history/history-store.js';
import type { CliIo } from '../io.js';
import type { PeerCommandOptions } from '../options.js';
import { chatReducer, initialChatView } from '../view/chat-view.js';
import { createViewStore } from '../view/store.js';
import { ChatApp } from './ChatApp.js';
import { runScreen } from './run-screen.js';

/** Outgoing messages read back that never reached a final state: they go back into the outbox. */
export const unfinished = (conversations: ReadonlyMap<string, readonly ChatMessage[]>): ChatMessage[] =>
  [...conversations.values()].flat().filter((m) => m.direction === 'out' && (m.status === 'queued' || m.status === 'sending'));

/** Runs the terminal chat client until the user quits or the peer fails; resolves the exit code. */
export const runPeerTui = async (engine: Engine, options: PeerCommandOptions, io: CliIo): Promise<number> => {
  const store = createViewStore(chatReducer, initialChatView(options.name));
  const report = (text: string) => store.dispatch({ type: 'status', status: { level: 'error', text } });
  const history: HistoryStore | undefined = options.history ? createHistoryStore(options.name, { onProblem: report }) : undefined;
  let outbox: Outbox | undefined;
  return runScreen<PeerHandle, void>({
    what: 'peer',
    io,
    needsKeys: true,
    create: () => engine.createPeer(peerOptionsFor(options)),
    onState: (state) => store.dispatch({ type: 'state', state, at: Date.now() }),
    follow(peer, subscriptions) {
      const box = createOutbox(peer, options.name);
      outbox = box;
      subscriptions.add(() => box.close());
      const loaded = history?.load();
      if (loaded !== undefined) {
        store.dispatch({ type: 'restore', conversations: loaded.conversations });
        if (loaded.problems.length > 0) report(`history: ${loaded.problems.join('; ')}`);
      }
      subscriptions.add(peer.users$.subscribe((users) => store.dispatch({ type: 'users', users })));
      subscriptions.add(
        box.messages$.subscribe((message) => {
          store.dispatch({ type: 'message', message });
          history?.append(message);
        }),
      );
      subscriptions.add(peer.log$.subscribe((entry) => store.dispatch({ type: 'log', entry })));
      if (loaded !== undefined) box.restore(unfinished(loaded.conversations));
    },
    screen: (peer, quit) => (
      <ChatApp
        store={store}
        peer={peer}
        server={options.server}
        send={(to, text) => (outbox === undefined ? peer.say(to, text) : outbox.send(to, text))}
        onQuit={quit}
      />
    ),
    start: (peer) => peer.login(),
  });
};

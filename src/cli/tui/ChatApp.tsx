/**
 * The chat client as a live ink component: draws the store's view, turns key presses into view actions, and
 * hands the effects (say, quit) to the engine and to the runner.
 * @module
 */
import { useInput } from 'ink';
import { useEffect } from 'react';
import type { PeerHandle } from '../../engine/types.js';
import { describeError } from '../engine-api.js';
import type { ChatAction, ChatView } from '../view/chat-view.js';
import type { ViewStore } from '../view/store.js';
import { ChatScreen, paneSize } from './ChatScreen.js';
import { useNow, useTerminalSize, useView } from './hooks.js';
import { interpretInput } from './keys.js';

/** Props of {@link ChatApp}. */
export interface ChatAppProps {
  readonly store: ViewStore<ChatView, ChatAction>;
  readonly peer: PeerHandle;
  readonly server: string;
  /** Says a text (now, or queued in the outbox while the recipient is offline); rejects with the reason it cannot. */
  readonly send: (to: string, text: string) => Promise<unknown>;
  /** Called once the user asked to quit (Ctrl-C or /quit); the runner logs out and unmounts. */
  readonly onQuit: () => void;
}

/** The chat client. */
export const ChatApp = ({ store, peer, server, send, onQuit }: ChatAppProps) => {
  const view = useView(store);
  const { columns, rows } = useTerminalSize();
  // While the server does not answer, the header counts down to the next try.
  const now = useNow(view.state.retry !== undefined);
  // Scrolling pages by the pane's height and wraps at its width: the view learns them from the screen.
  useEffect(() => {
    const { width, height } = paneSize(columns, rows);
    store.dispatch({ type: 'pane', width, height });
  }, [store, columns, rows]);
  useInput((input, key) => {
    // Judged on the store's latest view, not this render's: keys can arrive faster than frames.
    const { actions, effects } = interpretInput(store.current(), input, key);
    for (const action of actions) store.dispatch(action);
    for (const effect of effects) {
      if (effect.kind === 'quit') {
        onQuit();
        continue;
      }
      send(effect.to, effect.text).catch((error: unknown) => {
        store.dispatch({ type: 'status', status: { level: 'error', text: `not sent to ${effect.to}: ${describeError(error)}` } });
      });
    }
  });
  return <ChatScreen view={view} endpoint={peer.endpoint} server={server} columns={columns} rows={rows} now={now} />;
};

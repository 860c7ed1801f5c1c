/**
 * The server console as a live ink component: draws the store's view; keys per ./server-keys.ts (`q` or Ctrl-C asks
 * the runner to stop).
 * @module
 */
import { useInput } from 'ink';
import type { ServerAction, ServerView } from '../view/server-view.js';
import type { ViewStore } from '../view/store.js';
import { useTerminalSize, useView } from './hooks.js';
import { interpretServerKey } from './server-keys.js';
import { ServerScreen } from './ServerScreen.js';

/** Props of {@link ServerApp}. */
export interface ServerAppProps {
  readonly store: ViewStore<ServerView, ServerAction>;
  readonly requested: { readonly host: string; readonly port: number };
  /** Called once the user asked to stop; the runner stops the server and unmounts. */
  readonly onQuit: () => void;
  /** False when stdin is not a terminal: no keys are read (raw mode needs one) and signals stop the server. */
  readonly interactive: boolean;
}

/** The server console. */
export const ServerApp = ({ store, requested, onQuit, interactive }: ServerAppProps) => {
  const view = useView(store);
  const { columns, rows } = useTerminalSize();
  useInput((input, key) => {
    const outcome = interpretServerKey(store.current(), input, key);
    for (const action of outcome.actions) store.dispatch(action);
    if (outcome.quit) onQuit();
  }, { isActive: interactive });
  return <ServerScreen view={view} requested={requested} columns={columns} rows={rows} />;
};

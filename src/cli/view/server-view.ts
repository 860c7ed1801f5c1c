/**
 * The server console's view as a pure reducer: the lifecycle state, the real addresses, the online users and the
 * live log (the original's list box), plus the engine's counters.
 * @module
 */
import type { LifecycleState, LogEntry, ServerAddress } from '../../engine/types.js';
import type { User } from '../../presence/types.js';

/** Everything the server console shows. */
export interface ServerView {
  readonly state: LifecycleState;
  /** Known once start() resolved. */
  readonly address: ServerAddress | undefined;
  readonly users: readonly User[];
  /** Newest last. */
  readonly log: readonly LogEntry[];
  readonly stats: Readonly<Record<string, number>>;
}

/** What changes the server console. */
export type ServerAction =
  | { readonly type: 'state'; readonly state: LifecycleState }
  | { readonly type: 'started'; readonly address: ServerAddress }
  | { readonly type: 'users'; readonly users: readonly User[] }
  | { readonly type: 'log'; readonly entry: LogEntry }
  | { readonly type: 'stats'; readonly stats: Readonly<Record<string, number>> };

/** The console keeps this many log entries; the screen shows the newest that fit. */
export const MAX_SERVER_LOG = 200;

/** The console before the server started. */
export const initialServerView: ServerView = {
  state: { value: 'idle' },
  address: undefined,
  users: [],
  log: [],
  stats: {},
};

/** The reducer: returns the next view; never throws, never mutates `view`. */
export const serverReducer = (view: ServerView, action: ServerAction): ServerView => {
  switch (action.type) {
    case 'state':
      return { ...view, state: action.state };
    case 'started':
      return { ...view, address: action.address };
    case 'users':
      return { ...view, users: action.users };
    case 'log':
      return { ...view, log: [...view.log, action.entry].slice(-MAX_SERVER_LOG) };
    case 'stats':
      return { ...view, stats: action.stats };
  }
};

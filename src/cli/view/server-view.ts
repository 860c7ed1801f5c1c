/**
 * The server console's view as a pure reducer: the lifecycle state, the real addresses, the online users (sorted,
 * filtered, with a cursor that scrolls the list) and the live log (the original's list box), plus the engine's
 * counters.
 * @module
 */
import type { LifecycleState, LogEntry, ServerAddress } from '../../engine/types.js';
import type { User } from '../../presence/types.js';
import { matchesFilter, sortUsers } from './online-list.js';

/** Everything the server console shows. */
export interface ServerView {
  readonly state: LifecycleState;
  /** Known once start() resolved. */
  readonly address: ServerAddress | undefined;
  readonly users: readonly User[];
  /** Newest last. */
  readonly log: readonly LogEntry[];
  readonly stats: Readonly<Record<string, number>>;
  /** The row of the (sorted, filtered) online list the cursor is on; the list scrolls to keep it in view. */
  readonly cursor: number;
  /** Names shown must contain every word of it (typed after `/`). */
  readonly filter: string;
  /** True while `/` has opened the filter for typing (Enter or Esc closes it). */
  readonly filtering: boolean;
}

/** What changes the server console. */
export type ServerAction =
  | { readonly type: 'state'; readonly state: LifecycleState }
  | { readonly type: 'started'; readonly address: ServerAddress }
  | { readonly type: 'users'; readonly users: readonly User[] }
  | { readonly type: 'log'; readonly entry: LogEntry }
  | { readonly type: 'stats'; readonly stats: Readonly<Record<string, number>> }
  | { readonly type: 'move-cursor'; readonly delta: number }
  | { readonly type: 'filter'; readonly filter: string; readonly filtering: boolean };

/** The console keeps this many log entries; the screen shows the newest that fit. */
export const MAX_SERVER_LOG = 200;

/** The console before the server started. */
export const initialServerView: ServerView = {
  state: { value: 'idle' },
  address: undefined,
  users: [],
  log: [],
  stats: {},
  cursor: 0,
  filter: '',
  filtering: false,
};

/** The online list as the console lists it: filtered, then by name (see src/cli/view/online-list.ts). */
export const serverListed = (view: ServerView): User[] => sortUsers(view.users.filter((user) => matchesFilter(user.name, view.filter)));

const clampCursor = (view: ServerView): ServerView => {
  const max = Math.max(0, serverListed(view).length - 1);
  const cursor = Math.max(0, Math.min(max, view.cursor));
  return cursor === view.cursor ? view : { ...view, cursor };
};

/** The reducer: returns the next view; never throws, never mutates `view`. */
export const serverReducer = (view: ServerView, action: ServerAction): ServerView => {
  switch (action.type) {
    case 'state':
      return { ...view, state: action.state };
    case 'started':
      return { ...view, address: action.address };
    case 'users':
      return clampCursor({ ...view, users: action.users });
    case 'log':
      return { ...view, log: [...view.log, action.entry].slice(-MAX_SERVER_LOG) };
    case 'stats':
      return { ...view, stats: action.stats };
    case 'move-cursor':
      return clampCursor({ ...view, cursor: view.cursor + action.delta });
    case 'filter':
      return clampCursor({ ...view, filter: action.filter, filtering: action.filtering, cursor: action.filter === view.filter ? view.cursor : 0 });
  }
};

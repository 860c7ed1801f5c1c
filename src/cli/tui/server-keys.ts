/**
 * The server console's keys, as a pure function: `q` or Ctrl-C stop the server; ↑/↓, PgUp/PgDn, Home/End move
 * through the online list; `/` opens a filter (type part of a name; Enter keeps it, Esc clears it).
 * @module
 */
import type { ServerAction, ServerView } from '../view/server-view.js';
import type { KeyFlags } from './keys.js';

/** What a key does in the console. */
export interface ServerKeyOutcome {
  readonly actions: readonly ServerAction[];
  readonly quit: boolean;
}

/** One line of key help (fits 80 columns). */
export const SERVER_KEY_HELP = 'q or Ctrl-C stop the server · ↑/↓ PgUp/PgDn scroll · / filter · Esc clear it';

const PAGE = 10;
const none: ServerKeyOutcome = { actions: [], quit: false };
const act = (...actions: ServerAction[]): ServerKeyOutcome => ({ actions, quit: false });

/** What one key press does on `view`. */
export const interpretServerKey = (view: ServerView, input: string, key: KeyFlags): ServerKeyOutcome => {
  if (key.ctrl === true && input === 'c') return { actions: [], quit: true };
  if (key.upArrow === true) return act({ type: 'move-cursor', delta: -1 });
  if (key.downArrow === true) return act({ type: 'move-cursor', delta: 1 });
  if (key.pageUp === true) return act({ type: 'move-cursor', delta: -PAGE });
  if (key.pageDown === true) return act({ type: 'move-cursor', delta: PAGE });
  if (key.home === true) return act({ type: 'move-cursor', delta: -Number.MAX_SAFE_INTEGER });
  if (key.end === true) return act({ type: 'move-cursor', delta: Number.MAX_SAFE_INTEGER });
  if (key.escape === true) return act({ type: 'filter', filter: '', filtering: false });
  if (view.filtering) {
    if (key.return === true) return act({ type: 'filter', filter: view.filter, filtering: false });
    if (key.backspace === true || key.delete === true) return act({ type: 'filter', filter: [...view.filter].slice(0, -1).join(''), filtering: true });
    const text = input.replace(/\p{Cc}/gu, '');
    return text === '' || key.ctrl === true || key.meta === true ? none : act({ type: 'filter', filter: view.filter + text, filtering: true });
  }
  if (input === 'q') return { actions: [], quit: true };
  // Keys typed faster than they are read arrive as one chunk: `/bo` opens the filter with `bo` in it.
  if (input.startsWith('/')) return act({ type: 'filter', filter: input.slice(1).replace(/\p{Cc}/gu, ''), filtering: true });
  return none;
};

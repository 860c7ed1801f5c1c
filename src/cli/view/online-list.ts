/**
 * The online list as the screens show it: in a fixed order (people with unread messages first, then by name), narrowed
 * by a filter, and cut to a window of rows that always holds the cursor, with how many rows are left out above and
 * below. Pure, shared by the chat client and the server console, so that the cursor moves over exactly the rows drawn.
 * @module
 */
import type { User } from '../../presence/types.js';

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/**
 * The documented order: users with unread messages first (most unread first), then by name as a person sorts them
 * (case-insensitive, numbers by value, so `user2` comes before `user10`), ties by the exact name.
 */
export const sortUsers = (users: readonly User[], unread: ReadonlyMap<string, number> = new Map()): User[] =>
  [...users].sort((a, b) => {
    const byUnread = (unread.get(b.name) ?? 0) - (unread.get(a.name) ?? 0);
    if (byUnread !== 0) return byUnread;
    const byName = collator.compare(a.name, b.name);
    return byName !== 0 ? byName : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });

/** True when `name` matches the filter: every word of the filter appears in it, ignoring case. Empty matches all. */
export const matchesFilter = (name: string, filter: string): boolean => {
  const words = filter.toLocaleLowerCase().split(/\s+/u).filter((w) => w !== '');
  const lower = name.toLocaleLowerCase();
  return words.every((word) => lower.includes(word));
};

/** A window of a list: the rows to draw and how many were left out before and after them. */
export interface ListWindow<T> {
  readonly rows: readonly T[];
  /** Index of the first drawn row in the whole list. */
  readonly start: number;
  readonly above: number;
  readonly below: number;
}

/**
 * The rows of `items` to draw in `height` lines so that `cursor` (an index, or -1 for none) is on screen. The lines
 * that say `↑ N more` / `…and N more` are counted in `height`: what is returned fits exactly.
 */
export const listWindow = <T>(items: readonly T[], cursor: number, height: number): ListWindow<T> => {
  const lines = Math.max(1, Math.floor(height));
  if (items.length <= lines) return { rows: items, start: 0, above: 0, below: 0 };
  const at = Math.max(0, Math.min(items.length - 1, cursor));
  // Try windows of decreasing size until the "more" lines fit too; the cursor sits near the middle when it can.
  for (let size = lines; size >= 1; size -= 1) {
    const start = Math.max(0, Math.min(items.length - size, at - Math.floor(size / 2)));
    const above = start;
    const below = items.length - start - size;
    const extra = (above > 0 ? 1 : 0) + (below > 0 ? 1 : 0);
    if (size + extra <= lines) return { rows: items.slice(start, start + size), start, above, below };
  }
  // One line only: the cursor's row, and the rest untold (nothing else fits).
  return { rows: items.slice(at, at + 1), start: at, above: 0, below: 0 };
};

/** Moves a cursor (a name in `names`) by `delta` rows, staying within the list; none or a missing one starts at an end. */
export const moveInList = (names: readonly string[], current: string | undefined, delta: number): string | undefined => {
  if (names.length === 0) return undefined;
  const here = current === undefined ? -1 : names.indexOf(current);
  const next = here === -1 ? (delta < 0 ? names.length - 1 : 0) : Math.min(names.length - 1, Math.max(0, here + delta));
  return names[next];
};

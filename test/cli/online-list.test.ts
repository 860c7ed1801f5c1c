import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { User } from '../../src/presence/types.js';
import { listWindow, matchesFilter, moveInList, sortUsers } from '../../src/cli/view/online-list.js';
import { listedUsers } from '../../src/cli/view/chat-select.js';
import { chatReducer, initialChatView, type ChatAction } from '../../src/cli/view/chat-view.js';
import { initialServerView, serverListed, serverReducer } from '../../src/cli/view/server-view.js';
import { interpretServerKey } from '../../src/cli/tui/server-keys.js';

const runs = Number(process.env['IMSTATE_FUZZ_RUNS'] ?? 200);
const user = (name: string): User => ({ name, endpoint: '127.0.0.1:5000', session: name, imstate: true });

describe('the online list as the screens show it', () => {
  it('sorts people with unread messages first, then by name as a person would (case, numbers by value)', () => {
    const users = ['user10', 'Bob', 'alice', 'user2', 'carol'].map(user);
    expect(sortUsers(users).map((u) => u.name)).toEqual(['alice', 'Bob', 'carol', 'user2', 'user10']);
    expect(sortUsers(users, new Map([['user10', 1], ['carol', 3]])).map((u) => u.name)).toEqual(['carol', 'user10', 'alice', 'Bob', 'user2']);
  });

  it('filters by every word of the filter, ignoring case', () => {
    expect(matchesFilter('Robert', 'ob')).toBe(true);
    expect(matchesFilter('Robert', 'ROB ert')).toBe(true);
    expect(matchesFilter('Robert', 'bob')).toBe(false);
    expect(matchesFilter('剑痴', '剑')).toBe(true);
    expect(matchesFilter('anyone', '')).toBe(true);
  });

  it('a window always holds the cursor and says how many rows are left out, within its height (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: -1, max: 310 }), (n, height, cursor) => {
        const items = Array.from({ length: n }, (_, i) => i);
        const w = listWindow(items, cursor, height);
        const lines = w.rows.length + (w.above > 0 ? 1 : 0) + (w.below > 0 ? 1 : 0);
        expect(lines).toBeLessThanOrEqual(height);
        if (n > 0) {
          const at = Math.max(0, Math.min(n - 1, cursor));
          expect(w.rows).toContain(at);
          if (height >= 3) expect(w.above + w.rows.length + w.below).toBe(n);
        }
        expect(w.rows).toEqual(items.slice(w.start, w.start + w.rows.length));
      }),
      { numRuns: runs },
    );
  });

  it('moves a cursor within the list and starts from an end when there is none', () => {
    expect(moveInList(['a', 'b', 'c'], undefined, 1)).toBe('a');
    expect(moveInList(['a', 'b', 'c'], undefined, -1)).toBe('c');
    expect(moveInList(['a', 'b', 'c'], 'b', 10)).toBe('c');
    expect(moveInList([], 'b', 1)).toBeUndefined();
  });

  it('the chat client’s cursor moves over the sorted rows it draws, 200 users, never onto an undrawn one', () => {
    const names = Array.from({ length: 200 }, (_, i) => `user${String(199 - i).padStart(3, '0')}`);
    let view = [{ type: 'users', users: [user('alice'), ...names.map(user)] } as ChatAction].reduce(chatReducer, initialChatView('alice'));
    expect(view.selected).toBe('user000');
    view = Array.from({ length: 150 }, () => ({ type: 'move-cursor', delta: 1 }) as ChatAction).reduce(chatReducer, view);
    expect(view.selected).toBe('user150');
    const listed = listedUsers(view).map((u) => u.name);
    const w = listWindow(listed, listed.indexOf(view.selected!), 20);
    expect(w.rows).toContain('user150');
  });

  it('the server console scrolls, filters with /, and keeps the cursor within the matches', () => {
    let view = serverReducer(initialServerView, { type: 'users', users: Array.from({ length: 200 }, (_, i) => user(`u${i}`)) });
    const press = (input: string, key = {}) => {
      const outcome = interpretServerKey(view, input, key);
      view = outcome.actions.reduce(serverReducer, view);
      return outcome.quit;
    };
    press('', { pageDown: true });
    press('', { downArrow: true });
    expect(view.cursor).toBe(11);
    press('', { end: true });
    expect(serverListed(view)[view.cursor]?.name).toBe('u199');
    press('/');
    expect(press('q')).toBe(false);
    press('1');
    press('9');
    expect(view.filter).toBe('q19');
    press('', { backspace: true });
    press('', { backspace: true });
    press('', { backspace: true });
    press('1');
    press('9');
    press('9');
    expect(serverListed(view).map((u) => u.name)).toEqual(['u199']);
    expect(view.cursor).toBe(0);
    press('', { return: true });
    expect(view.filtering).toBe(false);
    expect(press('q')).toBe(true);
    press('', { escape: true });
    expect(view.filter).toBe('');
  });
});

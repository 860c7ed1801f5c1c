import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/engine/types.js';
import type { User } from '../../src/presence/types.js';
import { activeConversation, totalUnread } from '../../src/cli/view/chat-select.js';
import { chatReducer, initialChatView, MAX_MESSAGES, type ChatAction, type ChatView } from '../../src/cli/view/chat-view.js';

const runs = Number(process.env['IMSTATE_FUZZ_RUNS'] ?? 200);

const user = (name: string, port: number): User => ({ name, endpoint: `127.0.0.1:${port}`, session: `s-${name}`, imstate: true });
const users = [user('alice', 5001), user('bob', 5002), user('carol', 5003)];
let counter = 0;
const incoming = (from: string, text: string): ChatMessage => ({
  id: `m${(counter += 1)}`,
  direction: 'in',
  from,
  to: 'alice',
  text,
  time: '10:41:40',
  status: 'received',
});
const outgoing = (to: string, text: string, id = `o${(counter += 1)}`): ChatMessage => ({
  id,
  direction: 'out',
  from: 'alice',
  to,
  text,
  time: '10:41:41',
  status: 'sending',
});
const run = (actions: readonly ChatAction[], start: ChatView = initialChatView('alice')): ChatView => actions.reduce(chatReducer, start);
const unreadOf = (view: ChatView, peer: string) => view.conversations.find((c) => c.peer === peer)?.unread;

describe('the chat view', () => {
  it('puts the cursor on the first other user and keeps it there as the list changes', () => {
    let view = run([{ type: 'users', users }]);
    expect(view.selected).toBe('bob');
    view = run([{ type: 'move-cursor', delta: 1 }], view);
    expect(view.selected).toBe('carol');
    view = run([{ type: 'move-cursor', delta: 5 }], view);
    expect(view.selected).toBe('carol');
    view = run([{ type: 'users', users: [user('dave', 5004), ...users] }], view);
    expect(view.selected).toBe('carol');
    view = run([{ type: 'users', users: users.filter((u) => u.name !== 'carol') }], view);
    expect(view.selected).toBe('bob');
  });

  it('shows the first conversation that arrives when none is open, without counting it unread', () => {
    const view = run([{ type: 'users', users }, { type: 'message', message: incoming('bob', 'hi') }]);
    expect(view.active).toBe('bob');
    expect(unreadOf(view, 'bob')).toBe(0);
    expect(view.notice).toBeUndefined();
  });

  it('counts messages that arrive in another conversation and shows a notice for the newest', () => {
    const view = run([
      { type: 'users', users },
      { type: 'open', peer: 'bob' },
      { type: 'message', message: incoming('carol', 'first') },
      { type: 'message', message: incoming('carol', 'second') },
    ]);
    expect(view.active).toBe('bob');
    expect(unreadOf(view, 'carol')).toBe(2);
    expect(totalUnread(view)).toBe(2);
    expect(view.notice).toEqual({ from: 'carol', text: 'second' });
  });

  it('clears the unread count and the notice when that conversation is shown', () => {
    const before = run([
      { type: 'users', users },
      { type: 'open', peer: 'bob' },
      { type: 'message', message: incoming('carol', 'psst') },
    ]);
    const after = run([{ type: 'cycle', direction: 1 }], before);
    expect(after.active).toBe('carol');
    expect(unreadOf(after, 'carol')).toBe(0);
    expect(after.notice).toBeUndefined();
    expect(activeConversation(after)?.messages.map((m) => m.text)).toEqual(['psst']);
  });

  it('Tab goes to the conversation with unread messages before the next one in order', () => {
    const view = run([
      { type: 'users', users: [...users, user('dave', 5004)] },
      { type: 'open', peer: 'bob' },
      { type: 'open', peer: 'carol' },
      { type: 'open', peer: 'dave' },
      { type: 'open', peer: 'bob' },
      { type: 'message', message: incoming('dave', 'over here') },
    ]);
    expect(run([{ type: 'cycle', direction: 1 }], view).active).toBe('dave');
    expect(run([{ type: 'cycle', direction: -1 }], view).active).toBe('dave');
    const read = run([{ type: 'cycle', direction: 1 }], view);
    expect(run([{ type: 'cycle', direction: 1 }], read).active).toBe('bob');
    expect(run([{ type: 'cycle', direction: -1 }], read).active).toBe('carol');
  });

  it('updates the delivery status of one’s own message in place', () => {
    const sent = outgoing('bob', 'hello', 'x1');
    const view = run([
      { type: 'users', users },
      { type: 'message', message: sent },
      { type: 'message', message: outgoing('bob', 'second') },
      { type: 'message', message: { ...sent, status: 'delivered' } },
    ]);
    const messages = activeConversation(view)?.messages ?? [];
    expect(messages.map((m) => [m.text, m.status])).toEqual([
      ['hello', 'delivered'],
      ['second', 'sending'],
    ]);
    expect(unreadOf(view, 'bob')).toBe(0);
  });

  it('keeps at most MAX_MESSAGES per conversation, newest last', () => {
    const actions: ChatAction[] = Array.from({ length: MAX_MESSAGES + 5 }, (_, i) => ({
      type: 'message',
      message: incoming('bob', `n${i}`),
    }));
    const messages = activeConversation(run(actions))?.messages ?? [];
    expect(messages).toHaveLength(MAX_MESSAGES);
    expect(messages.at(-1)?.text).toBe(`n${MAX_MESSAGES + 4}`);
  });

  it('refuses to open a conversation with oneself', () => {
    const view = run([{ type: 'users', users }, { type: 'open', peer: 'alice' }]);
    expect(view.active).toBeUndefined();
    expect(view.status?.level).toBe('error');
  });

  it('edits the input line by characters, CJK included', () => {
    const view = run([{ type: 'type', text: '你好' }, { type: 'type', text: '!' }, { type: 'erase' }, { type: 'erase' }]);
    expect(view.input).toBe('你');
    expect(run([{ type: 'clear-input' }], view).input).toBe('');
  });

  it('never counts the shown conversation as unread, and counts every unseen incoming message (property)', () => {
    const names = ['bob', 'carol', 'dave'];
    const action = fc.oneof(
      fc.record({ kind: fc.constant('in' as const), peer: fc.constantFrom(...names) }),
      fc.record({ kind: fc.constant('open' as const), peer: fc.constantFrom(...names) }),
      fc.record({ kind: fc.constant('cycle' as const), direction: fc.constantFrom(1 as const, -1 as const) }),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), (steps) => {
        let view = run([{ type: 'users', users: [user('alice', 1), ...names.map((n, i) => user(n, 2 + i))] }]);
        const unseen = new Map<string, number>();
        for (const step of steps) {
          if (step.kind === 'in') {
            const wasActive = view.active;
            view = chatReducer(view, { type: 'message', message: incoming(step.peer, 'x') });
            if (wasActive !== undefined && wasActive !== step.peer) unseen.set(step.peer, (unseen.get(step.peer) ?? 0) + 1);
          } else {
            view = chatReducer(view, step.kind === 'open' ? { type: 'open', peer: step.peer } : { type: 'cycle', direction: step.direction });
            if (view.active !== undefined) unseen.delete(view.active);
          }
          if (view.active !== undefined) expect(unreadOf(view, view.active)).toBe(0);
          for (const name of names) expect(unreadOf(view, name) ?? 0).toBe(unseen.get(name) ?? 0);
          if (view.notice !== undefined) expect(view.notice.from).not.toBe(view.active);
        }
      }),
      { numRuns: runs },
    );
  });
});

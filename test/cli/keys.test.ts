import { describe, expect, it } from 'vitest';
import type { User } from '../../src/presence/types.js';
import { interpretInput, interpretKey } from '../../src/cli/tui/keys.js';
import { chatReducer, initialChatView, type ChatAction, type ChatView } from '../../src/cli/view/chat-view.js';

const user = (name: string): User => ({ name, endpoint: `127.0.0.1:${5000 + name.length}`, session: name, imstate: true });
const base = (actions: readonly ChatAction[] = []): ChatView =>
  [{ type: 'users', users: [user('alice'), user('bob'), user('剑痴')] } as ChatAction, ...actions].reduce(chatReducer, initialChatView('alice'));
const withInput = (input: string, actions: readonly ChatAction[] = []) => base([...actions, { type: 'type', text: input }]);

describe('the chat client’s keys', () => {
  it('Enter sends the line to the shown conversation and clears it', () => {
    const outcome = interpretKey(withInput('hi, bob', [{ type: 'open', peer: 'bob' }]), '', { return: true });
    expect(outcome.effect).toEqual({ kind: 'say', to: 'bob', text: 'hi, bob' });
    expect(outcome.actions).toEqual([{ type: 'clear-input' }]);
  });

  it('Enter on an empty line opens the conversation with the user under the cursor', () => {
    expect(interpretKey(base(), '', { return: true }).actions).toEqual([{ type: 'open-selected' }]);
  });

  it('/msg opens that conversation and says the text; to someone offline it explains instead', () => {
    const outcome = interpretKey(withInput('/msg 剑痴 你好, 天涯'), '', { return: true });
    expect(outcome.effect).toEqual({ kind: 'say', to: '剑痴', text: '你好, 天涯' });
    expect(outcome.actions[0]).toEqual({ type: 'open', peer: '剑痴' });
    const offline = interpretKey(withInput('/msg carol hi'), '', { return: true });
    expect(offline.effect).toBeUndefined();
    expect(offline.actions).toEqual([{ type: 'status', status: { level: 'error', text: expect.stringContaining('carol is not online') } }]);
  });

  it('text with no conversation open says how to open one', () => {
    const outcome = interpretKey(withInput('hello'), '', { return: true });
    expect(outcome.effect).toBeUndefined();
    expect(outcome.actions).toEqual([
      { type: 'status', status: { level: 'error', text: expect.stringContaining('no conversation is open') } },
    ]);
  });

  it('text to a peer who went offline is not sent', () => {
    const gone: ChatAction[] = [
      { type: 'type', text: 'still there?' },
      { type: 'users', users: [user('alice')] },
    ];
    const view = gone.reduce(chatReducer, base([{ type: 'open', peer: 'bob' }]));
    const outcome = interpretKey(view, '', { return: true });
    expect(outcome.effect).toBeUndefined();
    expect(JSON.stringify(outcome.actions)).toContain('bob is offline');
  });

  it('/users answers with the online list; /quit and Ctrl-C quit', () => {
    expect(JSON.stringify(interpretKey(withInput('/users'), '', { return: true }).actions)).toContain('online (3): alice (you), bob, 剑痴');
    expect(interpretKey(withInput('/quit'), '', { return: true }).effect).toEqual({ kind: 'quit' });
    expect(interpretKey(base(), 'c', { ctrl: true }).effect).toEqual({ kind: 'quit' });
  });

  it('Tab and Shift-Tab switch conversations, arrows move the cursor, Esc clears, Backspace erases', () => {
    expect(interpretKey(base(), '', { tab: true }).actions).toEqual([{ type: 'cycle', direction: 1 }]);
    expect(interpretKey(base(), '', { tab: true, shift: true }).actions).toEqual([{ type: 'cycle', direction: -1 }]);
    expect(interpretKey(base(), '', { downArrow: true }).actions).toEqual([{ type: 'move-cursor', delta: 1 }]);
    expect(interpretKey(base(), '', { upArrow: true }).actions).toEqual([{ type: 'move-cursor', delta: -1 }]);
    expect(interpretKey(base(), '', { escape: true }).actions).toEqual([{ type: 'clear-input' }]);
    expect(interpretKey(base(), '', { delete: true }).actions).toEqual([{ type: 'erase' }]);
    expect(interpretKey(base(), 'x', { ctrl: true }).actions).toEqual([]);
  });

  it('a chunk with line breaks inside is typed and sent line by line', () => {
    const outcome = interpretInput(base([{ type: 'open', peer: 'bob' }]), 'one, 1\rtwo 二\r', {});
    expect(outcome.effects).toEqual([
      { kind: 'say', to: 'bob', text: 'one, 1' },
      { kind: 'say', to: 'bob', text: 'two 二' },
    ]);
    expect(outcome.actions.reduce(chatReducer, base([{ type: 'open', peer: 'bob' }])).input).toBe('');
  });

  it('Tab, Backspace and Enter inside a chunk act as keys, in order', () => {
    const view = base([{ type: 'open', peer: 'bob' }, { type: 'open', peer: '剑痴' }]);
    const outcome = interpretInput(view, '\thelloo\x7f, bob\r', {});
    expect(outcome.effects).toEqual([{ kind: 'say', to: 'bob', text: 'hello, bob' }]);
    expect(outcome.actions[0]).toEqual({ type: 'cycle', direction: 1 });
    expect(interpretInput(view, 'x\x03', {}).effects).toEqual([{ kind: 'quit' }]);
  });

  it('a plain key is typed, with control characters dropped', () => {
    expect(interpretInput(base(), 'a\u0007b', {}).actions.reduce(chatReducer, base()).input).toBe('ab');
    expect(interpretInput(base(), 'x', {}).actions).toEqual([{ type: 'type', text: 'x' }]);
  });
});

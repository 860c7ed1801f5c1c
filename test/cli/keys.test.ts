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
    expect(outcome.actions).toEqual([{ type: 'sent', text: 'hi, bob' }, { type: 'clear-input' }]);
  });

  it('Enter on an empty line opens the conversation with the user under the cursor', () => {
    expect(interpretKey(base(), '', { return: true }).actions).toEqual([{ type: 'open-selected' }]);
  });

  it('/msg opens that conversation and says the text; to someone offline it is queued, and says so', () => {
    const outcome = interpretKey(withInput('/msg 剑痴 你好, 天涯'), '', { return: true });
    expect(outcome.effect).toEqual({ kind: 'say', to: '剑痴', text: '你好, 天涯' });
    expect(outcome.actions[0]).toEqual({ type: 'open', peer: '剑痴' });
    const offline = interpretKey(withInput('/msg carol hi'), '', { return: true });
    expect(offline.effect).toEqual({ kind: 'say', to: 'carol', text: 'hi' });
    expect(offline.actions.at(-1)).toEqual({
      type: 'status',
      status: { level: 'info', text: 'carol is offline — the message waits (queued) and goes when carol is back', offline: 'carol' },
    });
  });

  it('text with no conversation open says how to open one', () => {
    const outcome = interpretKey(withInput('hello'), '', { return: true });
    expect(outcome.effect).toBeUndefined();
    expect(outcome.actions).toEqual([
      { type: 'status', status: { level: 'error', text: expect.stringContaining('no conversation is open') } },
    ]);
  });

  it('text to a peer who went offline is queued; the notice goes when they are back', () => {
    const gone: ChatAction[] = [
      { type: 'type', text: 'still there?' },
      { type: 'users', users: [user('alice')] },
    ];
    const view = gone.reduce(chatReducer, base([{ type: 'open', peer: 'bob' }]));
    const outcome = interpretKey(view, '', { return: true });
    expect(outcome.effect).toEqual({ kind: 'say', to: 'bob', text: 'still there?' });
    const after = outcome.actions.reduce(chatReducer, view);
    expect(after.status?.text).toContain('bob is offline — the message waits (queued)');
    expect(after.input).toBe('');
    expect(chatReducer(after, { type: 'users', users: [user('alice'), user('bob')] }).status).toBeUndefined();
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
    expect(interpretKey(base(), '', { delete: true }).actions).toEqual([{ type: 'edit', key: { kind: 'backspace' } }]);
    expect(interpretKey(base(), 'x', { ctrl: true }).actions).toEqual([]);
  });

  it('a paste of several lines goes into the input line as one message, sent by Enter', () => {
    const view = base([{ type: 'open', peer: 'bob' }]);
    const outcome = interpretInput(view, 'one, 1\rtwo 二\r', {});
    expect(outcome.effects).toEqual([]);
    const pasted = outcome.actions.reduce(chatReducer, view);
    expect(pasted.input).toBe('one, 1\ntwo 二');
    expect(interpretKey(pasted, '', { return: true }).effect).toEqual({ kind: 'say', to: 'bob', text: 'one, 1\ntwo 二' });
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

const apply = (view: ChatView, ...presses: [string, Parameters<typeof interpretKey>[2]][]): ChatView =>
  presses.reduce((v, [input, key]) => interpretKey(v, input, key).actions.reduce(chatReducer, v), view);

describe('editing the input line with the readline keys', () => {
  it('←/→, Home/End and Ctrl-A/E/B/F move the cursor; typing inserts there', () => {
    let view = withInput('helo');
    view = apply(view, ['', { leftArrow: true }], ['l', {}]);
    expect([view.input, view.cursor]).toEqual(['hello', 4]);
    view = apply(view, ['a', { ctrl: true }], ['>', {}]);
    expect([view.input, view.cursor]).toEqual(['>hello', 1]);
    view = apply(view, ['e', { ctrl: true }], ['!', {}], ['', { home: true }], ['f', { ctrl: true }], ['', { end: true }], ['b', { ctrl: true }]);
    expect([view.input, view.cursor]).toEqual(['>hello!', 6]);
  });

  it('Ctrl-W, Ctrl-U, Ctrl-K, Ctrl-D and Alt-←/→ (Alt-B/F) edit by words and to the ends', () => {
    const view = withInput('say hi there');
    expect(apply(view, ['w', { ctrl: true }]).input).toBe('say hi ');
    expect(apply(view, ['', { leftArrow: true, meta: true }], ['k', { ctrl: true }]).input).toBe('say hi ');
    expect(apply(view, ['b', { meta: true }], ['b', { meta: true }], ['u', { ctrl: true }]).input).toBe('hi there');
    expect(apply(view, ['', { home: true }], ['', { rightArrow: true, meta: true }], ['d', { ctrl: true }]).input).toBe('sayhi there');
    expect(apply(view, ['', { home: true }], ['f', { meta: true }]).cursor).toBe(3);
  });

  it('↑/↓ move the list cursor on an empty line and walk the lines sent before otherwise; Ctrl-P/N always walk them', () => {
    let view = base([{ type: 'open', peer: 'bob' }, { type: 'sent', text: 'first' }, { type: 'sent', text: 'second' }]);
    expect(interpretKey(view, '', { upArrow: true }).actions).toEqual([{ type: 'move-cursor', delta: -1 }]);
    view = apply(view, ['p', { ctrl: true }]);
    expect(view.input).toBe('second');
    view = apply(view, ['', { upArrow: true }]);
    expect(view.input).toBe('first');
    view = apply(view, ['', { upArrow: true }]);
    expect(view.input).toBe('first');
    view = apply(view, ['', { downArrow: true }], ['', { downArrow: true }]);
    expect(view.input).toBe('');
    expect(interpretKey(view, '', { downArrow: true }).actions).toEqual([{ type: 'move-cursor', delta: 1 }]);
  });

  it('a sent line is remembered for ↑ and the input is cleared', () => {
    const view = apply(withInput('hello', [{ type: 'open', peer: 'bob' }]), ['', { return: true }]);
    expect(view.input).toBe('');
    expect(view.sent).toEqual(['hello']);
  });

  it('//text sends a line that starts with /', () => {
    const outcome = interpretKey(withInput('//shrug ¯\\_(ツ)_/¯', [{ type: 'open', peer: 'bob' }]), '', { return: true });
    expect(outcome.effect).toEqual({ kind: 'say', to: 'bob', text: '/shrug ¯\\_(ツ)_/¯' });
  });

  it('refuses an over-long text in characters and keeps it in the input line', () => {
    const long = 'x'.repeat(40_000);
    const view = withInput(long, [{ type: 'open', peer: 'bob' }]);
    const outcome = interpretKey(view, '', { return: true });
    expect(outcome.effect).toBeUndefined();
    const after = outcome.actions.reduce(chatReducer, view);
    expect(after.status?.text).toMatch(/^that message is 40,000 characters; one message holds at most 32,\d{3} — shorten it \(the text is kept\)/);
    expect(after.input).toBe(long);
  });

  it('after an error the text stays editable: typing goes where the cursor is, and the error goes', () => {
    let view = apply(withInput('/msg'), ['', { return: true }]);
    expect(view.status?.level).toBe('error');
    view = apply(view, ['u', { ctrl: true }], ['hello', {}]);
    expect(view.input).toBe('hello');
    expect(view.status).toBeUndefined();
  });

  it('@text filters the online list; ↑/↓ then move within the matches and Enter opens the one under the cursor', () => {
    const crowd = ['bob', 'bobby', 'carol', 'robert'].map((n) => user(n));
    let view = [{ type: 'users', users: [user('alice'), ...crowd] } as ChatAction].reduce(chatReducer, initialChatView('alice'));
    view = apply(view, ['@ob', {}]);
    expect(view.selected).toBe('bob');
    view = apply(view, ['', { downArrow: true }], ['', { downArrow: true }]);
    expect(view.selected).toBe('robert');
    view = apply(view, ['', { return: true }]);
    expect(view.active).toBe('robert');
    expect(view.input).toBe('');
  });

  it('PgUp/PgDn scroll the conversation', () => {
    expect(interpretKey(base(), '', { pageUp: true }).actions).toEqual([{ type: 'scroll', pages: 1 }]);
    expect(interpretKey(base(), '', { pageDown: true }).actions).toEqual([{ type: 'scroll', pages: -1 }]);
  });
});

import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/engine/types.js';
import { conversationLines, messageLines, scrolledLines } from '../../src/cli/view/conversation-lines.js';
import { columnsOf, wrapText } from '../../src/cli/view/wrap.js';
import { chatReducer, initialChatView, type ChatAction } from '../../src/cli/view/chat-view.js';

const message = (id: string, text: string, over: Partial<ChatMessage> = {}): ChatMessage => ({
  id, direction: 'in', from: 'bob', to: 'alice', text, time: '10:41:40', status: 'received', ...over,
});

describe('wrapping and scrolling a conversation', () => {
  it('wraps at spaces, breaks words wider than a line, counts CJK as two columns, keeps pasted line breaks', () => {
    expect(wrapText('the quick brown fox', 10)).toEqual(['the quick', 'brown fox']);
    expect(wrapText('abcdefghijkl', 5)).toEqual(['abcde', 'fghij', 'kl']);
    expect(wrapText('你好世界你好', 5)).toEqual(['你好', '世界', '你好']);
    expect(wrapText('one\ntwo', 20)).toEqual(['one', 'two']);
    for (const line of wrapText('x'.repeat(1000) + ' 你好 '.repeat(100), 37)) expect(columnsOf(line)).toBeLessThanOrEqual(37);
  });

  it('gives each message its head on the first line and its status on the last', () => {
    const lines = messageLines(message('1', 'word '.repeat(20).trim(), { direction: 'out', from: 'alice', to: 'bob', status: 'delivered' }), 30);
    expect(lines[0]?.head).toEqual({ time: '10:41:40', who: 'you', direction: 'out' });
    expect(lines.at(-1)?.status?.label).toMatch(/✓✓ delivered/);
    expect(lines.slice(1).every((l) => l.head === undefined)).toBe(true);
  });

  it('a 40,000-character message is many lines, and the window shows the newest unless scrolled back', () => {
    const lines = conversationLines([message('1', 'hello'), message('2', 'y'.repeat(40_000)), message('3', 'latest')], 80);
    expect(lines.length).toBeGreaterThan(500);
    const bottom = scrolledLines(lines, 10, 0);
    expect(bottom.shown).toHaveLength(10);
    expect(bottom.shown.at(-1)?.text).toBe('latest');
    const top = scrolledLines(lines, 10, 1e9);
    expect(top.shown[0]?.text).toBe('hello');
    expect(top.scroll).toBe(lines.length - 10);
  });

  it('PgUp/PgDn scroll the shown conversation by pages, stop at both ends, and a new chat starts at the bottom', () => {
    const actions: ChatAction[] = [
      { type: 'pane', width: 40, height: 5 },
      ...Array.from({ length: 30 }, (_, i) => ({ type: 'message', message: message(`m${i}`, `line ${i}`) }) as ChatAction),
    ];
    let view = actions.reduce(chatReducer, initialChatView('alice'));
    view = chatReducer(view, { type: 'scroll', pages: 1 });
    expect(view.scroll).toBe(4);
    view = chatReducer(view, { type: 'scroll', pages: 100 });
    expect(view.scroll).toBe(25);
    // A message arriving while reading back keeps the reader's place.
    view = chatReducer(view, { type: 'message', message: message('new', 'newest') });
    expect(view.scroll).toBe(26);
    view = chatReducer(view, { type: 'scroll', pages: -100 });
    expect(view.scroll).toBe(0);
    view = chatReducer(chatReducer(view, { type: 'scroll', pages: 1 }), { type: 'open', peer: 'carol' });
    expect(view.scroll).toBe(0);
  });
});

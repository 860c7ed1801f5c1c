import { renderToString } from 'ink';
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/engine/types.js';
import type { User } from '../../src/presence/types.js';
import { ChatScreen } from '../../src/cli/tui/ChatScreen.js';
import { ServerScreen } from '../../src/cli/tui/ServerScreen.js';
import { chatReducer, initialChatView, type ChatAction } from '../../src/cli/view/chat-view.js';
import { initialServerView, serverReducer, type ServerAction } from '../../src/cli/view/server-view.js';

const user = (name: string, port: number): User => ({ name, endpoint: `127.0.0.1:${port}`, session: name, imstate: true });
const message = (over: Partial<ChatMessage> & Pick<ChatMessage, 'id' | 'text'>): ChatMessage => ({
  direction: 'in',
  from: 'bob',
  to: 'alice',
  time: '10:41:40',
  status: 'received',
  ...over,
});

describe('the chat screen', () => {
  const view = (
    [
      { type: 'state', state: { value: 'online.presence.live+heartbeat.beating' } },
      { type: 'users', users: [user('alice', 5001), user('bob', 5002), user('剑痴', 5003)] },
      { type: 'open', peer: 'bob' },
      { type: 'message', message: message({ id: '1', text: 'hi alice, how are you' }) },
      { type: 'message', message: message({ id: '2', direction: 'out', from: 'alice', to: 'bob', text: 'fine, 谢谢', status: 'delivered' }) },
      { type: 'message', message: message({ id: '3', direction: 'out', from: 'alice', to: 'bob', text: 'lost one', status: 'failed', reason: 'no receipt' }) },
      { type: 'message', message: message({ id: '4', from: '剑痴', text: '在吗?' }) },
      { type: 'type', text: 'draft' },
    ] satisfies ChatAction[]
  ).reduce(chatReducer, initialChatView('alice'));
  const screen = renderToString(<ChatScreen view={view} endpoint="127.0.0.1:5001" server="127.0.0.1:9000" columns={100} rows={20} />, {
    columns: 100,
  });

  it('shows who I am, the server and the lifecycle state', () => {
    expect(screen).toContain('alice at 127.0.0.1:5001');
    expect(screen).toContain('server 127.0.0.1:9000');
    // At 100 columns the end of the state's nested detail is cut, never the top state or the unread count.
    expect(screen).toMatch(/· 1 unread · state: online \(presence\.live/);
  });

  it('shows why the lifecycle failed', () => {
    const failed = chatReducer(view, { type: 'state', state: { value: 'failed', reason: 'no answer from 127.0.0.1:9000' } });
    const text = renderToString(<ChatScreen view={failed} endpoint={undefined} server="127.0.0.1:9000" columns={140} rows={20} />, { columns: 140 });
    expect(text).toContain('state: failed — no answer from 127.0.0.1:9000');
  });

  it('lists the online users with the unread count of each and myself last', () => {
    expect(screen).toContain('Online (3)');
    expect(screen).toMatch(/> bob/);
    expect(screen).toContain('剑痴 (1)');
    expect(screen).toContain('alice (you)');
  });

  it('shows the conversation with the delivery status of my own messages', () => {
    expect(screen).toContain('Chat with bob');
    expect(screen).toContain('bob: hi alice, how are you');
    expect(screen).toContain('you: fine, 谢谢 (✓✓ delivered)');
    expect(screen).toContain('you: lost one (✗ failed: no receipt)');
  });

  it('tells about the message in the other conversation and shows the input line', () => {
    expect(screen).toContain('new message from 剑痴: 在吗? — press Tab to read');
    expect(screen).toContain('Chats: [bob] 剑痴 (1)');
    expect(screen).toContain('to bob > draft');
  });

  it('fits the terminal: never more lines than rows', () => {
    expect(screen.split('\n').length).toBeLessThan(20);
  });

  it('marks a peer who went offline', () => {
    const gone = chatReducer(view, { type: 'users', users: [user('alice', 5001)] });
    const text = renderToString(<ChatScreen view={gone} endpoint={undefined} server="127.0.0.1:9000" columns={100} rows={20} />, { columns: 100 });
    expect(text).toContain('Chat with bob (offline)');
    expect(text).toContain('nobody else yet');
  });

  it('while the server is away: says so in the header with the countdown and the try, the list kept and stale', () => {
    const away = chatReducer(view, {
      type: 'state',
      state: { value: 'reconnecting', retry: { attempt: 3, inMs: 8_000, reconnecting: true } },
      at: 50_000,
    });
    const draw = (now: number) =>
      renderToString(<ChatScreen view={away} endpoint="127.0.0.1:5001" server="127.0.0.1:9000" columns={120} rows={20} now={now} />, {
        columns: 120,
      });
    expect(draw(50_000)).toContain('server unreachable — retrying in 8 s (try 3)');
    expect(draw(53_000)).toContain('server unreachable — retrying in 5 s (try 3)');
    expect(draw(50_000)).toContain('Online (3) stale');
    // At 80 columns the sentence comes whole, right after the name; what follows it may be cut.
    const narrow = renderToString(<ChatScreen view={away} endpoint="127.0.0.1:50001" server="127.0.0.1:9000" columns={80} rows={20} now={50_000} />, {
      columns: 80,
    });
    expect(narrow.split('\n')[0]).toMatch(/^imstate · alice · server unreachable — retrying in 8 s \(try 3\) · at 127\.0\.0\.1:5/);
    expect(draw(50_000)).toContain('Chat with bob');
    expect(screen).not.toContain('stale');
    expect(screen).not.toContain('unreachable');
  });

  it('before the first login: the list is not known, which never looks like an empty server', () => {
    const first = (
      [
        { type: 'state', state: { value: 'awaitingAccept', retry: { attempt: 2, inMs: 1_000, of: 5, reconnecting: false } }, at: 0 },
      ] satisfies ChatAction[]
    ).reduce(chatReducer, initialChatView('alice'));
    const text = renderToString(<ChatScreen view={first} endpoint={undefined} server="127.0.0.1:9" columns={120} rows={20} now={0} />, {
      columns: 120,
    });
    expect(text).toContain('server unreachable — retrying in 1 s (try 2 of 5)');
    expect(text).toContain('not logged in yet');
    expect(text).not.toContain('nobody else yet');
  });
});

describe('the server console', () => {
  const view = (
    [
      { type: 'state', state: { value: 'running' } },
      { type: 'started', address: { host: '127.0.0.1', udpPort: 9000, tcpPort: 41234 } },
      { type: 'users', users: [user('alice', 5001), { ...user('classic', 5009), imstate: false }] },
      { type: 'log', entry: { at: Date.UTC(2024, 0, 1, 10, 41, 40), level: 'info', kind: 'login', text: 'alice logged in from 127.0.0.1:5001' } },
      { type: 'log', entry: { at: Date.UTC(2024, 0, 1, 10, 41, 41), level: 'warn', kind: 'rejected', text: 'rejected a datagram from 127.0.0.1:6000' } },
      { type: 'stats', stats: { received: 3, rejected: 1 } },
    ] satisfies ServerAction[]
  ).reduce(serverReducer, initialServerView);
  const screen = renderToString(<ServerScreen view={view} requested={{ host: '127.0.0.1', port: 9000 }} columns={110} rows={16} />, {
    columns: 110,
  });

  it('shows the real ports and the state', () => {
    expect(screen).toContain('UDP 127.0.0.1:9000 · TCP 127.0.0.1:41234 · state: running');
  });

  it('lists the online users, marking classic peers', () => {
    expect(screen).toContain('Online (2)');
    expect(screen).toContain('alice 127.0.0.1:5001');
    expect(screen).toContain('classic 127.0.0.1:5009 classic');
  });

  it('shows the live log and the counters', () => {
    expect(screen).toContain('alice logged in from 127.0.0.1:5001');
    expect(screen).toContain('rejected a datagram from 127.0.0.1:6000');
    expect(screen).toContain('received 3 · rejected 1');
  });

  it('shows the address asked for until the server has started', () => {
    const text = renderToString(<ServerScreen view={initialServerView} requested={{ host: '::1', port: 0 }} columns={80} rows={10} />, {
      columns: 80,
    });
    expect(text).toContain('[::1]:0 · state: idle');
  });
});

describe('the screens with many users, long messages and 80 columns', () => {
  const crowd = [user('alice', 5001), ...Array.from({ length: 200 }, (_, i) => user(`user${String(i).padStart(3, '0')}`, 6000 + i))];

  it('the chat client’s list scrolls with the cursor and says how many are not shown, 200 users', () => {
    let v = ([{ type: 'users', users: crowd }] satisfies ChatAction[]).reduce(chatReducer, initialChatView('alice'));
    v = Array.from({ length: 120 }, () => ({ type: 'move-cursor', delta: 1 }) as ChatAction).reduce(chatReducer, v);
    const text = renderToString(<ChatScreen view={v} endpoint="127.0.0.1:5001" server="127.0.0.1:9000" columns={80} rows={24} />, { columns: 80 });
    expect(text).toContain('Online (201)');
    expect(text).toContain('> user120');
    expect(text).toMatch(/↑ \d+ more/);
    expect(text).toMatch(/…and \d+ more/);
    expect(text.split('\n').length).toBeLessThan(24);
  });

  it('a long message wraps inside the pane and the title stays', () => {
    const v = (
      [
        { type: 'users', users: crowd.slice(0, 3) },
        { type: 'message', message: message({ id: '1', from: 'user000', text: 'long '.repeat(2000) }) },
      ] satisfies ChatAction[]
    ).reduce(chatReducer, initialChatView('alice'));
    const text = renderToString(<ChatScreen view={v} endpoint="127.0.0.1:5001" server="127.0.0.1:9000" columns={80} rows={24} />, { columns: 80 });
    expect(text).toContain('Chat with user000');
    expect(text).toMatch(/PgUp for \d+ earlier lines/);
    expect(text.split('\n').length).toBeLessThan(24);
  });

  it('the key help fits 80 columns, with /quit on it', () => {
    const text = renderToString(<ChatScreen view={initialChatView('alice')} endpoint={undefined} server="127.0.0.1:9000" columns={80} rows={24} />, { columns: 80 });
    expect(text).toContain('/quit');
    expect(text).not.toMatch(/Ctrl-P\/N[^\n]*…/);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('the server console keeps its heading with 200 users and scrolls to the cursor', () => {
    let v = serverReducer(initialServerView, { type: 'users', users: crowd });
    v = serverReducer(v, { type: 'move-cursor', delta: 150 });
    const text = renderToString(<ServerScreen view={v} requested={{ host: '127.0.0.1', port: 9000 }} columns={80} rows={24} />, { columns: 80 });
    expect(text).toContain('Online (201)');
    expect(text).toContain('user149 127.0.0.1:6149');
    expect(text).toMatch(/↑ \d+ more/);
    expect(text).toMatch(/…and \d+ more/);
    expect(text).toContain('q or Ctrl-C stop the server');
    expect(text).not.toMatch(/Esc clear it…/);
  });
});

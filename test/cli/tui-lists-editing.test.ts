/**
 * The chat client and the server console in a real terminal (tmux) with 200 users online and the readline keys,
 * as a person sees them. The 200 peers run in this process on the real engine and loopback sockets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonLine, MessageLine, ServerReadyLine } from '../../src/cli/json/lines.js';
import { CLI, killAll, spawnScript, type JsonProcess } from './support/processes.js';
import { createTmux, type Tmux } from './support/tmux.js';

let tmux: Tmux;
let crowd: JsonProcess;
let address: string;

beforeAll(async () => {
  tmux = createTmux();
  crowd = spawnScript('test/cli/support/crowd.ts', ['200', 'user']);
  const ready = await crowd.next('the crowd online', (l): l is ServerReadyLine => l.type === 'ready', 150_000);
  address = `127.0.0.1:${ready.udpPort}`;
}, 160_000);

afterAll(async () => {
  tmux.close();
  crowd.end();
  await crowd.exit(30_000).catch(() => undefined);
  await killAll();
}, 60_000);

let seen = 0;
/** The next message the crowd receives from `from` (after the ones already looked at). */
const nextMessage = async (from: string): Promise<MessageLine> => {
  const start = seen;
  const line = await crowd.next(`a message from ${from}`, (l: JsonLine): l is MessageLine => l.type === 'message' && l.from === from && crowd.lines.indexOf(l) >= start);
  seen = crowd.lines.indexOf(line) + 1;
  return line;
};

describe('200 users online, in a real terminal', () => {
  it('the chat client’s list scrolls with the cursor, sorted by name, says how many more, and @text filters it', async () => {
    tmux.start('alice', [...CLI, 'peer', '--name', 'alice', '--server', address, '--no-history'], { columns: 100, rows: 30 });
    const first = await tmux.waitFor('alice', 'alice online with 200 others', (s) => s.includes('Online (201)') && s.includes('> user000'));
    expect(first).toMatch(/…and \d+ more/);
    expect(first.indexOf('user001')).toBeLessThan(first.indexOf('user002'));
    for (let i = 0; i < 60; i += 1) tmux.keys('alice', 'Down');
    const moved = await tmux.waitFor('alice', 'the cursor on user060', (s) => s.includes('> user060'));
    expect(moved).toMatch(/↑ \d+ more/);
    expect(moved).toMatch(/…and \d+ more/);
    // Enter opens the user under the cursor: it is drawn, and it is the one the chat opens with.
    tmux.keys('alice', 'Enter');
    await tmux.waitFor('alice', 'the chat with user060', (s) => s.includes('Chat with user060'));

    tmux.type('alice', '@user19');
    const filtered = await tmux.waitFor('alice', 'the list filtered', (s) => s.includes('Online (10 of 201)'));
    expect(filtered).toContain('> user190');
    expect(filtered).not.toMatch(/│  user060/);
    tmux.keys('alice', 'Down', 'Down', 'Enter');
    await tmux.waitFor('alice', 'the chat with user192', (s) => s.includes('Chat with user192'));
    tmux.keys('alice', 'C-c');
    await tmux.waitFor('alice', 'the client to exit', () => tmux.exitStatus('alice') !== undefined);
    expect(tmux.exitStatus('alice')).toBe(0);
  }, 90_000);

  it('the server console keeps its Online heading, scrolls and filters', async () => {
    tmux.start('console', [...CLI, 'server', '--port', '0'], { columns: 100, rows: 24 });
    const up = await tmux.waitFor('console', 'the console running', (s) => /UDP 127\.0\.0\.1:\d+/.test(s) && s.includes('state: running'));
    const port = /UDP 127\.0\.0\.1:(\d+)/.exec(up)?.[1];
    const many = spawnScript('test/cli/support/crowd.ts', ['60', 'c-user', `127.0.0.1:${port}`]);
    await many.next('sixty peers online', (l) => l.type === 'ready', 120_000);
    const full = await tmux.waitFor('console', 'sixty users listed', (s) => s.includes('Online (60)'));
    expect(full).toMatch(/…and \d+ more/);
    tmux.keys('console', 'End');
    const end = await tmux.waitFor('console', 'the end of the list', (s) => /│c-user059 127/.test(s));
    expect(end).toContain('Online (60)');
    expect(end).toMatch(/↑ \d+ more/);
    tmux.type('console', '/user05');
    await tmux.waitFor('console', 'the filtered list', (s) => s.includes('/user05▏: 10') && s.includes('c-user050'));
    many.end();
    await many.exit(30_000);
    tmux.keys('console', 'Escape');
    // Escape and a key right after it read as Alt-key: wait for the filter to close first.
    await tmux.waitFor('console', 'the filter closed', (s) => !s.includes('/user05'));
    tmux.keys('console', 'q');
    await tmux.waitFor('console', 'the console to exit', () => tmux.exitStatus('console') !== undefined);
    expect(tmux.exitStatus('console')).toBe(0);
  }, 150_000);

  it('the input line edits with the readline keys; //, a multi-line paste and an over-long text behave as documented', async () => {
    tmux.start('edit', [...CLI, 'peer', '--name', 'editor', '--server', address, '--no-history'], { columns: 100, rows: 30, env: { NO_COLOR: '1' } });
    await tmux.waitFor('edit', 'online', (s) => /Online \(20[12]\)/.test(s) && s.includes('state: online'));
    tmux.type('edit', `/msg user001 helo wrld`);
    tmux.keys('edit', 'Left', 'Left', 'Left');
    tmux.type('edit', 'o');
    tmux.keys('edit', 'M-Left', 'M-Left', 'Right', 'Right', 'Right');
    tmux.type('edit', 'l');
    await tmux.waitFor('edit', 'the edited line', (s) => s.includes('> /msg user001 hello world'));
    // NO_COLOR keeps the cursor: inverse video, no colour.
    expect(tmux.screen('edit', true)).toMatch(/\x1b\[7m/);
    let got = nextMessage('editor');
    tmux.keys('edit', 'Enter');
    expect((await got).text).toBe('hello world');
    await tmux.waitFor('edit', 'the chat with user001', (s) => s.includes('Chat with user001') && s.includes('you: hello world'));

    // Ctrl-P recalls the line sent; Ctrl-A, Ctrl-K, Ctrl-W, Ctrl-U, Ctrl-E edit it.
    tmux.keys('edit', 'C-p');
    await tmux.waitFor('edit', 'the recalled line', (s) => s.includes('to user001 > /msg user001 hello world'));
    tmux.keys('edit', 'C-u');
    tmux.type('edit', 'one two three');
    tmux.keys('edit', 'C-w', 'C-a', 'C-k');
    tmux.type('edit', 'kept words');
    tmux.keys('edit', 'C-a', 'M-f', 'C-k');
    await tmux.waitFor('edit', 'the line after kills', (s) => /to user001 > kept\s*$/m.test(s));
    tmux.keys('edit', 'C-e', 'BSpace', 'BSpace');
    tmux.type('edit', 'ep');
    got = nextMessage('editor');
    tmux.keys('edit', 'Enter');
    expect((await got).text).toBe('keep');

    got = nextMessage('editor');
    tmux.type('edit', '//shrug');
    tmux.keys('edit', 'Enter');
    expect((await got).text).toBe('/shrug');

    // A paste of several lines is one message, sent by Enter.
    tmux.paste('edit', 'line one\nline two\n');
    await tmux.waitFor('edit', 'the pasted lines in the input', (s) => s.includes('> line one⏎line two'));
    got = nextMessage('editor');
    tmux.keys('edit', 'Enter');
    expect((await got).text).toBe('line one\nline two');

    tmux.paste('edit', 'z'.repeat(33_000));
    await tmux.waitFor('edit', 'the long text in the input', (s) => /to user001 > …z{20}/.test(s));
    tmux.keys('edit', 'Enter');
    const refused = await tmux.waitFor('edit', 'the over-long text refused', (s) => s.includes('that message is 33,000 characters; one message holds at most'));
    expect(refused).toMatch(/to user001 > …z+/);
    tmux.keys('edit', 'C-c');
    await tmux.waitFor('edit', 'the client to exit', () => tmux.exitStatus('edit') !== undefined);
    expect(tmux.exitStatus('edit')).toBe(0);
  }, 90_000);
});

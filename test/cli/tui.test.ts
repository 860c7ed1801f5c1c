/**
 * The terminal screens in a real terminal (tmux), with the real engine: what a person sees and types.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JsonLine, MessageLine, ServerReadyLine } from '../../src/cli/json/lines.js';
import { CLI, killAll, spawnJson, unusedUdpPort } from './support/processes.js';
import { createTmux, type Tmux } from './support/tmux.js';

const isServerReady = (line: JsonLine): line is ServerReadyLine => line.type === 'ready' && line.role === 'server';
const incoming = (from: string) => (line: JsonLine): line is MessageLine => line.type === 'message' && line.direction === 'in' && line.from === from;
// Any SGR sequence that sets a foreground or background colour (30–37, 40–47, 90–97, 38;…, 48;…).
const COLOUR = /\x1b\[[0-9;]*(?:3[0-8]|4[0-8]|9[0-7])(?:;[0-9;]*)?m/;

let tmux: Tmux;
beforeEach(() => {
  tmux = createTmux();
});
afterEach(async () => {
  tmux.close();
  await killAll();
});

describe('the terminal screens', () => {
  it('the server console shows its real port, the state, and the user who logs in; q stops it with exit 0', async () => {
    tmux.start('server', [...CLI, 'server', '--port', '0'], { columns: 120, rows: 24 });
    const first = await tmux.waitFor('server', 'the server running', (s) => /state: running/.test(s) && /UDP 127\.0\.0\.1:\d+/.test(s));
    const port = /UDP 127\.0\.0\.1:(\d+)/.exec(first)?.[1];
    expect(first).toMatch(/TCP 127\.0\.0\.1:\d+/);

    const alice = spawnJson(['peer', '--name', 'alice', '--server', `127.0.0.1:${port}`, '--json']);
    await alice.next('alice ready', (l) => l.type === 'ready');
    const seen = await tmux.waitFor('server', 'alice in the online list', (s) => s.includes('Online (1)') && /│alice 127\.0\.0\.1:\d+/.test(s));
    expect(seen).toContain('Log');

    alice.send('/quit');
    expect(await alice.exit()).toBe(0);
    await tmux.waitFor('server', 'the list empty again', (s) => s.includes('Online (0)'));
    tmux.keys('server', 'q');
    await tmux.waitFor('server', 'the console to exit', () => tmux.exitStatus('server') !== undefined);
    expect(tmux.exitStatus('server')).toBe(0);
  });

  it('the server console’s counters refresh by themselves while nothing else on screen changes', async () => {
    // A 1 s heartbeat: the peer's pings are counted every second, and a ping changes no list and logs nothing.
    tmux.start('counting', [...CLI, 'server', '--port', '0', '--heartbeat', '1'], { columns: 160, rows: 24 });
    const first = await tmux.waitFor('counting', 'the server running', (s) => /state: running/.test(s) && /UDP 127\.0\.0\.1:\d+/.test(s));
    const port = /UDP 127\.0\.0\.1:(\d+)/.exec(first)?.[1];
    const alice = spawnJson(['peer', '--name', 'alice', '--server', `127.0.0.1:${port}`, '--json']);
    await alice.next('alice ready', (l) => l.type === 'ready');
    const countIn = (screen: string) => Number(/datagramsIn (\d+)/.exec(screen)?.[1] ?? -1);
    const online = await tmux.waitFor('counting', 'alice counted', (s) => s.includes('Online (1)') && countIn(s) >= 1);
    const logLines = (screen: string) => screen.split('\n').filter((line) => /\d\d:\d\d:\d\d/.test(line)).length;
    // Three more pings counted, the log and the list as they were.
    const later = await tmux.waitFor('counting', 'the count to grow', (s) => countIn(s) >= countIn(online) + 3);
    expect(logLines(later)).toBe(logLines(online));
    expect(later).toContain('Online (1)');
    alice.send('/quit');
    expect(await alice.exit()).toBe(0);
    tmux.keys('counting', 'q');
    await tmux.waitFor('counting', 'the console to exit', () => tmux.exitStatus('counting') !== undefined);
    expect(tmux.exitStatus('counting')).toBe(0);
  });

  it('the chat client shows the online list, a received message, a notice and unread count, sends, and logs out on Ctrl-C', async () => {
    const server = spawnJson(['server', '--port', '0', '--json']);
    const ready = await server.next('server ready', isServerReady);
    const address = `127.0.0.1:${ready.udpPort}`;
    const bob = spawnJson(['peer', '--name', 'bob', '--server', address, '--json']);
    await bob.next('bob ready', (l) => l.type === 'ready');

    tmux.start('alice', [...CLI, 'peer', '--name', 'alice', '--server', address], { columns: 120, rows: 30 });
    await tmux.waitFor('alice', 'alice online with bob listed', (s) => s.includes('state: online') && /> bob/.test(s) && s.includes('alice (you)'));
    await bob.next('bob sees alice', (l) => l.type === 'user-joined' && l.name === 'alice');

    bob.send('/msg alice hi alice, 你好 from bob');
    await tmux.waitFor('alice', 'bob’s message on screen', (s) => s.includes('bob: hi alice, 你好 from bob'));

    const carol = spawnJson(['peer', '--name', 'carol', '--server', address, '--json']);
    await carol.next('carol ready', (l) => l.type === 'ready');
    carol.send('/msg alice psst, alice');
    const notified = await tmux.waitFor('alice', 'a notice for carol’s message', (s) => s.includes('new message from carol: psst, alice'));
    expect(notified).toContain('carol (1)');
    expect(notified).toContain('Chat with bob');

    tmux.keys('alice', 'Tab');
    const switched = await tmux.waitFor('alice', 'carol’s conversation', (s) => s.includes('Chat with carol'));
    expect(switched).toContain('carol: psst, alice');
    expect(switched).not.toContain('new message from carol');

    tmux.type('alice', 'hello, carol — 世界');
    tmux.keys('alice', 'Enter');
    expect(await carol.next('carol gets alice’s reply', incoming('alice'))).toMatchObject({ text: 'hello, carol — 世界' });
    await tmux.waitFor('alice', 'the delivery status of alice’s message', (s) => /you: hello, carol — 世界 \((✓ sent|✓✓ delivered)\)/.test(s));

    tmux.keys('alice', 'C-c');
    await tmux.waitFor('alice', 'the client to exit', () => tmux.exitStatus('alice') !== undefined);
    expect(tmux.exitStatus('alice')).toBe(0);
    await bob.next('bob sees alice leave', (l) => l.type === 'user-left' && l.name === 'alice');
  });

  it('the chat client says clearly when the server cannot be reached, from the first retry on, and exits non-zero', async () => {
    const port = await unusedUdpPort();
    tmux.start('lost', [...CLI, 'peer', '--name', 'alice', '--server', `127.0.0.1:${port}`, '--tries', '3'], { columns: 120, rows: 24 });
    // Tries after 0.5, 1 and 2 s: the header says so with the count, and the empty list is not taken for an empty server.
    const second = await tmux.waitFor('lost', 'the second try', (s) => /server unreachable — retrying (in 1 s|now) \(try 2 of 3\)/.test(s));
    expect(second).toContain('not logged in yet');
    expect(second).not.toContain('nobody else yet');
    await tmux.waitFor('lost', 'the third try', (s) => /server unreachable — retrying (in [12] s|now) \(try 3 of 3\)/.test(s));
    await tmux.waitFor('lost', 'the client to exit', () => tmux.exitStatus('lost') !== undefined);
    expect(tmux.exitStatus('lost')).toBe(1);
    expect(tmux.screen('lost')).toMatch(new RegExp(`imstate peer: .*127\\.0\\.0\\.1:${port}.*is the server running`));
  });

  it('NO_COLOR turns colour off; without it the state is coloured', async () => {
    tmux.start('plain', [...CLI, 'server', '--port', '0'], { env: { NO_COLOR: '1' } });
    tmux.start('colour', [...CLI, 'server', '--port', '0']);
    await tmux.waitFor('plain', 'the plain console', (s) => s.includes('state: running'));
    await tmux.waitFor('colour', 'the coloured console', (s) => s.includes('state: running'));
    expect(tmux.screen('colour', true)).toMatch(COLOUR);
    expect(tmux.screen('plain', true)).not.toMatch(COLOUR);
    tmux.keys('plain', 'C-c');
    tmux.keys('colour', 'C-c');
    await tmux.waitFor('plain', 'both consoles to exit', () => tmux.exitStatus('plain') !== undefined && tmux.exitStatus('colour') !== undefined);
    expect([tmux.exitStatus('plain'), tmux.exitStatus('colour')]).toEqual([0, 0]);
  });
});

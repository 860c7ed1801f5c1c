/**
 * The chat client's history and outbox in a real terminal: a conversation is there again after a restart, a damaged
 * history file costs one line and says so, and a message to someone offline waits (queued, across a restart of the
 * client) and is delivered when they come back.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JsonLine, MessageLine, ServerReadyLine } from '../../src/cli/json/lines.js';
import { historyDirectory } from '../../src/cli/history/history-store.js';
import { CLI, killAll, spawnJson } from './support/processes.js';
import { createTmux, type Tmux } from './support/tmux.js';

const isServerReady = (line: JsonLine): line is ServerReadyLine => line.type === 'ready' && line.role === 'server';
const incoming = (from: string, text: string) => (line: JsonLine): line is MessageLine =>
  line.type === 'message' && line.direction === 'in' && line.from === from && line.text === text;

let tmux: Tmux;
beforeEach(() => {
  tmux = createTmux();
});
afterEach(async () => {
  tmux.close();
  await killAll();
});

const quit = async (name: string) => {
  tmux.keys(name, 'C-c');
  await tmux.waitFor(name, `${name} to exit`, () => tmux.exitStatus(name) !== undefined);
  expect(tmux.exitStatus(name)).toBe(0);
};

describe('history and the outbox, in a real terminal', () => {
  it('a conversation comes back after a restart; a message to someone offline waits, across a restart, until they are back', async () => {
    const server = spawnJson(['server', '--port', '0', '--json']);
    const address = `127.0.0.1:${(await server.next('server ready', isServerReady)).udpPort}`;
    let bob = spawnJson(['peer', '--name', 'bob', '--server', address, '--json']);
    await bob.next('bob ready', (l) => l.type === 'ready');
    const alice = [...CLI, 'peer', '--name', 'alice', '--server', address];

    tmux.start('a1', alice, { columns: 110, rows: 30 });
    await tmux.waitFor('a1', 'alice online', (s) => s.includes('> bob'));
    bob.send('/msg alice before the restart, 你好');
    await tmux.waitFor('a1', 'bob’s message', (s) => s.includes('bob: before the restart, 你好'));
    tmux.type('a1', 'see you later');
    tmux.keys('a1', 'Enter');
    await bob.next('bob gets the reply', incoming('alice', 'see you later'));
    await tmux.waitFor('a1', 'the reply delivered', (s) => s.includes('you: see you later (✓✓ delivered)'));

    // bob leaves; alice's message to him waits in the outbox.
    bob.end();
    expect(await bob.exit()).toBe(0);
    await tmux.waitFor('a1', 'bob offline', (s) => s.includes('Chat with bob (offline)'));
    tmux.type('a1', 'are you back?');
    tmux.keys('a1', 'Enter');
    const queued = await tmux.waitFor('a1', 'the message queued', (s) => s.includes('you: are you back? (⧗ queued)'));
    expect(queued).toContain('bob is offline — the message waits (queued) and goes when bob is back');
    await quit('a1');

    // A crash in the middle of a write leaves a cut last line: it alone is lost, and the client says so.
    appendFileSync(join(historyDirectory('alice', join(tmux.stateHome, 'imstate')), 'bob.jsonl'), '{"v":1,"id":"cut');

    tmux.start('a2', alice, { columns: 110, rows: 30 });
    const restarted = await tmux.waitFor('a2', 'the history read back', (s) => /Chats: \[?bob/.test(s) && s.includes('state: online'));
    expect(restarted).toMatch(/history: 1 damaged line skipped in .*bob\.jsonl/);
    // The queued message put back into the outbox shows its conversation; otherwise Tab opens it.
    if (!restarted.includes('Chat with bob')) tmux.keys('a2', 'Tab');
    const shown = await tmux.waitFor('a2', 'yesterday’s conversation', (s) => s.includes('Chat with bob'));
    expect(shown).toContain('bob: before the restart, 你好');
    expect(shown).toContain('you: see you later (✓✓ delivered)');
    expect(shown).toContain('you: are you back? (⧗ queued)');

    // bob comes back: the queued message goes, and is delivered.
    bob = spawnJson(['peer', '--name', 'bob', '--server', address, '--json']);
    expect(await bob.next('bob gets the queued message', incoming('alice', 'are you back?'))).toMatchObject({ status: 'received' });
    await tmux.waitFor('a2', 'the queued message delivered', (s) => s.includes('you: are you back? (✓✓ delivered)'));
    await quit('a2');

    // --no-history shows nothing of it.
    tmux.start('a3', [...alice, '--no-history'], { columns: 110, rows: 30 });
    const fresh = await tmux.waitFor('a3', 'a client without history', (s) => s.includes('state: online'));
    expect(fresh).toContain('Chats: none yet');
    await quit('a3');
    bob.end();
    server.end();
    expect(await bob.exit()).toBe(0);
    expect(await server.exit()).toBe(0);
  }, 120_000);
});

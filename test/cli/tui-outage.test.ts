/**
 * An outage of the server in a real terminal: the server stops, the chat client stays up, says in its header that the
 * server is unreachable with the countdown and the try, keeps the list (marked stale) and talks peer to peer; the
 * server started again on the same port after a minute away gets it back online by itself. The server runs with a
 * 1 s heartbeat so the outage is noticed in about 3 s rather than 45.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JsonLine, MessageLine, ServerReadyLine, StateLine } from '../../src/cli/json/lines.js';
import { CLI, killAll, spawnJson } from './support/processes.js';
import { createTmux, type Tmux } from './support/tmux.js';

const isServerReady = (line: JsonLine): line is ServerReadyLine => line.type === 'ready' && line.role === 'server';
const incoming = (from: string, text: string) => (line: JsonLine): line is MessageLine =>
  line.type === 'message' && line.direction === 'in' && line.from === from && line.text === text;
const isState = (test: (line: StateLine) => boolean) => (line: JsonLine): line is StateLine => line.type === 'state' && test(line);
// The backoff is 2, 4, 8, 16, then 30 s: the restart is seen at the next try, at most 30 s after it.
const OUTAGE_MS = 60_000;

let tmux: Tmux;
beforeEach(() => {
  tmux = createTmux();
});
afterEach(async () => {
  tmux.close();
  await killAll();
});

describe('an outage of the server, in a real terminal', () => {
  it('the client stays up, says so in the header, keeps talking, and is back online by itself on a restart', async () => {
    let server = spawnJson(['server', '--port', '0', '--heartbeat', '1', '--json']);
    const port = (await server.next('server ready', isServerReady)).udpPort;
    const address = `127.0.0.1:${port}`;
    const bob = spawnJson(['peer', '--name', 'bob', '--server', address, '--json']);
    await bob.next('bob ready', (l) => l.type === 'ready');

    tmux.start('alice', [...CLI, 'peer', '--name', 'alice', '--server', address], { columns: 140, rows: 30 });
    await tmux.waitFor('alice', 'alice online with bob', (s) => s.includes('> bob') && s.includes('state: online'));
    expect(tmux.screen('alice')).not.toContain('unreachable');

    server.end();
    expect(await server.exit()).toBe(0);
    const stoppedAt = Date.now();
    const away = await tmux.waitFor(
      'alice',
      'the header to say the server is unreachable',
      (s) => /server unreachable — retrying (in \d+ s|now) \(try \d+\)/.test(s),
      OUTAGE_MS,
    );
    expect(away).toContain('Online (2) stale');
    expect(away).toContain('bob');
    expect(away).toContain('state: reconnecting');
    // The countdown and the try move on by themselves.
    const first = /\(try (\d+)\)/.exec(away)?.[1];
    await tmux.waitFor('alice', 'a later try', (s) => {
      const now = /\(try (\d+)\)/.exec(s)?.[1];
      return now !== undefined && now !== first;
    }, OUTAGE_MS);
    await bob.next('bob reconnecting too', isState((l) => l.state === 'reconnecting' && l.retry?.reconnecting === true), OUTAGE_MS);

    // Talk goes on peer to peer meanwhile, both ways.
    tmux.keys('alice', 'Enter');
    await tmux.waitFor('alice', 'the conversation with bob', (s) => s.includes('Chat with bob'));
    tmux.type('alice', 'the server is gone, we are not');
    tmux.keys('alice', 'Enter');
    await bob.next('bob gets it', incoming('alice', 'the server is gone, we are not'));
    await tmux.waitFor('alice', 'delivered', (s) => s.includes('you: the server is gone, we are not (✓✓ delivered)'));
    bob.send('/msg alice still here');
    await tmux.waitFor('alice', 'bob’s answer', (s) => s.includes('bob: still here'));

    // A minute away (a lunch break, shortened): the client is still up and still trying, its backoff capped.
    const later = await tmux.waitFor(
      'alice',
      'a minute of outage',
      (s) => Date.now() - stoppedAt >= OUTAGE_MS && /server unreachable — retrying/.test(s),
      OUTAGE_MS + 30_000,
    );
    expect(Number(/\(try (\d+)\)/.exec(later)?.[1])).toBeGreaterThanOrEqual(4);
    expect(later).toContain('bob: still here');
    expect(tmux.exitStatus('alice')).toBeUndefined();

    // The server comes back on the same port: alice logs in again by herself; the header and the list are as before.
    server = spawnJson(['server', '--port', String(port), '--heartbeat', '1', '--json']);
    expect((await server.next('server ready again', isServerReady)).udpPort).toBe(port);
    const back = await tmux.waitFor(
      'alice',
      'alice online again',
      (s) => s.includes('state: online') && !s.includes('unreachable') && !s.includes('stale') && s.includes('Online (2)'),
      OUTAGE_MS,
    );
    expect(back).toContain('bob');
    // bob may be back already: his latest state line is what counts.
    const lastState = () => bob.lines.filter((l): l is StateLine => l.type === 'state').at(-1);
    await bob.next('bob online again', () => lastState()?.state.startsWith('online') === true, OUTAGE_MS);
    tmux.type('alice', 'and back');
    tmux.keys('alice', 'Enter');
    await bob.next('bob gets the next one', incoming('alice', 'and back'));

    tmux.keys('alice', 'C-c');
    await tmux.waitFor('alice', 'alice to exit', () => tmux.exitStatus('alice') !== undefined);
    expect(tmux.exitStatus('alice')).toBe(0);
    bob.end();
    server.end();
    expect(await bob.exit()).toBe(0);
    expect(await server.exit()).toBe(0);
  }, 300_000);
});

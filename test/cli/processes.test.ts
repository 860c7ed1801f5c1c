/**
 * `imstate --json` as real processes on loopback, with the real engine: the end-to-end scenarios (two
 * chatters and a server, a server that is not there, a refused name, a port in use, Ctrl-C, --help).
 */
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { JsonLine, MessageLine, ServerReadyLine, PeerReadyLine } from '../../src/cli/json/lines.js';
import { CLI, killAll, ROOT, spawnJson, unusedUdpPort, WAIT_MS, type JsonProcess } from './support/processes.js';

const run = promisify(execFile);
const isServerReady = (line: JsonLine): line is ServerReadyLine => line.type === 'ready' && line.role === 'server';
const isPeerReady = (line: JsonLine): line is PeerReadyLine => line.type === 'ready' && line.role === 'peer';
const joined = (name: string) => (line: JsonLine) => line.type === 'user-joined' && line.name === name;
const left = (name: string) => (line: JsonLine) => line.type === 'user-left' && line.name === name;
const incoming = (from: string) => (line: JsonLine): line is MessageLine => line.type === 'message' && line.direction === 'in' && line.from === from;

const startServer = async (): Promise<{ server: JsonProcess; address: string; ready: ServerReadyLine }> => {
  const server = spawnJson(['server', '--port', '0', '--json']);
  const ready = await server.next('server ready', isServerReady);
  return { server, address: `127.0.0.1:${ready.udpPort}`, ready };
};

afterEach(killAll);

describe('imstate --json, real processes on loopback', () => {
  it('a server and two peers see each other join, chat both ways, see a leave, and exit 0', async () => {
    const { server, address, ready } = await startServer();
    expect(ready.udpPort).toBeGreaterThan(0);
    expect(ready.tcpPort).toBeGreaterThan(0);
    expect(ready.host).toBe('127.0.0.1');

    const alice = spawnJson(['peer', '--name', 'alice', '--server', address, '--json']);
    const aliceReady = await alice.next('alice ready', isPeerReady);
    expect(aliceReady.endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
    await server.next('server sees alice', joined('alice'));

    const bob = spawnJson(['peer', '--name', 'bob', '--server', address, '--json']);
    await bob.next('bob ready', isPeerReady);
    const bobsList = await bob.next('bob’s first users line', (l) => l.type === 'users');
    expect(bobsList.type === 'users' && bobsList.users.map((u) => u.name).sort()).toEqual(['alice', 'bob']);
    await alice.next('alice sees bob join', joined('bob'));
    await server.next('server sees bob', joined('bob'));

    const toBob = 'hi bob, it is alice — 你好，剑痴, commas, and all';
    alice.send(`/msg bob ${toBob}`);
    const atBob = await bob.next('bob gets alice’s message', incoming('alice'));
    expect(atBob).toMatchObject({ from: 'alice', to: 'bob', text: toBob, status: 'received' });
    expect(atBob.time).not.toBe('');

    const toAlice = '收到,thanks, alice; 天涯 says hi';
    bob.send(`/msg alice ${toAlice}`);
    expect(await alice.next('alice gets bob’s message', incoming('bob'))).toMatchObject({ from: 'bob', to: 'alice', text: toAlice });
    const own = await alice.next(
      'alice sees her message leave',
      (l) => l.type === 'message' && l.direction === 'out' && (l.status === 'sent' || l.status === 'delivered'),
    );
    expect(own).toMatchObject({ from: 'alice', to: 'bob', text: toBob });

    bob.send('/quit');
    expect(await bob.exit()).toBe(0);
    await alice.next('alice sees bob leave', left('bob'));
    await server.next('server sees bob leave', left('bob'));

    alice.send('/users');
    await alice.next('alice’s list without bob', (l) => l.type === 'users' && l.users.every((u) => u.name !== 'bob') && alice.lines.filter((x) => x.type === 'users').length >= 2);
    alice.end();
    expect(await alice.exit()).toBe(0);
    await server.next('server sees alice leave', left('alice'));
    server.send('/quit');
    expect(await server.exit()).toBe(0);
    expect([...alice.lines, ...bob.lines, ...server.lines].filter((l) => l.type === 'error')).toEqual([]);
  });

  it('a peer pointed at nothing exits non-zero with the unreachable message', async () => {
    const port = await unusedUdpPort();
    const peer = spawnJson(['peer', '--name', 'alice', '--server', `127.0.0.1:${port}`, '--tries', '2', '--json']);
    const code = await peer.exit();
    expect(code).not.toBe(0);
    const last = peer.lines.at(-1);
    expect(last).toMatchObject({ type: 'error', fatal: true });
    expect(last?.type === 'error' && last.message).toContain(`127.0.0.1:${port}`);
    expect(last?.type === 'error' && last.message).toMatch(/is the server running/);
    // Before giving up it said which try it was on, from the first retry: one state line per try.
    expect(peer.lines.filter((l) => l.type === 'state' && l.retry !== undefined)).toEqual([
      { type: 'state', state: 'awaitingAccept', retry: { attempt: 2, inMs: 1_000, of: 2, reconnecting: false } },
    ]);
  });

  it('a bad name is refused with a message that names the character, before any socket is opened', async () => {
    const peer = spawnJson(['peer', '--name', 'al,ice', '--json']);
    expect(await peer.exit()).toBe(2);
    expect(peer.lines).toEqual([{ type: 'error', message: expect.stringContaining('contains a comma'), fatal: true }]);
    // The terminal client says the same on stderr.
    const tui = await run(CLI[0], [...CLI.slice(1), 'peer', '--name', 'al:ice'], { cwd: ROOT }).catch((error: { code: number; stderr: string }) => error);
    expect('code' in tui ? tui.code : 0).toBe(2);
    expect(tui.stderr).toContain('contains a colon');
  });

  it('a second server on the same port exits non-zero with the port-in-use message', async () => {
    const { server, ready } = await startServer();
    const second = spawnJson(['server', '--port', String(ready.udpPort), '--json']);
    expect(await second.exit()).not.toBe(0);
    expect(second.lines.at(-1)).toMatchObject({ type: 'error', fatal: true, message: expect.stringContaining(`${ready.udpPort}`) });
    expect(second.lines.at(-1)).toMatchObject({ message: expect.stringMatching(/in use/) });
    server.end();
    expect(await server.exit()).toBe(0);
  });

  it('Ctrl-C (SIGINT) stops a server cleanly with exit code 0', async () => {
    const { server } = await startServer();
    server.interrupt();
    expect(await server.exit()).toBe(0);
    expect(server.lines.filter((l) => l.type === 'state').at(-1)).toMatchObject({ state: 'stopped' });
  });

  it('--help on every command, and --version', async () => {
    const help = (...args: string[]) => run(CLI[0], [...CLI.slice(1), ...args], { cwd: ROOT });
    const [top, server, peer, version] = await Promise.all([help('--help'), help('server', '--help'), help('peer', '--help'), help('--version')]);
    expect(top.stdout).toContain('Usage: imstate');
    expect(top.stdout).toMatch(/server \[options\]/);
    expect(top.stdout).toMatch(/peer \[options\]/);
    expect(server.stdout).toContain('--tcp-port <port>');
    expect(server.stdout).toContain('(default: 9000)');
    expect(server.stdout).toContain('A crashed imstate peer leaves every list within 30 s');
    expect(server.stdout).toContain('--nat');
    expect(server.stdout).toContain('--users-per-host <count>');
    expect(server.stdout).toContain('--logins-per-second <count>');
    expect(peer.stdout).toContain('--name <name>');
    expect(peer.stdout).toContain('(default: "127.0.0.1:9000")');
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('--users-per-host and --logins-per-second change the per-host limits the server states and keeps', async () => {
    const server = spawnJson(['server', '--port', '0', '--json', '--users-per-host', '2', '--logins-per-second', '40', '--pings-per-second', '100']);
    const ready = await server.next('server ready', isServerReady);
    const trust = await server.next('trust line', (l) => l.type === 'log' && l.kind === 'trust');
    expect(trust).toMatchObject({ text: expect.stringContaining('trust: 2 sessions per address, logins 40 at once then 40/s, pings 100 at once then 100/s') });
    // Three imstate logins from one host: two fit (pending counts), the third is refused with the reason.
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    try {
      const self = `127.0.0.1:${socket.address().port}`;
      const answers: string[] = [];
      socket.on('message', (bytes) => answers.push(bytes.toString('utf16le').split(',', 2).join(',')));
      for (const name of ['ann', 'ben', 'cat']) {
        socket.send(Buffer.from(`login,${name},${self},imstate=1,session=s-${name}`, 'utf16le'), ready.udpPort, '127.0.0.1');
      }
      await server.next('refusal', (l) => l.type === 'log' && l.kind === 'refused' && l.text.includes('cat'));
      const deadline = Date.now() + WAIT_MS;
      while (answers.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(answers.filter((a) => a.startsWith('Accept'))).toHaveLength(2);
      expect(answers).toContain('Refuse,too-many-sessions');
    } finally {
      socket.close();
    }
    server.end();
    expect(await server.exit()).toBe(0);
  });

  it('a bad option exits 2, as documented; a closed stdout (--help | head) ends quietly', async () => {
    const bad = await run(CLI[0], [...CLI.slice(1), 'peer', '--name', 'alice', '--port', 'x'], { cwd: ROOT }).catch((error: { code: number; stderr: string }) => error);
    expect('code' in bad ? bad.code : 0).toBe(2);
    expect(bad.stderr).toContain('A port must be a whole number');
    const piped = await run('sh', ['-c', `${[...CLI].map((a) => `'${a}'`).join(' ')} peer --help | head -1`], { cwd: ROOT });
    expect(piped.stdout).toContain('Usage: imstate peer');
    expect(piped.stderr).not.toMatch(/EPIPE|Error/);
  });

  it('--server localhost:<port> finds the server', async () => {
    const { server, ready } = await startServer();
    const alice = spawnJson(['peer', '--name', 'alice', '--server', `localhost:${ready.udpPort}`, '--json', '--no-history']);
    expect(await alice.next('alice ready', isPeerReady)).toMatchObject({ server: `127.0.0.1:${ready.udpPort}` });
    alice.end();
    expect(await alice.exit()).toBe(0);
    const lost = spawnJson(['peer', '--name', 'alice', '--server', 'no-such-host.invalid:9000', '--json']);
    expect(await lost.exit()).toBe(2);
    expect(lost.lines.at(-1)).toMatchObject({ type: 'error', fatal: true, message: expect.stringContaining('cannot find the server "no-such-host.invalid"') });
    server.end();
    expect(await server.exit()).toBe(0);
  });

  it('a server console whose stdout is not a terminal prints plain log lines, no box frames', async () => {
    const [node, ...args] = CLI;
    const { spawn } = await import('node:child_process');
    const child = spawn(node, [...args, 'server', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    const deadline = Date.now() + 20_000;
    while (!/Ctrl-C stops it/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(0);
    expect(out).toMatch(/^\d\d:\d\d:\d\d listening on UDP 127\.0\.0\.1:\d+, TCP 127\.0\.0\.1:\d+$/m);
    expect(out).toMatch(/imstate server · UDP 127\.0\.0\.1:\d+ · TCP 127\.0\.0\.1:\d+ · Ctrl-C stops it/);
    expect(out).toMatch(/state: stopped/);
    expect(out).not.toMatch(/[┌│└]|\x1b\[/);
  });

  it('end of input right after /msg waits for the final status: the delivered line always comes before the logout', async () => {
    const { server, address } = await startServer();
    const bob = spawnJson(['peer', '--name', 'bob', '--server', address, '--json']);
    await bob.next('bob ready', isPeerReady);
    const senders = Array.from({ length: 6 }, (_, i) => {
      const sender = spawnJson(['peer', '--name', `alice${i}`, '--server', address, '--json']);
      sender.send(`/msg bob hi, bob ${i}`);
      sender.end();
      return sender;
    });
    expect(await Promise.all(senders.map((s) => s.exit(40_000)))).toEqual(senders.map(() => 0));
    for (const sender of senders) {
      const out = sender.lines.filter((l): l is MessageLine => l.type === 'message' && l.direction === 'out');
      expect(out.map((l) => l.status)).toEqual(['sending', 'delivered']);
      const loggedOut = sender.lines.findIndex((l) => l.type === 'state' && l.state === 'loggedOut');
      expect(sender.lines.indexOf(out[1]!)).toBeLessThan(loggedOut);
    }
    bob.end();
    expect(await bob.exit()).toBe(0);
    server.end();
    expect(await server.exit()).toBe(0);
  }, 60_000);
});

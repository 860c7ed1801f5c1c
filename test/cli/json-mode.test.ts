/**
 * The JSON line modes inside one process, against the in-memory fake engine: the command's own logic (ordering,
 * stop-once, errors as lines, exit codes) without sockets. test/cli/processes.test.ts runs the real engine.
 */
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { runPeerJson } from '../../src/cli/json/peer-json.js';
import { runServerJson } from '../../src/cli/json/server-json.js';
import type { JsonLine } from '../../src/cli/json/lines.js';
import { FakeNetwork } from './support/fake-engine.js';

interface Harness {
  readonly io: CliIo;
  readonly lines: JsonLine[];
  send(line: string): void;
  end(): void;
  signal(): void;
  /** Resolves with the first line matching `match` (already printed or still to come). */
  next(match: (line: JsonLine) => boolean): Promise<JsonLine>;
}

const harness = (): Harness => {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const lines: JsonLine[] = [];
  const waiters: { match: (line: JsonLine) => boolean; resolve: (line: JsonLine) => void }[] = [];
  let buffered = '';
  stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    for (let at = buffered.indexOf('\n'); at !== -1; at = buffered.indexOf('\n')) {
      const line = JSON.parse(buffered.slice(0, at)) as JsonLine;
      buffered = buffered.slice(at + 1);
      lines.push(line);
      for (const waiter of waiters.filter((w) => w.match(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const handlers = new Set<() => void>();
  return {
    io: {
      stdin,
      stdout,
      stderr: new PassThrough(),
      onStopSignal(handler) {
        handlers.add(handler);
        return () => handlers.delete(handler);
      },
    },
    lines,
    send: (line) => stdin.write(`${line}\n`),
    end: () => stdin.end(),
    signal: () => handlers.forEach((handler) => handler()),
    next: (match) => {
      const seen = lines.find(match);
      return seen !== undefined ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ match, resolve }));
    },
  };
};

const peerOptions = (name: string, server: string) => ({ name, server, host: '127.0.0.1', port: 0, tries: undefined, json: true });
const open: Harness[] = [];
const make = () => {
  const h = harness();
  open.push(h);
  return h;
};

afterEach(() => {
  for (const h of open.splice(0)) h.end();
});

describe('JSON line mode (in-memory engine)', () => {
  it('a server and two peers: joins, a chat both ways, a leave, clean exits', async () => {
    const net = new FakeNetwork();
    const s = make();
    const server = runServerJson(net, { host: '127.0.0.1', port: 0, tcpPort: 0, json: true }, s.io);
    const ready = await s.next((l) => l.type === 'ready');
    if (ready.type !== 'ready' || ready.role !== 'server') throw new Error('not a server ready line');
    const address = `127.0.0.1:${ready.udpPort}`;

    const a = make();
    const alice = runPeerJson(net, peerOptions('alice', address), a.io);
    await a.next((l) => l.type === 'ready');
    const b = make();
    const bob = runPeerJson(net, peerOptions('bob', address), b.io);
    await b.next((l) => l.type === 'ready');
    await a.next((l) => l.type === 'user-joined' && l.name === 'bob');
    await s.next((l) => l.type === 'user-joined' && l.name === 'bob');
    expect(await b.next((l) => l.type === 'users')).toMatchObject({ users: [{ name: 'alice' }, { name: 'bob' }] });

    a.send('/msg bob hi, bob — 你好');
    expect(await b.next((l) => l.type === 'message')).toMatchObject({ from: 'alice', to: 'bob', text: 'hi, bob — 你好', status: 'received' });
    b.send('/msg alice 收到, thanks');
    expect(await a.next((l) => l.type === 'message' && l.direction === 'in')).toMatchObject({ from: 'bob', text: '收到, thanks' });
    await a.next((l) => l.type === 'message' && l.direction === 'out' && l.status === 'delivered');

    b.send('/quit');
    expect(await bob).toBe(0);
    await a.next((l) => l.type === 'user-left' && l.name === 'bob');
    a.end();
    expect(await alice).toBe(0);
    s.send('/users');
    expect(await s.next((l) => l.type === 'users' && l.users.length === 0)).toBeDefined();
    s.signal();
    expect(await server).toBe(0);
    expect(s.lines.at(-1)).toEqual({ type: 'state', state: 'stopped' });
  });

  it('mistakes on stdin are error lines, not exits', async () => {
    const net = new FakeNetwork();
    const s = make();
    const server = runServerJson(net, { host: '127.0.0.1', port: 9000, tcpPort: 0, json: true }, s.io);
    await s.next((l) => l.type === 'ready');
    s.send('/msg bob hi');
    s.send('hello');
    expect(await s.next((l) => l.type === 'error' && l.message.includes('/msg is a peer command'))).toMatchObject({ fatal: false });
    expect(await s.next((l) => l.type === 'error' && l.message.includes('not a command'))).toMatchObject({ fatal: false });

    const a = make();
    const alice = runPeerJson(net, peerOptions('alice', '127.0.0.1:9000'), a.io);
    await a.next((l) => l.type === 'ready');
    a.send('/msg carol are you there?');
    a.send('/dance');
    a.send('/msg');
    expect(await a.next((l) => l.type === 'error' && l.message.includes('carol is not online'))).toMatchObject({ fatal: false });
    await a.next((l) => l.type === 'error' && l.message.includes('unknown command /dance'));
    await a.next((l) => l.type === 'error' && l.message.includes('usage: /msg <name> <text>'));
    a.send('/quit');
    expect(await alice).toBe(0);
    s.send('/quit');
    expect(await server).toBe(0);
  });

  it('/quit lets a message typed just before it go out', async () => {
    const net = new FakeNetwork();
    const s = make();
    void runServerJson(net, { host: '127.0.0.1', port: 9000, tcpPort: 0, json: true }, s.io);
    await s.next((l) => l.type === 'ready');
    const b = make();
    void runPeerJson(net, peerOptions('bob', '127.0.0.1:9000'), b.io);
    await b.next((l) => l.type === 'ready');
    const a = make();
    const alice = runPeerJson(net, peerOptions('alice', '127.0.0.1:9000'), a.io);
    await a.next((l) => l.type === 'ready');
    a.send('/msg bob last words');
    a.send('/quit');
    expect(await alice).toBe(0);
    expect(await b.next((l) => l.type === 'message')).toMatchObject({ text: 'last words' });
    s.signal();
    b.signal();
  });

  it('an unreachable server: the reason as a fatal error line, exit 1', async () => {
    const a = make();
    const code = await runPeerJson(new FakeNetwork(), { ...peerOptions('alice', '127.0.0.1:9'), tries: 2 }, a.io);
    expect(code).toBe(1);
    expect(a.lines.at(-1)).toEqual({ type: 'error', message: expect.stringContaining('no answer from 127.0.0.1:9 after 2 tries'), fatal: true });
  });

  it('a bad name is refused before anything starts, exit 2', async () => {
    const a = make();
    expect(await runPeerJson(new FakeNetwork(), peerOptions('a;b', '127.0.0.1:9000'), a.io)).toBe(2);
    expect(a.lines).toEqual([{ type: 'error', message: expect.stringContaining('contains a semicolon'), fatal: true }]);
  });

  it('a port in use: the reason as a fatal error line, exit 1', async () => {
    const net = new FakeNetwork();
    const first = make();
    void runServerJson(net, { host: '127.0.0.1', port: 9000, tcpPort: 0, json: true }, first.io);
    await first.next((l) => l.type === 'ready');
    const second = make();
    expect(await runServerJson(net, { host: '127.0.0.1', port: 9000, tcpPort: 0, json: true }, second.io)).toBe(1);
    expect(second.lines.at(-1)).toMatchObject({ type: 'error', message: expect.stringContaining('already in use'), fatal: true });
    first.signal();
  });
});

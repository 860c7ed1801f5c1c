/**
 * The JSON line modes inside one process, with the real engine on loopback: what the command does with mistakes
 * on stdin, with a /quit right after a /msg, with Ctrl-C during login and with a session replaced elsewhere. The
 * end-to-end scenarios run as real processes in processes.test.ts.
 */
import { createSocket } from 'node:dgram';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createIndexServer, createPeer } from '../../src/engine/index.js';
import type { Engine } from '../../src/cli/engine-api.js';
import type { CliIo } from '../../src/cli/io.js';
import { runPeerJson } from '../../src/cli/json/peer-json.js';
import { runServerJson } from '../../src/cli/json/server-json.js';
import type { JsonLine, ServerReadyLine } from '../../src/cli/json/lines.js';
import { unusedUdpPort, WAIT_MS } from './support/processes.js';

const engine: Engine = { createIndexServer, createPeer };

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
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no such line in ${WAIT_MS} ms; saw:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`)), WAIT_MS);
        waiters.push({ match, resolve: (line) => (clearTimeout(timer), resolve(line)) });
      });
    },
  };
};

const peerOptions = (name: string, server: string) => ({ name, server, host: '127.0.0.1', port: 0, tries: undefined, json: true, history: false });
const open: Harness[] = [];
const runs: Promise<number>[] = [];
const make = () => {
  const h = harness();
  open.push(h);
  return h;
};
/** Keeps a run's exit so that afterEach can wait until its sockets are closed. */
const started = (run: Promise<number>): Promise<number> => {
  runs.push(run);
  return run;
};

// Whatever a failed test left running is stopped (signal, end of input) and awaited: no socket outlives its test.
afterEach(async () => {
  for (const h of open.splice(0)) {
    h.signal();
    h.end();
  }
  await Promise.allSettled(runs.splice(0));
});

const isServerReady = (line: JsonLine): line is ServerReadyLine => line.type === 'ready' && line.role === 'server';

/** Starts a JSON server on a free port; returns its harness, its exit code and its address. */
const startServer = async () => {
  const h = make();
  const exit = started(runServerJson(engine, { host: '127.0.0.1', port: 0, tcpPort: 0, json: true }, h.io));
  const ready = (await h.next(isServerReady)) as ServerReadyLine;
  return { h, exit, address: `127.0.0.1:${ready.udpPort}` };
};

describe('JSON line mode in one process (real engine, loopback)', () => {
  it('mistakes on stdin are error lines that say what to type, not exits', async () => {
    const server = await startServer();
    server.h.send('/msg bob hi');
    server.h.send('hello');
    expect(await server.h.next((l) => l.type === 'error' && l.message.includes('/msg is a peer command'))).toMatchObject({ fatal: false });
    expect(await server.h.next((l) => l.type === 'error' && l.message.includes('not a command'))).toMatchObject({ fatal: false });

    const a = make();
    const alice = started(runPeerJson(engine, peerOptions('alice', server.address), a.io));
    await a.next((l) => l.type === 'ready');
    a.send('/msg carol are you there?');
    a.send('/dance');
    a.send('/msg');
    // To someone offline the message is queued (the outbox), not refused.
    expect(await a.next((l) => l.type === 'message' && l.to === 'carol')).toMatchObject({ status: 'queued', text: 'are you there?' });
    await a.next((l) => l.type === 'error' && l.message.includes('unknown command /dance'));
    await a.next((l) => l.type === 'error' && l.message.includes('usage: /msg <name> <text>'));
    a.send('/quit');
    expect(await alice).toBe(0);
    // JSON mode keeps no history: what was still queued at the exit is said to be lost.
    expect(a.lines.find((l) => l.type === 'error' && l.message.startsWith('not delivered'))).toMatchObject({
      fatal: false,
      message: expect.stringMatching(/^not delivered: .* to carol was still queued/),
    });
    server.h.send('/quit');
    expect(await server.exit).toBe(0);
  });

  it('/quit right after /msg lets the message go out first', async () => {
    const server = await startServer();
    const b = make();
    const bob = started(runPeerJson(engine, peerOptions('bob', server.address), b.io));
    await b.next((l) => l.type === 'ready');
    const a = make();
    const alice = started(runPeerJson(engine, peerOptions('alice', server.address), a.io));
    await a.next((l) => l.type === 'ready');
    a.send('/msg bob last words, 再见');
    a.send('/quit');
    expect(await alice).toBe(0);
    expect(await b.next((l) => l.type === 'message')).toMatchObject({ from: 'alice', text: 'last words, 再见' });
    b.end();
    expect(await bob).toBe(0);
    server.h.signal();
    expect(await server.exit).toBe(0);
  });

  it('Ctrl-C while still logging in stops cleanly: exit 0, no error line', async () => {
    const a = make();
    const alice = started(runPeerJson(engine, { ...peerOptions('alice', `127.0.0.1:${await unusedUdpPort()}`), tries: 100 }, a.io));
    await a.next((l) => l.type === 'state' && l.state !== 'idle');
    a.signal();
    expect(await alice).toBe(0);
    expect(a.lines.filter((l) => l.type === 'error')).toEqual([]);
  });

  it('a session replaced by the same name elsewhere ends with the reason as a fatal line, exit 1', async () => {
    const server = await startServer();
    const first = make();
    const alice = started(runPeerJson(engine, peerOptions('alice', server.address), first.io));
    await first.next((l) => l.type === 'ready');
    const second = make();
    const again = started(runPeerJson(engine, peerOptions('alice', server.address), second.io));
    await second.next((l) => l.type === 'ready');
    expect(await alice).toBe(1);
    expect(first.lines.at(-1)).toMatchObject({ type: 'error', fatal: true, message: expect.stringContaining('alice') });
    second.send('/quit');
    expect(await again).toBe(0);
    server.h.send('/quit');
    expect(await server.exit).toBe(0);
  });

  it('prints the counters as a stats line when they change: a refused login shows as refused and rejected.<reason>', async () => {
    const server = await startServer();
    // From 127.0.0.5 (another host), a login naming an endpoint on 127.0.0.1: refused by the source rule.
    const stranger = createSocket('udp4');
    stranger.on('error', () => undefined);
    await new Promise<void>((resolve) => stranger.bind(0, '127.0.0.5', resolve));
    try {
      const port = Number(server.address.slice(server.address.lastIndexOf(':') + 1));
      const login = Buffer.from('login,mallory,127.0.0.1:5009', 'utf16le');
      await new Promise<void>((resolve) => stranger.send(login, port, '127.0.0.1', () => resolve()));
      const stats = await server.h.next((l) => l.type === 'stats' && (l.counters['rejected.source-mismatch'] ?? 0) >= 1);
      expect(stats).toMatchObject({ type: 'stats', counters: { datagramsIn: 1, refused: 1, 'rejected.source-mismatch': 1 } });
      expect(server.h.lines.some((l) => l.type === 'log' && l.kind === 'refused' && l.text.includes('mallory'))).toBe(true);
      expect(server.h.lines.some((l) => l.type === 'user-joined')).toBe(false);
    } finally {
      await new Promise<void>((resolve) => stranger.close(() => resolve()));
    }
    server.h.send('/quit');
    expect(await server.exit).toBe(0);
  });
});

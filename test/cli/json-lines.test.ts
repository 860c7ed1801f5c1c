import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { User } from '../../src/presence/types.js';
import {
  createLineWriter,
  errorLine,
  logLine,
  messageLine,
  peerReadyLine,
  serverReadyLine,
  stateLine,
  userJoinedLine,
  userLeftLine,
  usersLine,
} from '../../src/cli/json/lines.js';

const alice: User = { name: 'alice', endpoint: '127.0.0.1:5001', session: 'a1', imstate: true };
const bob: User = { name: 'bob', endpoint: '[::1]:5002', session: 'b1', imstate: false };

describe('JSON lines', () => {
  it('have the documented shapes', () => {
    expect(serverReadyLine({ host: '127.0.0.1', udpPort: 9000, tcpPort: 41000 })).toEqual({
      type: 'ready',
      role: 'server',
      host: '127.0.0.1',
      udpPort: 9000,
      tcpPort: 41000,
    });
    expect(peerReadyLine('alice', '127.0.0.1:5001', '127.0.0.1:9000')).toEqual({
      type: 'ready',
      role: 'peer',
      name: 'alice',
      endpoint: '127.0.0.1:5001',
      server: '127.0.0.1:9000',
    });
    expect(stateLine({ value: 'online' })).toEqual({ type: 'state', state: 'online' });
    expect(stateLine({ value: 'failed', reason: 'no answer' })).toEqual({ type: 'state', state: 'failed', reason: 'no answer' });
    const retry = { attempt: 3, inMs: 8_000, reconnecting: true };
    expect(stateLine({ value: 'reconnecting', retry })).toEqual({ type: 'state', state: 'reconnecting', retry });
    expect(userJoinedLine(bob)).toEqual({ type: 'user-joined', name: 'bob', endpoint: '[::1]:5002', session: 'b1', imstate: false });
    expect(userLeftLine(bob)).toEqual({ type: 'user-left', name: 'bob', endpoint: '[::1]:5002' });
    expect(usersLine([alice])).toEqual({ type: 'users', users: [{ name: 'alice', endpoint: '127.0.0.1:5001', session: 'a1', imstate: true }] });
    expect(errorLine('boom', true)).toEqual({ type: 'error', message: 'boom', fatal: true });
    expect(logLine({ at: 5, level: 'warn', kind: 'rejected', text: 'bad datagram' })).toEqual({
      type: 'log',
      at: 5,
      level: 'warn',
      kind: 'rejected',
      text: 'bad datagram',
    });
  });

  it('carry a message with its status, and a failure reason only when there is one', () => {
    const message = { id: 'm1', direction: 'out', from: 'alice', to: 'bob', text: 'a,b 你好', time: '10:41:40', status: 'sent' } as const;
    expect(messageLine(message)).toEqual({ type: 'message', ...message });
    expect(messageLine({ ...message, status: 'failed', reason: 'no receipt' })).toMatchObject({ status: 'failed', reason: 'no receipt' });
  });

  it('copy only the contract’s fields of a user', () => {
    const extra = { ...alice, secret: 'x' } as User;
    expect(Object.keys(userJoinedLine(extra)).sort()).toEqual(['endpoint', 'imstate', 'name', 'session', 'type']);
  });

  it('are written one JSON object per line, and a broken stdout stops writing instead of throwing', async () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
    const writer = createLineWriter(out);
    writer.write(stateLine({ value: 'online' }));
    writer.write(errorLine('line\nbreak', false));
    await writer.flush();
    const lines = chunks.join('').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.slice(0, 2).map((line) => JSON.parse(line).type)).toEqual(['state', 'error']);
    out.destroy(new Error('EPIPE'));
    expect(() => writer.write(stateLine({ value: 'x' }))).not.toThrow();
    await writer.flush();
  });

  it('go out as one write per turn of the event loop, in order, and flush() writes what waits at once', async () => {
    const out = new PassThrough();
    const writes: string[] = [];
    const write = out.write.bind(out);
    out.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      if (String(chunk).length > 0) writes.push(String(chunk));
      return write(chunk, ...rest);
    }) as typeof out.write;
    const writer = createLineWriter(out);
    for (let i = 0; i < 100; i++) writer.write(logLine({ at: i, level: 'info', kind: 'login', text: `user ${i}` }));
    expect(writes).toEqual([]);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
    expect(writes[0]?.trimEnd().split('\n').map((line) => (JSON.parse(line) as { at: number }).at)).toEqual([...Array(100).keys()]);
    writer.write(stateLine({ value: 'stopping' }));
    await writer.flush();
    expect(writes).toHaveLength(2);
    expect(JSON.parse(writes[1] ?? '')).toEqual({ type: 'state', state: 'stopping' });
  });

  it('write a batch early once it is large, so a burst never waits in memory', () => {
    const out = new PassThrough();
    const writes: number[] = [];
    const write = out.write.bind(out);
    out.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      writes.push(String(chunk).length);
      return write(chunk, ...rest);
    }) as typeof out.write;
    out.resume();
    const writer = createLineWriter(out);
    for (let i = 0; i < 2_000; i++) writer.write(logLine({ at: i, level: 'info', kind: 'login', text: 'x'.repeat(100) }));
    expect(writes.length).toBeGreaterThan(1);
    expect(writes.every((length) => length <= 64 * 1024 + 200)).toBe(true);
  });
});

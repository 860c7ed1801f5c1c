/**
 * The server machine's decisions on a simulated clock: logins (new, retransmitted, replacing), logouts with and
 * without confirmation, heartbeats, expiry, and its own start/stop lifecycle.
 */
import { describe, expect, it } from 'vitest';
import type { AnyActorRef } from 'xstate';
import type { Message } from '../../src/protocol/index.js';
import type { SessionDirectoryState } from '../../machines/session.directory.js';
import { settle, startServer, type ServerRig } from './support/harness.js';
import { ep } from './support/wire.js';

const login = (name: string, endpoint: string, session?: string): Message => ({
  type: 'login',
  name,
  endpoint: ep(endpoint),
  ...(session === undefined ? {} : { imstate: true, session }),
  extensions: [],
});
const logout = (name: string, endpoint: string, session?: string): Message => ({
  type: 'logout',
  name,
  endpoint: ep(endpoint),
  ...(session === undefined ? {} : { session }),
  extensions: [],
});

const running = async (rig: ServerRig): Promise<void> => {
  rig.actor.send({ type: 'START' });
  await settle();
  expect(rig.actor.getSnapshot().value).toEqual({ running: 'serving' });
};
const directory = (rig: ServerRig): SessionDirectoryState =>
  (rig.actor.getSnapshot().children.sessions as AnyActorRef).getSnapshot().context as SessionDirectoryState;
const sessionRef = (rig: ServerRig, name: string): AnyActorRef => {
  const ref = directory(rig).entries.get(name)?.ref;
  if (ref === undefined) throw new Error(`no session actor for ${name}`);
  return ref;
};
const sessionState = (rig: ServerRig, name: string): unknown => sessionRef(rig, name).getSnapshot().value;
const since = (rig: ServerRig, mark: number) => rig.emitted.slice(mark).filter((e) => e.type !== 'log');

describe('server: lifecycle', () => {
  it('starts on the ports bind reports and stops through unbind', async () => {
    const rig = startServer({ address: { host: '127.0.0.1', udpPort: 41000, tcpPort: 41001 } });
    await running(rig);
    expect(rig.actor.getSnapshot().context.address).toEqual({ host: '127.0.0.1', udpPort: 41000, tcpPort: 41001 });
    rig.receive(login('alice', '127.0.0.1:5001'), '127.0.0.1:5001');
    expect(rig.emitted).toContainEqual({ type: 'send', to: '127.0.0.1:5001', message: { type: 'Accept', tcpPort: 41001, extensions: [] } });
    const session = sessionRef(rig, 'alice');
    rig.actor.send({ type: 'STOP' });
    expect(rig.actor.getSnapshot().value).toBe('stopping');
    expect(session.getSnapshot().output).toEqual({ name: 'alice', session: '127.0.0.1:5001', reason: 'shutdown' });
    await settle();
    expect(rig.actor.getSnapshot().value).toBe('stopped');
    expect(rig.actor.getSnapshot().status).toBe('done');
  });

  it('fails with the bind error as its reason (e.g. the port is in use)', async () => {
    const rig = startServer({ bindError: 'UDP port 9000 on 127.0.0.1 is already in use — stop the other server or pick another port' });
    rig.actor.send({ type: 'START' });
    await settle();
    expect(rig.actor.getSnapshot().value).toBe('failed');
    expect(rig.actor.getSnapshot().output).toEqual({
      reason: 'UDP port 9000 on 127.0.0.1 is already in use — stop the other server or pick another port',
    });
  });

  it('stops while starting, fails when unbind fails, and stops from idle', async () => {
    const early = startServer();
    early.actor.send({ type: 'START' });
    early.actor.send({ type: 'STOP' });
    await settle();
    expect(early.actor.getSnapshot().value).toBe('stopped');
    const stuck = startServer({ unbindError: 'socket would not close' });
    await running(stuck);
    stuck.actor.send({ type: 'STOP' });
    await settle();
    expect(stuck.actor.getSnapshot().output).toEqual({ reason: 'the server did not stop cleanly: socket would not close' });
    const idle = startServer();
    idle.actor.send({ type: 'STOP' });
    expect(idle.actor.getSnapshot().value).toBe('stopped');
  });
});

describe('server: logins', () => {
  it('numbers the join, accepts with imstate fields only for an imstate login, and broadcasts both forms', async () => {
    const rig = startServer();
    await running(rig);
    const mark = rig.emitted.length;
    rig.receive(login('alice', '127.0.0.1:5001', 'sa'), '127.0.0.1:40001');
    const alice = { name: 'alice', endpoint: '127.0.0.1:5001', session: 'sa', imstate: true };
    expect(since(rig, mark)).toEqual([
      { type: 'presence', events: [{ type: 'joined', seq: 1, user: alice }] },
      {
        type: 'broadcast',
        classic: { type: 'login', name: 'alice', endpoint: ep('127.0.0.1:5001'), extensions: [] },
        extended: { type: 'login', name: 'alice', endpoint: ep('127.0.0.1:5001'), imstate: true, seq: 1, session: 'sa', extensions: [] },
        except: 'alice',
      },
      { type: 'send', to: '127.0.0.1:5001', message: { type: 'Accept', tcpPort: 9001, imstate: true, heartbeatMs: 1000, seq: 1, extensions: [] } },
    ]);
    expect(sessionState(rig, 'alice')).toBe('joining');
    const next = rig.emitted.length;
    rig.receive(login('bob', '127.0.0.1:5002'), '127.0.0.1:40002');
    expect(since(rig, next)).toEqual([
      { type: 'presence', events: [{ type: 'joined', seq: 2, user: { name: 'bob', endpoint: '127.0.0.1:5002', session: '127.0.0.1:5002', imstate: false } }] },
      {
        type: 'broadcast',
        classic: { type: 'login', name: 'bob', endpoint: ep('127.0.0.1:5002'), extensions: [] },
        extended: { type: 'login', name: 'bob', endpoint: ep('127.0.0.1:5002'), seq: 2, session: '127.0.0.1:5002', extensions: [] },
        except: 'bob',
      },
      { type: 'send', to: '127.0.0.1:5002', message: { type: 'Accept', tcpPort: 9001, extensions: [] } },
    ]);
    expect(sessionState(rig, 'bob')).toBe('online');
  });

  it('answers a retransmitted login with Accept again and no event', async () => {
    const rig = startServer();
    await running(rig);
    rig.receive(login('alice', '127.0.0.1:5001', 'sa'), '127.0.0.1:40001');
    const session = sessionRef(rig, 'alice');
    const mark = rig.emitted.length;
    rig.receive(login('alice', '127.0.0.1:5001', 'sa'), '127.0.0.1:40005');
    expect(since(rig, mark)).toEqual([
      { type: 'send', to: '127.0.0.1:5001', message: { type: 'Accept', tcpPort: 9001, imstate: true, heartbeatMs: 1000, seq: 1, extensions: [] } },
    ]);
    expect(sessionRef(rig, 'alice')).toBe(session);
  });

  it('replaces the older session of a name and tells the replaced imstate peer', async () => {
    const rig = startServer();
    await running(rig);
    rig.receive(login('alice', '127.0.0.1:5001', 'old'), '127.0.0.1:40001');
    const old = sessionRef(rig, 'alice');
    const mark = rig.emitted.length;
    rig.receive(login('alice', '127.0.0.1:6001', 'new'), '127.0.0.1:40009');
    const out = since(rig, mark);
    expect(out[0]).toEqual({
      type: 'presence',
      events: [
        { type: 'left', seq: 2, name: 'alice', session: 'old', reason: 'replaced' },
        { type: 'joined', seq: 3, user: { name: 'alice', endpoint: '127.0.0.1:6001', session: 'new', imstate: true } },
      ],
    });
    const notice = { type: 'logout', name: 'alice', endpoint: ep('127.0.0.1:5001'), seq: 2, session: 'old', reason: 'replaced', extensions: [] };
    expect(out).toContainEqual({ type: 'send', to: '127.0.0.1:5001', message: notice });
    expect(out).toContainEqual({
      type: 'broadcast',
      classic: { type: 'logout', name: 'alice', endpoint: ep('127.0.0.1:5001'), extensions: [] },
      extended: notice,
      except: 'alice',
    });
    expect(old.getSnapshot().output).toEqual({ name: 'alice', session: 'old', reason: 'replaced' });
    expect(directory(rig).entries.get('alice')?.session).toBe('new');
  });
});

describe('server: logouts', () => {
  it('confirms an imstate logout by sending the leaver its own logout with the sequence number', async () => {
    const rig = startServer();
    await running(rig);
    rig.receive(login('alice', '127.0.0.1:5001', 'sa'), '127.0.0.1:40001');
    const mark = rig.emitted.length;
    rig.receive(logout('alice', '127.0.0.1:5001', 'sa'), '127.0.0.1:40001');
    const confirmation = { type: 'logout', name: 'alice', endpoint: ep('127.0.0.1:5001'), seq: 2, session: 'sa', reason: 'logout', extensions: [] };
    expect(since(rig, mark)).toEqual([
      { type: 'presence', events: [{ type: 'left', seq: 2, name: 'alice', session: 'sa', reason: 'logout' }] },
      { type: 'broadcast', classic: { type: 'logout', name: 'alice', endpoint: ep('127.0.0.1:5001'), extensions: [] }, extended: confirmation, except: 'alice' },
      { type: 'send', to: '127.0.0.1:5001', message: confirmation },
    ]);
    expect(directory(rig).entries.size).toBe(0);
    // The confirmation was lost and the logout comes again: confirmed again, nothing else changes.
    const again = rig.emitted.length;
    rig.receive(logout('alice', '127.0.0.1:5001', 'sa'), '127.0.0.1:40001');
    expect(since(rig, again)).toEqual([{ type: 'send', to: '127.0.0.1:5001', message: confirmation }]);
  });

  it('removes a classic user by name without confirming, and ignores a stale imstate logout', async () => {
    const rig = startServer();
    await running(rig);
    rig.receive(login('bob', '127.0.0.1:5002'), '127.0.0.1:5002');
    rig.receive(login('alice', '127.0.0.1:5001', 'new'), '127.0.0.1:5001');
    const mark = rig.emitted.length;
    rig.receive(logout('alice', '127.0.0.1:5001', 'old'), '127.0.0.1:5001');
    expect(since(rig, mark).filter((e) => e.type !== 'send')).toEqual([]);
    rig.receive(logout('bob', '127.0.0.1:5002'), '127.0.0.1:5002');
    expect(since(rig, mark).filter((e) => e.type === 'presence')).toEqual([
      { type: 'presence', events: [{ type: 'left', seq: 3, name: 'bob', session: '127.0.0.1:5002', reason: 'logout' }] },
    ]);
    expect([...directory(rig).entries.keys()]).toEqual(['alice']);
  });
});

describe('server: heartbeats and expiry', () => {
  it('answers a known ping with pong and the sequence number, an unknown one with unknown', async () => {
    const rig = startServer();
    await running(rig);
    rig.receive(login('alice', '127.0.0.1:5001', 'sa'), '127.0.0.1:40001');
    const mark = rig.emitted.length;
    rig.receive({ type: 'ping', name: 'alice', session: 'sa' }, '127.0.0.1:5001');
    rig.receive({ type: 'ping', name: 'alice', session: 'other' }, '127.0.0.1:7777');
    rig.receive({ type: 'ping', name: 'zed', session: 'sz' }, '127.0.0.1:7778');
    expect(since(rig, mark)).toEqual([
      { type: 'send', to: '127.0.0.1:5001', message: { type: 'pong', seq: 1 } },
      { type: 'send', to: '127.0.0.1:7777', message: { type: 'unknown', name: 'alice' } },
      { type: 'send', to: '127.0.0.1:7778', message: { type: 'unknown', name: 'zed' } },
    ]);
    expect(sessionState(rig, 'alice')).toBe('online');
  });

  it('expires a silent imstate session after the missed heartbeats; pings keep one alive; classic never expires', async () => {
    const rig = startServer();
    await running(rig);
    rig.receive(login('silent', '127.0.0.1:5001', 's1'), '127.0.0.1:5001');
    rig.receive(login('chatty', '127.0.0.1:5002', 's2'), '127.0.0.1:5002');
    rig.receive(login('classic', '127.0.0.1:5003'), '127.0.0.1:5003');
    const silent = sessionRef(rig, 'silent');
    const mark = rig.emitted.length;
    for (let period = 0; period < 3; period++) {
      rig.receive({ type: 'ping', name: 'chatty', session: 's2' }, '127.0.0.1:5002');
      rig.advance(1000);
    }
    expect(since(rig, mark).filter((e) => e.type === 'presence')).toEqual([]);
    rig.receive({ type: 'ping', name: 'chatty', session: 's2' }, '127.0.0.1:5002');
    rig.advance(1000);
    expect(since(rig, mark).filter((e) => e.type === 'presence' || e.type === 'broadcast')).toEqual([
      { type: 'presence', events: [{ type: 'left', seq: 4, name: 'silent', session: 's1', reason: 'expired' }] },
      {
        type: 'broadcast',
        classic: { type: 'logout', name: 'silent', endpoint: ep('127.0.0.1:5001'), extensions: [] },
        extended: { type: 'logout', name: 'silent', endpoint: ep('127.0.0.1:5001'), seq: 4, session: 's1', reason: 'expired', extensions: [] },
        except: 'silent',
      },
    ]);
    expect(silent.getSnapshot().output).toEqual({ name: 'silent', session: 's1', reason: 'expired' });
    rig.advance(10_000);
    expect([...directory(rig).entries.keys()].sort()).toEqual(['classic']);
  });

  it('logs and ignores datagrams a server does not handle', async () => {
    const rig = startServer();
    await running(rig);
    rig.receive({ type: 'talk', time: 't', name: 'x', text: 'hi' }, '127.0.0.1:5555');
    expect(rig.emitted.at(-1)).toEqual({ type: 'log', level: 'warn', kind: 'ignored', text: 'ignored a talk datagram from 127.0.0.1:5555' });
  });

  it('keeps one child however many users are online (sessions live in the directory)', async () => {
    const rig = startServer();
    await running(rig);
    for (let i = 0; i < 500; i++) rig.receive(login(`u${i}`, `127.0.0.1:${10000 + i}`, `s${i}`), '127.0.0.1:1');
    expect(Object.keys(rig.actor.getSnapshot().children)).toEqual(['sessions']);
    expect(directory(rig).entries.size).toBe(500);
  });
});

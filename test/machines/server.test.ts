/**
 * The server machine's decisions on a simulated clock: logins (pending until their host fetches the list, then
 * listed; retransmitted; replacing), logouts with and without confirmation, heartbeats, expiry, and its own
 * start/stop lifecycle. The trust rules' refusals are in ./server.trust.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { AnyActorRef } from 'xstate';
import { createMemoryLog, presenceSize, type MemoryPresenceLog, type PresenceChange } from '../../src/presence/index.js';
import type { Message } from '../../src/protocol/index.js';
import type { SessionDirectoryState } from '../../machines/session.directory.js';
import { datagramEvent } from '../../machines/commands.js';
import { settle, startServer, type ServerRig } from './support/harness.js';
import { ep } from './support/wire.js';

const login = (name: string, endpoint: string, session?: string): Message => ({
  type: 'login',
  name,
  endpoint: ep(endpoint),
  ...(session === undefined ? {} : { imstate: true, session }),
  extensions: [],
});
const logout = (name: string, endpoint: string, session?: string, secret?: string): Message => ({
  type: 'logout',
  name,
  endpoint: ep(endpoint),
  ...(session === undefined ? {} : { session }),
  ...(secret === undefined ? {} : { secret }),
  extensions: [],
});

/** The last `Accept` sent to `to`. */
const acceptTo = (rig: ServerRig, to: string): Extract<Message, { type: 'Accept' }> | undefined =>
  rig.emitted.flatMap((e) => (e.type === 'send' && e.to === to && e.message.type === 'Accept' ? [e.message] : [])).at(-1);
/** The secret the last `Accept` to `to` carried. */
const secretTo = (rig: ServerRig, to: string): string => {
  const secret = acceptTo(rig, to)?.secret;
  if (secret === undefined) throw new Error(`no secret was sent to ${to}`);
  return secret;
};
/** Logs in and proves it as the original client and our peer do: the list fetch from the same host. */
const online = async (rig: ServerRig, message: Message, from: string): Promise<void> => {
  await rig.receive(message, from);
  await rig.fetchList(`${from.slice(0, from.lastIndexOf(':'))}:47000`);
};
/** Session ids as long as a real peer's (12 characters), so the Accept with its imstate fields fits the login. */
const sid = (tag: string): string => tag.padEnd(12, '-');

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
/** What went out since `mark`, the log's lines and the append requests left out (see {@link appended}). */
const since = (rig: ServerRig, mark: number) => rig.emitted.slice(mark).filter((e) => e.type !== 'log' && e.type !== 'presence.append');
/** The append requests since `mark`: the changes decided and the seq they were decided at. */
const appended = (rig: ServerRig, mark: number) =>
  rig.emitted.slice(mark).flatMap((e) => (e.type === 'presence.append' ? [{ changes: e.changes, at: e.at, attempt: e.attempt }] : []));
/** What the log recorded after `seq`. */
const recorded = (rig: ServerRig, seq = 0) => rig.log.readFrom(seq);

describe('server: lifecycle', () => {
  it('starts on the ports bind reports and stops through unbind', async () => {
    const rig = startServer({ address: { host: '127.0.0.1', udpPort: 41000, tcpPort: 41001 } });
    await running(rig);
    expect(rig.actor.getSnapshot().context.address).toEqual({ host: '127.0.0.1', udpPort: 41000, tcpPort: 41001 });
    await online(rig, login('alice', '127.0.0.1:5001'), '127.0.0.1:5001');
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
  it('accepts a login at once but lists and broadcasts it only once its host fetched the list, then serves that list', async () => {
    const rig = startServer();
    await running(rig);
    const mark = rig.emitted.length;
    await rig.receive(login('alice', '127.0.0.1:5001', sid('sa')), '127.0.0.1:40001');
    const secret = secretTo(rig, '127.0.0.1:5001');
    expect(since(rig, mark)).toEqual([
      { type: 'send', to: '127.0.0.1:5001', message: { type: 'Accept', tcpPort: 9001, imstate: true, heartbeatMs: 1000, seq: 0, secret, extensions: [] } },
    ]);
    // Pending: nothing appended, nobody told, no session.
    expect(appended(rig, mark)).toEqual([]);
    expect(directory(rig).entries.size).toBe(0);
    const proving = rig.emitted.length;
    const id = await rig.fetchList('127.0.0.1:47001');
    const alice = { name: 'alice', endpoint: '127.0.0.1:5001', session: sid('sa'), imstate: true };
    expect(appended(rig, proving)).toEqual([{ changes: [{ type: 'joined', user: alice }], at: 0, attempt: 1 }]);
    expect(await recorded(rig)).toEqual([{ type: 'joined', seq: 1, user: alice }]);
    // The log's event drives the broadcast; the log's answer serves the waiting fetch, which now lists alice.
    expect(since(rig, proving)).toEqual([
      {
        type: 'broadcast',
        classic: { type: 'login', name: 'alice', endpoint: ep('127.0.0.1:5001'), extensions: [] },
        extended: { type: 'login', name: 'alice', endpoint: ep('127.0.0.1:5001'), imstate: true, seq: 1, session: sid('sa'), extensions: [] },
        except: 'alice',
      },
      { type: 'list.serve', id },
    ]);
    expect(sessionState(rig, 'alice')).toBe('joining');
    const next = rig.emitted.length;
    await online(rig, login('bob', '127.0.0.1:5002'), '127.0.0.1:40002');
    expect(await recorded(rig, 1)).toEqual([
      { type: 'joined', seq: 2, user: { name: 'bob', endpoint: '127.0.0.1:5002', session: '127.0.0.1:5002', imstate: false } },
    ]);
    expect(since(rig, next)).toEqual([
      { type: 'send', to: '127.0.0.1:5002', message: { type: 'Accept', tcpPort: 9001, extensions: [] } },
      {
        type: 'broadcast',
        classic: { type: 'login', name: 'bob', endpoint: ep('127.0.0.1:5002'), extensions: [] },
        extended: { type: 'login', name: 'bob', endpoint: ep('127.0.0.1:5002'), seq: 2, session: '127.0.0.1:5002', extensions: [] },
        except: 'bob',
      },
      { type: 'list.serve', id: 2 },
    ]);
    expect(sessionState(rig, 'bob')).toBe('online');
  });

  it('answers every login its host\'s bucket lets through, the one that takes the last token too', async () => {
    const rig = startServer();
    await running(rig);
    // The default bucket holds 8 logins: 8 at once are each accepted (the guard and the action judge alike), the 9th is dropped.
    for (let i = 0; i < 9; i++) await rig.receive(login(`u${i}`, `127.0.0.1:${5000 + i}`, sid(`u${i}`)), `127.0.0.1:${5000 + i}`);
    const accepted = Array.from({ length: 9 }, (_, i) => acceptTo(rig, `127.0.0.1:${5000 + i}`) !== undefined);
    expect(accepted).toEqual([true, true, true, true, true, true, true, true, false]);
    await rig.fetchList('127.0.0.1:47000');
    expect(presenceSize(rig.actor.getSnapshot().context.presence)).toBe(8);
  });

  it('answers the same event object sent again as the pending login it now is', async () => {
    const rig = startServer();
    await running(rig);
    const event = datagramEvent(login('ann', '127.0.0.1:5000', sid('ann')), ep('127.0.0.1:5000'));
    rig.actor.send(event);
    await settle();
    const first = secretTo(rig, '127.0.0.1:5000');
    // Judged again, it is the pending login it now is: the same Accept, the same secret (not a second new login).
    rig.actor.send(event);
    await settle();
    const accepts = rig.emitted.filter((e) => e.type === 'send' && e.to === '127.0.0.1:5000' && e.message.type === 'Accept');
    expect(accepts).toHaveLength(2);
    expect(secretTo(rig, '127.0.0.1:5000')).toBe(first);
  });

  it('never sends an Accept larger than the login: the imstate fields go only when they fit', async () => {
    const rig = startServer();
    await running(rig);
    await rig.receive(login('alice', '127.0.0.1:5001', 'sa'), '127.0.0.1:40001');
    // A 2-character session makes the login too small for the secret: it is served as a classic login.
    expect(acceptTo(rig, '127.0.0.1:5001')).toEqual({ type: 'Accept', tcpPort: 9001, extensions: [] });
    await rig.receive(login('a-much-longer-name', '127.0.0.1:5003', sid('sc')), '127.0.0.1:40003');
    expect(acceptTo(rig, '127.0.0.1:5003')).toMatchObject({ imstate: true, heartbeatMs: 1000, seq: 0 });
    await rig.fetchList('127.0.0.1:47000');
    expect((await recorded(rig)).map((e) => (e.type === 'joined' ? [e.user.name, e.user.imstate] : []))).toEqual([
      ['alice', false],
      ['a-much-longer-name', true],
    ]);
  });

  it('answers a retransmitted login with Accept again and no event, pending or online', async () => {
    const rig = startServer();
    await running(rig);
    await rig.receive(login('alice', '127.0.0.1:5001', sid('sa')), '127.0.0.1:40001');
    const first = acceptTo(rig, '127.0.0.1:5001');
    const pending = rig.emitted.length;
    await rig.receive(login('alice', '127.0.0.1:5001', sid('sa')), '127.0.0.1:40005');
    expect(since(rig, pending)).toEqual([{ type: 'send', to: '127.0.0.1:5001', message: first }]);
    await rig.fetchList('127.0.0.1:47000');
    const session = sessionRef(rig, 'alice');
    const mark = rig.emitted.length;
    await rig.receive(login('alice', '127.0.0.1:5001', sid('sa')), '127.0.0.1:40005');
    expect(since(rig, mark)).toEqual([{ type: 'send', to: '127.0.0.1:5001', message: { ...first, seq: 1 } }]);
    expect(appended(rig, mark)).toEqual([]);
    expect(sessionRef(rig, 'alice')).toBe(session);
  });

  it('replaces the older session of a name from the same host and tells the replaced imstate peer', async () => {
    const rig = startServer();
    await running(rig);
    await online(rig, login('alice', '127.0.0.1:5001', sid('old')), '127.0.0.1:40001');
    const old = sessionRef(rig, 'alice');
    const mark = rig.emitted.length;
    await online(rig, login('alice', '127.0.0.1:6001', sid('new')), '127.0.0.1:40009');
    const out = since(rig, mark);
    expect(await recorded(rig, 1)).toEqual([
      { type: 'left', seq: 2, name: 'alice', session: sid('old'), reason: 'replaced' },
      { type: 'joined', seq: 3, user: { name: 'alice', endpoint: '127.0.0.1:6001', session: sid('new'), imstate: true } },
    ]);
    const notice = { type: 'logout', name: 'alice', endpoint: ep('127.0.0.1:5001'), seq: 2, session: sid('old'), reason: 'replaced', by: ep('127.0.0.1:6001'), extensions: [] };
    expect(out).toContainEqual({ type: 'send', to: '127.0.0.1:5001', message: notice });
    // Everyone else hears the leave without `by` (the replacing login's join comes next).
    const { by: _by, ...leave } = notice;
    expect(out).toContainEqual({
      type: 'broadcast',
      classic: { type: 'logout', name: 'alice', endpoint: ep('127.0.0.1:5001'), extensions: [] },
      extended: leave,
      except: 'alice',
    });
    expect(old.getSnapshot().output).toEqual({ name: 'alice', session: sid('old'), reason: 'replaced' });
    expect(directory(rig).entries.get('alice')?.session).toBe(sid('new'));
  });
});

describe('server: logouts', () => {
  it('confirms an imstate logout carrying the secret by sending the leaver its own logout with the sequence number', async () => {
    const rig = startServer();
    await running(rig);
    await online(rig, login('alice', '127.0.0.1:5001', sid('sa')), '127.0.0.1:40001');
    const secret = secretTo(rig, '127.0.0.1:5001');
    const mark = rig.emitted.length;
    await rig.receive(logout('alice', '127.0.0.1:5001', sid('sa'), secret), '127.0.0.1:5001');
    const confirmation = { type: 'logout', name: 'alice', endpoint: ep('127.0.0.1:5001'), seq: 2, session: sid('sa'), reason: 'logout', extensions: [] };
    expect(await recorded(rig, 1)).toEqual([{ type: 'left', seq: 2, name: 'alice', session: sid('sa'), reason: 'logout' }]);
    expect(since(rig, mark)).toEqual([
      { type: 'broadcast', classic: { type: 'logout', name: 'alice', endpoint: ep('127.0.0.1:5001'), extensions: [] }, extended: confirmation, except: 'alice' },
      { type: 'send', to: '127.0.0.1:5001', message: confirmation },
    ]);
    expect(directory(rig).entries.size).toBe(0);
    // The confirmation was lost and the logout comes again: confirmed again, nothing else changes.
    const again = rig.emitted.length;
    await rig.receive(logout('alice', '127.0.0.1:5001', sid('sa'), secret), '127.0.0.1:5001');
    expect(since(rig, again)).toEqual([{ type: 'send', to: '127.0.0.1:5001', message: confirmation }]);
    expect(appended(rig, again)).toEqual([]);
  });

  it('removes a classic user by name without confirming, and ignores a stale imstate logout', async () => {
    const rig = startServer();
    await running(rig);
    await online(rig, login('bob', '127.0.0.1:5002'), '127.0.0.1:5002');
    await online(rig, login('alice', '127.0.0.1:5001', sid('new')), '127.0.0.1:5001');
    const mark = rig.emitted.length;
    await rig.receive(logout('alice', '127.0.0.1:5001', sid('old')), '127.0.0.1:5001');
    expect(since(rig, mark).filter((e) => e.type !== 'send')).toEqual([]);
    await rig.receive(logout('bob', '127.0.0.1:5002'), '127.0.0.1:5002');
    expect(await recorded(rig, 2)).toEqual([{ type: 'left', seq: 3, name: 'bob', session: '127.0.0.1:5002', reason: 'logout' }]);
    expect([...directory(rig).entries.keys()]).toEqual(['alice']);
  });
});

describe('server: heartbeats and expiry', () => {
  it('answers a ping carrying the secret with pong and the sequence number, an unknown one with unknown', async () => {
    const rig = startServer();
    await running(rig);
    await online(rig, login('alice', '127.0.0.1:5001', sid('sa')), '127.0.0.1:40001');
    const secret = secretTo(rig, '127.0.0.1:5001');
    const mark = rig.emitted.length;
    await rig.receive({ type: 'ping', name: 'alice', session: sid('sa'), secret }, '127.0.0.1:5001');
    await rig.receive({ type: 'ping', name: 'alice', session: 'other' }, '127.0.0.1:7777');
    await rig.receive({ type: 'ping', name: 'zed', session: 'sz' }, '127.0.0.1:7778');
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
    await rig.receive(login('silent', '127.0.0.1:5001', sid('s1')), '127.0.0.1:5001');
    await rig.receive(login('chatty', '127.0.0.1:5002', sid('s2')), '127.0.0.1:5002');
    await rig.receive(login('classic', '127.0.0.1:5003'), '127.0.0.1:5003');
    await rig.fetchList('127.0.0.1:47000');
    const secret = secretTo(rig, '127.0.0.1:5002');
    const ping = { type: 'ping', name: 'chatty', session: sid('s2'), secret } as const;
    const silent = sessionRef(rig, 'silent');
    const mark = rig.emitted.length;
    for (let period = 0; period < 3; period++) {
      await rig.receive(ping, '127.0.0.1:5002');
      rig.advance(1000);
    }
    await settle();
    expect(rig.log.seq).toBe(3);
    await rig.receive(ping, '127.0.0.1:5002');
    rig.advance(1000);
    await settle();
    expect(await recorded(rig, 3)).toEqual([{ type: 'left', seq: 4, name: 'silent', session: sid('s1'), reason: 'expired' }]);
    expect(since(rig, mark).filter((e) => e.type === 'broadcast')).toEqual([
      {
        type: 'broadcast',
        classic: { type: 'logout', name: 'silent', endpoint: ep('127.0.0.1:5001'), extensions: [] },
        extended: { type: 'logout', name: 'silent', endpoint: ep('127.0.0.1:5001'), seq: 4, session: sid('s1'), reason: 'expired', extensions: [] },
        except: 'silent',
      },
    ]);
    expect(silent.getSnapshot().output).toEqual({ name: 'silent', session: sid('s1'), reason: 'expired' });
    rig.advance(10_000);
    expect([...directory(rig).entries.keys()].sort()).toEqual(['classic']);
  });

  it('logs and ignores datagrams a server does not handle', async () => {
    const rig = startServer();
    await running(rig);
    await rig.receive({ type: 'talk', time: 't', name: 'x', text: 'hi' }, '127.0.0.1:5555');
    expect(rig.emitted.at(-1)).toEqual({ type: 'log', level: 'warn', kind: 'ignored', text: 'ignored a talk datagram from 127.0.0.1:5555' });
  });

  it('keeps one child however many users are online (sessions live in the directory)', async () => {
    const rig = startServer({ input: { trust: { maxSessionsPerAddress: 1000, loginBurst: 1000 } } });
    await running(rig);
    for (let i = 0; i < 500; i++) await rig.receive(login(`u${i}`, `127.0.0.1:${10000 + i}`, sid(`s${i}`)), '127.0.0.1:1');
    await rig.fetchList('127.0.0.1:47000');
    expect(Object.keys(rig.actor.getSnapshot().children)).toEqual(['sessions']);
    expect(directory(rig).entries.size).toBe(500);
  });
});

describe('server: the presence log decides what happened', () => {
  /** A log on which another writer gets in first, `times` times, each just before our append lands. */
  const racedLog = (times: number) => {
    const log = createMemoryLog();
    let left = times;
    let n = 0;
    return Object.create(log, {
      append: {
        value: (changes: readonly PresenceChange[], at: number) => {
          if (left-- > 0) void log.append([{ type: 'joined', user: { name: `other${n}`, endpoint: '127.0.0.1:7000', session: `o${n++}`, imstate: true } }], log.seq);
          return log.append(changes, at);
        },
      },
    }) as MemoryPresenceLog;
  };

  it('decides again on a conflict, from the fold the log brought, and answers with the seq the log gave', async () => {
    const rig = startServer({ log: racedLog(1) });
    await running(rig);
    const mark = rig.emitted.length;
    await online(rig, login('alice', '127.0.0.1:5001', sid('sa')), '127.0.0.1:40001');
    expect(appended(rig, mark).map(({ at, attempt }) => ({ at, attempt }))).toEqual([
      { at: 0, attempt: 1 },
      { at: 1, attempt: 2 },
    ]);
    expect((await recorded(rig)).map((e) => (e.type === 'joined' ? e.user.name : e.name))).toEqual(['other0', 'alice']);
    expect(rig.emitted.slice(mark)).toContainEqual(expect.objectContaining({ type: 'log', level: 'warn', kind: 'presence' }));
    expect(since(rig, mark).at(-1)).toEqual({ type: 'list.serve', id: 1 });
    // The other writer's join came through the log too: broadcast and a session like any other.
    expect(since(rig, mark).filter((e) => e.type === 'broadcast').map((e) => e.type === 'broadcast' && e.except)).toEqual(['other0', 'alice']);
    expect([...directory(rig).entries.keys()].sort()).toEqual(['alice', 'other0']);
  });

  it('gives up after the bounded tries, says so, and serves the waiting fetch the list without the login', async () => {
    const rig = startServer({ log: racedLog(100) });
    await running(rig);
    await rig.receive(login('alice', '127.0.0.1:5001', sid('sa')), '127.0.0.1:40001');
    const mark = rig.emitted.length;
    const id = await rig.fetchList('127.0.0.1:47000');
    expect(appended(rig, mark).map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(rig.emitted.slice(mark)).toContainEqual({
      type: 'log',
      level: 'error',
      kind: 'presence',
      text: 'gave up on the login of alice after 5 conflicts on the presence log',
    });
    expect(since(rig, mark).filter((e) => e.type === 'send' || e.type === 'list.serve')).toEqual([{ type: 'list.serve', id }]);
  });
});

describe('server: a login proven while its join is on its way', () => {
  it('asks again for a duplicated proving ping (joining once), and answers a retransmitted login with the same Accept', async () => {
    // A log whose appends resolve only when the test says: the join stays on its way.
    const log = createMemoryLog();
    const held: (() => void)[] = [];
    const slow = Object.create(log, {
      append: {
        value: (changes: readonly PresenceChange[], at: number) =>
          new Promise((resolve) => held.push(() => resolve(log.append(changes, at)))),
      },
    }) as MemoryPresenceLog;
    const rig = startServer({ log: slow });
    await running(rig);
    await rig.receive(login('alice', '127.0.0.1:5001', sid('sa')), '127.0.0.1:5001');
    const accept = acceptTo(rig, '127.0.0.1:5001');
    const ping = { type: 'ping', name: 'alice', session: sid('sa'), secret: secretTo(rig, '127.0.0.1:5001') } as const;
    await rig.receive(ping, '127.0.0.1:5001');
    const mark = rig.emitted.length;
    // Neither is answered `unknown`, nor given a new secret: the login is still pending.
    await rig.receive(ping, '127.0.0.1:5001');
    await rig.receive(login('alice', '127.0.0.1:5001', sid('sa')), '127.0.0.1:5001');
    expect(since(rig, mark)).toEqual([{ type: 'send', to: '127.0.0.1:5001', message: accept }]);
    expect(held).toHaveLength(2);
    // Both appends were decided at seq 0: one lands, the other conflicts and is decided again with no change.
    for (let i = 0; i < held.length; i++) {
      held[i]?.();
      await settle();
    }
    expect((await recorded(rig)).map((e) => e.type)).toEqual(['joined']);
    expect(since(rig, mark).filter((e) => e.type === 'send' && e.message.type === 'pong')).toEqual([
      { type: 'send', to: '127.0.0.1:5001', message: { type: 'pong', seq: 1 } },
      { type: 'send', to: '127.0.0.1:5001', message: { type: 'pong', seq: 1 } },
    ]);
    expect(rig.actor.getSnapshot().context.trust.pending.size).toBe(0);
  });
});

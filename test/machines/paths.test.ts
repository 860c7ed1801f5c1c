/**
 * Path coverage: `xstate/graph`'s shortest paths (each extended by one event) reach every state node and take every
 * transition of each machine's definition. A state that becomes unreachable, or a transition no event can take,
 * fails here with its name.
 */
import { describe, expect, it } from 'vitest';
import { createEmptyActor, type AnyMachineSnapshot, type EventObject } from 'xstate';
import { listUsers, presenceSeq, replicaFindUser, replicaReady, resyncNeeded, type PresenceState, type Replica } from '../../src/presence/index.js';
import { datagramEvent } from '../../machines/commands.js';
import { peerMachine, type PeerContext } from '../../machines/peer.machine.js';
import type { Message } from '../../src/protocol/index.js';
import { serverMachine, type ServerContext } from '../../machines/server.machine.js';
import { sessionMachine } from '../../machines/session.machine.js';
import { talkMachine } from '../../machines/talk.machine.js';
import { coverage, type Coverage } from './support/coverage.js';
import { classic, classicAccept, ep, imstateAccept, imstateList, joined, left, rtalk } from './support/wire.js';

const datagram = (message: unknown, from = '127.0.0.1:9000'): EventObject => datagramEvent(message as Message, ep(from));
const done = (id: string, output: unknown): EventObject => ({ type: `xstate.done.actor.${id}`, output, actorId: id } as EventObject);
const error = (id: string, message: string): EventObject => ({ type: `xstate.error.actor.${id}`, error: new Error(message), actorId: id } as EventObject);

const expectFull = (result: Coverage): void => {
  expect(result.unreachedStates, 'states no path reaches').toEqual([]);
  expect(result.untakenTransitions, 'transitions no path takes').toEqual([]);
  expect(result.transitionCount).toBeGreaterThan(0);
};

/** What the peer's guards can see of the replica: ready, a gap, and the talk recipients the catalog names. */
const replicaKey = (replica: Replica): string => {
  const bob = replicaFindUser(replica, 'bob');
  return `${replicaReady(replica)}/${resyncNeeded(replica) !== undefined}/${bob === undefined ? '-' : bob.imstate}/${replicaFindUser(replica, 'carol') !== undefined}`;
};

describe('path coverage', () => {
  it('peer: every state and transition', () => {
    const list = imstateList(1, [
      { name: 'alice', endpoint: '127.0.0.1:5001' },
      { name: 'bob', endpoint: '127.0.0.1:5002' },
      { name: 'carol', endpoint: '127.0.0.1:5003', imstate: false },
    ]);
    const listOutputs = [list, { list: 'not a list' }];
    const catalog: EventObject[] = [
      { type: 'LOGIN' },
      { type: 'LOGOUT' },
      { type: 'SAY', to: 'bob', text: 'hi', id: 'm1', time: 't' } as EventObject,
      { type: 'SAY', to: 'carol', text: 'hi', id: 'm2', time: 't' } as EventObject,
      { type: 'SAY', to: 'zed', text: 'hi', id: 'm3', time: 't' } as EventObject,
      done('bindSocket', '127.0.0.1:5001'),
      done('bindSocket', 'garbage'),
      error('bindSocket', 'EADDRINUSE'),
      ...listOutputs.map((output) => done('fetchList', output)),
      error('fetchList', 'refused'),
      ...listOutputs.map((output) => done('resync', output)),
      error('resync', 'refused'),
      datagram(imstateAccept(1)),
      datagram(classicAccept()),
      datagram({ type: 'Refuse', reason: 'no' }),
      datagram(joined('dave', '127.0.0.1:5004', 2)),
      datagram(joined('gina', '127.0.0.1:5007', 3)),
      datagram(joined('erin', '127.0.0.1:5005', 4)),
      datagram(classic('login', 'fred', '127.0.0.1:5006')),
      datagram({
        type: 'batch',
        first: 2,
        entries: [
          { type: 'login', name: 'dave', endpoint: { family: 'IPv4', address: '127.0.0.1', port: 5004 }, session: 's-dave', imstate: true },
          { type: 'logout', name: 'bob', session: 's-bob', reason: 'logout' },
        ],
      }),
      datagram({ type: 'pong', seq: 1 }),
      datagram({ type: 'unknown', name: 'alice' }),
      datagram(left('alice', '127.0.0.1:5001', 9, 'replaced', 's-alice')),
      datagram(left('alice', '127.0.0.1:5001', 9, 'logout', 's-alice')),
      // The same server-only datagrams from a stranger: each state rejects them (the notFromServer guard).
      ...[imstateAccept(1), { type: 'Refuse', reason: 'no' }, joined('mal', '127.0.0.5:5009', 2), { type: 'pong', seq: 1 }, { type: 'unknown', name: 'alice' }, left('alice', '127.0.0.1:5001', 9, 'logout', 's-alice'), { type: 'batch', first: 2, entries: [] }].map(
        (message) => datagram(message, '127.0.0.5:40000'),
      ),
      datagram({ type: 'talk', time: 't', name: 'carol', text: 'hi' }),
      datagram(rtalk('b1', 'bob', 'hi')),
      datagram({ type: 'receipt', id: 'm1', name: 'bob' }),
      { type: 'talk.timeout', id: 'm1' } as EventObject,
    ];
    const result = coverage(peerMachine, {
      // Small counts keep the state space small; the guards are the same at any count.
      inputs: [{ name: 'alice', server: '127.0.0.1:9000', session: 's-alice', options: { loginTries: 2, reconnectTries: 2, listTries: 2, pongMisses: 1 } }],
      catalog,
      serialize: (snapshot: AnyMachineSnapshot) => {
        const c = snapshot.context as PeerContext;
        return JSON.stringify([
          snapshot.value,
          c.endpoint === undefined,
          c.loginTries,
          c.wasOnline,
          c.listTries,
          c.pings,
          c.accept?.heartbeatMs ?? null,
          c.serverImstate ?? null,
          c.talks.map((talk) => talk.id),
          c.recent.has('bob'),
          replicaKey(c.replica),
        ]);
      },
    });
    expectFull(result);
  });

  it('server: every state and transition', () => {
    // Every secret is the same (the bytes are constant), so the catalog can carry it.
    const secret = 'AAAAAAAAAAAA';
    const session = 's1'.padEnd(12, '-');
    const alice = (s: string) => ({ type: 'login', name: 'alice', endpoint: ep('127.0.0.1:5001'), imstate: true, session: s, extensions: [] });
    const aliceUser = { name: 'alice', endpoint: '127.0.0.1:5001', session, imstate: true };
    const proven = { type: 'login.proven', users: [aliceUser], list: 1 };
    const catalog: EventObject[] = [
      { type: 'START' },
      { type: 'STOP' },
      done('bind', { host: '127.0.0.1', udpPort: 9000, tcpPort: 9001 }),
      error('bind', 'port in use'),
      done('unbind', undefined),
      error('unbind', 'stuck'),
      datagram(alice(session), '127.0.0.1:5001'),
      datagram(alice('s2'.padEnd(12, '-')), '127.0.0.1:5001'),
      datagram(classic('login', 'bob', '127.0.0.1:5002'), '127.0.0.1:5002'),
      // From another host: naming 127.0.0.1 (refused), and a flood of its own (dropped once its bucket is dry).
      datagram(classic('login', 'mallory', '127.0.0.1:5009'), '127.0.0.5:5009'),
      datagram(classic('login', 'flood', '127.0.0.66:5009'), '127.0.0.66:5009'),
      // Tried before the list fetch: a pending login proven by its ping, then the ping of an online session.
      datagram({ type: 'ping', name: 'alice', session, secret }, '127.0.0.1:5001'),
      { type: 'list.requested', id: 1, from: ep('127.0.0.1:47000') } as EventObject,
      datagram({ type: 'logout', name: 'alice', endpoint: ep('127.0.0.1:5001'), session, secret, extensions: [] }, '127.0.0.1:5001'),
      datagram({ type: 'logout', name: 'alice', endpoint: ep('127.0.0.1:5001'), session, extensions: [] }, '127.0.0.5:5001'),
      datagram(classic('logout', 'bob', '127.0.0.1:5002'), '127.0.0.1:5002'),
      datagram(classic('logout', 'bob', '127.0.0.1:5002'), '127.0.0.66:5002'),
      datagram({ type: 'ping', name: 'alice', session, secret: 'BBBBBBBBBBBB' }, '127.0.0.5:5001'),
      datagram({ type: 'ping', name: 'zed', session: 's9' }, '127.0.0.1:5001'),
      datagram({ type: 'ping', name: 'zed', session: 's9' }, '127.0.0.67:5001'),
      datagram({ type: 'talk', time: 't', name: 'x', text: 'y' }),
      { type: 'session.expired', name: 'alice', session } as EventObject,
      // What the presence log delivers and answers (src/engine/presence-link.ts in the engine).
      { type: 'presence.events', events: [{ type: 'joined', seq: 1, user: aliceUser }] } as EventObject,
      { type: 'presence.events', events: [{ type: 'left', seq: 2, name: 'alice', session, reason: 'logout' }] } as EventObject,
      { type: 'presence.appended', cause: proven, events: [] } as EventObject,
      { type: 'presence.conflict', cause: proven, attempt: 1, seq: 1 } as EventObject,
      { type: 'presence.conflict', cause: proven, attempt: 5, seq: 1 } as EventObject,
    ];
    const result = coverage(serverMachine, {
      // Generous buckets for every rule, then buckets of one token, so that each bucket's empty branch is taken.
      inputs: [{}, { loginBurst: 1, loginsPerSecond: 0, pingBurst: 1, pingsPerSecond: 0 }].map((trust) => ({
        host: '127.0.0.1',
        udpPort: 9000,
        tcpPort: 9001,
        randomBytes: (size: number) => new Uint8Array(size),
        trust,
      })),
      catalog,
      // The sequence number grows without bound; who is online (and how) and who is pending is what decides.
      serialize: (snapshot: AnyMachineSnapshot) => {
        const { presence: fold, trust } = snapshot.context as ServerContext;
        const presence = fold as PresenceState;
        return JSON.stringify([snapshot.value, listUsers(presence).map((u) => `${u.name}:${u.session}`), presenceSeq(presence) > 0, trust.pending.size]);
      },
    });
    expectFull(result);
  });

  it('session: every state and transition, for an imstate and a classic user', () => {
    const user = (imstate: boolean) => ({ name: 'alice', endpoint: '127.0.0.1:5001', session: imstate ? 's1' : '127.0.0.1:5001', imstate });
    const result = coverage(sessionMachine, {
      inputs: [{ user: user(true) }, { user: user(false) }],
      catalog: [{ type: 'heartbeat' }, { type: 'leave', reason: 'logout' } as EventObject, { type: 'expire' }],
      serialize: (snapshot: AnyMachineSnapshot) => JSON.stringify([snapshot.value, snapshot.context.user.imstate, snapshot.context.heartbeats > 0]),
    });
    expectFull(result);
  });

  it('talk: every state and transition', () => {
    const result = coverage(talkMachine, {
      inputs: [
        {
          id: 'm1',
          to: 'bob',
          endpoint: '127.0.0.1:5002',
          message: rtalk('m1', 'alice', 'hi'),
          receiptTimeoutMs: 1000,
          tries: 3,
          peer: createEmptyActor(),
        },
      ],
      catalog: [{ type: 'receipt', name: 'bob' } as EventObject],
      serialize: (snapshot: AnyMachineSnapshot) => JSON.stringify([snapshot.value, snapshot.context.sent]),
    });
    expectFull(result);
  });

  it('fails when a state is unreachable or a transition untaken', () => {
    const blind = coverage(talkMachine, {
      inputs: [
        { id: 'm1', to: 'bob', endpoint: '127.0.0.1:5002', message: rtalk('m1', 'alice', 'hi'), receiptTimeoutMs: 1000, tries: 3, peer: createEmptyActor() },
      ],
      catalog: [],
      skip: ['receipt'],
      serialize: (snapshot: AnyMachineSnapshot) => JSON.stringify([snapshot.value, snapshot.context.sent]),
    });
    expect(blind.unreachedStates).toEqual(['talk.delivered']);
    expect(blind.untakenTransitions).toEqual(['#talk.sending: receipt → #talk.delivered']);
  });
});

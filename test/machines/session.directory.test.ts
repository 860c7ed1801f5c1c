/**
 * The session directory on its own: one session actor per user, heartbeats that count only for the session online,
 * expiry after the missed periods (imstate only), and every session ended when the directory stops.
 */
import { describe, expect, it } from 'vitest';
import { createActor, fromTransition, type AnyActorRef } from 'xstate';
import type { User } from '../../src/presence/index.js';
import { sessionDirectory, type SessionDirectoryState } from '../../machines/session.directory.js';

const user = (name: string, imstate = true): User => ({
  name,
  endpoint: '127.0.0.1:5001',
  session: imstate ? `s-${name}` : '127.0.0.1:5001',
  imstate,
});

const rig = (missedHeartbeats = 2, sessionActors = true) => {
  const server = createActor(fromTransition((seen: unknown[], event: unknown) => [...seen, event], [] as unknown[])).start();
  const directory = createActor(sessionDirectory, { input: { server, missedHeartbeats, sessionActors } }).start();
  const state = () => directory.getSnapshot().context as SessionDirectoryState;
  const session = (name: string): AnyActorRef => {
    const ref = state().entries.get(name)?.ref;
    if (ref === undefined) throw new Error(`no session actor for ${name}`);
    return ref;
  };
  return { server, directory, state, session };
};

describe('session directory', () => {
  it('gives each user a session actor, online at once when classic, after the first heartbeat when imstate', () => {
    const { directory, session } = rig();
    directory.send({ type: 'open', user: user('alice') });
    directory.send({ type: 'open', user: user('bob', false) });
    expect(session('alice').getSnapshot().value).toBe('joining');
    expect(session('bob').getSnapshot().value).toBe('online');
    directory.send({ type: 'heartbeat', name: 'alice', session: 's-alice' });
    expect(session('alice').getSnapshot().value).toBe('online');
  });

  it('expires imstate sessions silent for the missed periods and tells the server; classic ones never', () => {
    const { server, directory, state } = rig(2);
    directory.send({ type: 'open', user: user('alice') });
    directory.send({ type: 'open', user: user('bob', false) });
    directory.send({ type: 'open', user: user('carol') });
    for (let period = 0; period < 2; period++) {
      directory.send({ type: 'heartbeat', name: 'carol', session: 's-carol' });
      // A heartbeat from another session of the name does not keep alice alive.
      directory.send({ type: 'heartbeat', name: 'alice', session: 'someone-else' });
      directory.send({ type: 'sweep' });
    }
    expect(server.getSnapshot().context).toEqual([]);
    directory.send({ type: 'sweep' });
    expect(server.getSnapshot().context).toEqual([{ type: 'session.expired', name: 'alice', session: 's-alice' }]);
    expect([...state().entries.keys()].sort()).toEqual(['bob', 'carol']);
    for (let period = 0; period < 5; period++) directory.send({ type: 'sweep' });
    expect([...state().entries.keys()]).toEqual(['bob']);
  });

  it('closes only the session named, and replaces a name that opens again', () => {
    const { directory, state, session } = rig();
    directory.send({ type: 'open', user: user('alice') });
    const first = session('alice');
    directory.send({ type: 'close', name: 'alice', session: 'stale', reason: 'logout' });
    expect(session('alice')).toBe(first);
    directory.send({ type: 'open', user: { ...user('alice'), session: 's-new' } });
    expect(first.getSnapshot().output).toEqual({ name: 'alice', session: 's-alice', reason: 'replaced' });
    directory.send({ type: 'close', name: 'alice', session: 's-new', reason: 'logout' });
    expect(state().entries.size).toBe(0);
  });

  it('ends every session when it stops', () => {
    const { directory, session } = rig();
    directory.send({ type: 'open', user: user('alice') });
    directory.send({ type: 'open', user: user('bob', false) });
    const refs = [session('alice'), session('bob')];
    directory.stop();
    expect(refs.map((ref) => ref.getSnapshot().output?.reason)).toEqual(['shutdown', 'shutdown']);
  });

  it('without session actors keeps each session as its entry, expiring and replacing it the same way', () => {
    const { directory, server, state } = rig(2, false);
    directory.send({ type: 'open', user: user('alice') });
    directory.send({ type: 'open', user: user('bob') });
    directory.send({ type: 'open', user: user('carol', false) });
    expect([...state().entries.values()].map((entry) => entry.ref)).toEqual([undefined, undefined, undefined]);
    for (let period = 0; period < 3; period++) {
      directory.send({ type: 'heartbeat', name: 'bob', session: 's-bob' });
      directory.send({ type: 'sweep' });
    }
    expect([...state().entries.values()].every((entry) => entry.ref === undefined)).toBe(true);
    expect(server.getSnapshot().context).toEqual([{ type: 'session.expired', name: 'alice', session: 's-alice' }]);
    expect([...state().entries.keys()].sort()).toEqual(['bob', 'carol']);
    directory.send({ type: 'open', user: { ...user('bob'), session: 's-bob-2' } });
    directory.send({ type: 'close', name: 'bob', session: 's-bob', reason: 'logout' });
    expect(state().entries.get('bob')?.session).toBe('s-bob-2');
    directory.send({ type: 'close', name: 'bob', session: 's-bob-2', reason: 'logout' });
    expect([...state().entries.keys()]).toEqual(['carol']);
    directory.stop();
  });
});

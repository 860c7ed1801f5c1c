/**
 * One inspector watching a real index server and two real peers on loopback: the page's WebSocket sees the server,
 * a session actor per user, each peer, and the talk actor of a message, with their live states.
 */
import { filter, firstValueFrom, throwError, timeout, type Observable } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { createIndexServer, createPeer } from '../../src/engine/index.js';
import type { IndexServerHandle, PeerHandle } from '../../src/engine/types.js';
import { createInspector, type ActorView, type Inspector, type ServerMessage } from '../../src/inspect/index.js';
import { ofType, WAIT_MS, watch, type Watcher } from './helpers.js';

const waitFor = <T>(source: Observable<T>, test: (value: T) => boolean, what: string): Promise<T> =>
  firstValueFrom(source.pipe(filter(test), timeout({ first: WAIT_MS, with: () => throwError(() => new Error(`no ${what} within ${WAIT_MS} ms`)) })));

/** The page's view of the actors: the first full state plus every change after it. */
const actorsSeen = (page: Watcher): Map<string, ActorView> => {
  const actors = new Map<string, ActorView>();
  for (const m of page.messages) {
    if (m.t === 'actors') for (const a of m.actors) actors.set(a.sessionId, a);
    if (m.t === 'changes') {
      for (const c of m.changes) {
        if (c.t === 'actor' || c.t === 'step') actors.set(c.actor.sessionId, c.actor);
        else actors.delete(c.sessionId);
      }
    }
  }
  return actors;
};

/** The page's actors by machine once `test` holds of them, waiting for change after change (boundedly). */
const seen = async (page: Watcher, test: (byMachine: Map<string, ActorView[]>) => boolean, what: string): Promise<Map<string, ActorView[]>> => {
  for (;;) {
    const byMachine = new Map<string, ActorView[]>();
    for (const actor of actorsSeen(page).values()) byMachine.set(actor.machine, [...(byMachine.get(actor.machine) ?? []), actor]);
    if (test(byMachine)) return byMachine;
    await page.next((m: ServerMessage) => m.t === 'changes', what); // rejects after WAIT_MS without one
  }
};

describe('inspector on a real server and peers', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
  });

  it('shows the server, one session per user and each peer, and no actor per message', async () => {
    const inspector: Inspector = await createInspector();
    cleanup.push(() => inspector.close());
    const page = await watch(inspector.url);
    cleanup.push(() => page.close());
    await page.next(ofType('history'), 'history');

    const server: IndexServerHandle = createIndexServer({ inspect: inspector.inspect });
    cleanup.push(() => server.stop());
    const { udpPort } = await server.start();
    const peers: PeerHandle[] = ['alice', 'bob'].map((name) => createPeer({ name, server: `127.0.0.1:${udpPort}`, inspect: inspector.inspect }));
    for (const peer of peers) cleanup.push(() => peer.stop());
    const [alice, bob] = peers as [PeerHandle, PeerHandle];
    await alice.login();
    await bob.login();
    await waitFor(alice.users$, (users) => users.some((u) => u.name === 'bob'), 'bob in alice’s list');
    await alice.say('bob', 'hello, 世界');
    await waitFor(bob.messages$, (m) => m.text === 'hello, 世界', 'the message at bob');

    const online = (machines: Map<string, ActorView[]>): boolean =>
      machines.get('session')?.length === 2 && (machines.get('peer') ?? []).filter((peer) => /online/.test(peer.state)).length === 2;
    const byMachine = await seen(page, online, 'both sessions and both peers online');
    expect(byMachine.get('server')).toHaveLength(1);
    expect(byMachine.get('peer')).toHaveLength(2);
    expect(byMachine.get('session')?.length).toBe(2);
    expect(byMachine.get('talk')).toBeUndefined(); // the message lives in alice's talk table, not in an actor
    expect(byMachine.get('server')?.[0]?.status).toBe('active');
    for (const peer of byMachine.get('peer') ?? []) expect(peer.state).toMatch(/online/);
    // Sessions are the server's children, and named after their user.
    const serverId = byMachine.get('server')?.[0]?.sessionId;
    const sessions = byMachine.get('session') ?? [];
    expect(sessions.map((s) => `${s.id} ${s.systemId ?? ''}`).join(' ')).toMatch(/alice/);
    expect(sessions.every((s) => s.parent !== undefined && s.parent !== serverId)).toBe(true); // under the directory
    expect(inspector.counts().errors).toBe(0);
  });
});

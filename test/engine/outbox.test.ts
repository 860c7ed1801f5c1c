import { BehaviorSubject, Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createOutbox } from '../../src/engine/outbox.js';
import { EngineError } from '../../src/engine/errors.js';
import type { ChatMessage, LifecycleState } from '../../src/engine/types.js';
import type { User } from '../../src/presence/types.js';

const user = (name: string, session = name): User => ({ name, endpoint: '127.0.0.1:5000', session, imstate: true });

/** A peer handle's streams and say(), driven by the test: say() records and answers with engine ids e1, e2, … */
const fakePeer = () => {
  const users$ = new BehaviorSubject<readonly User[]>([user('alice')]);
  const messages$ = new Subject<ChatMessage>();
  const said: { to: string; text: string; id: string }[] = [];
  return {
    users$,
    messages$,
    said,
    say: async (to: string, text: string) => {
      const id = `e${said.length + 1}`;
      said.push({ to, text, id });
      return id;
    },
    status: (id: string, status: ChatMessage['status'], to = 'bob', text = 'x') =>
      messages$.next({ id, direction: 'out', from: 'alice', to, text, time: 't', status }),
  };
};

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the outbox', () => {
  it('queues a message to someone offline and sends it when they come online, under one id to the end', async () => {
    const peer = fakePeer();
    const box = createOutbox(peer, 'alice');
    const seen: ChatMessage[] = [];
    box.messages$.subscribe((m) => seen.push(m));
    const id = await box.send('bob', 'are you there?');
    expect(seen).toEqual([expect.objectContaining({ id, to: 'bob', from: 'alice', text: 'are you there?', status: 'queued' })]);
    expect(peer.said).toEqual([]);
    expect(box.pending().map((m) => m.id)).toEqual([id]);

    peer.users$.next([user('alice'), user('bob')]);
    await flush();
    expect(peer.said).toEqual([{ to: 'bob', text: 'are you there?', id: 'e1' }]);
    expect(box.pending()).toEqual([]);
    peer.status('e1', 'sending', 'bob', 'are you there?');
    peer.status('e1', 'delivered', 'bob', 'are you there?');
    expect(seen.map((m) => [m.id, m.status])).toEqual([[id, 'queued'], [id, 'sending'], [id, 'delivered']]);
  });

  it('sends at once to someone online, and passes the peer’s own messages through', async () => {
    const peer = fakePeer();
    peer.users$.next([user('alice'), user('bob')]);
    const box = createOutbox(peer, 'alice');
    const seen: ChatMessage[] = [];
    box.messages$.subscribe((m) => seen.push(m));
    expect(await box.send('bob', 'hi')).toBe('e1');
    peer.status('e1', 'delivered');
    peer.messages$.next({ id: 'in1', direction: 'in', from: 'bob', to: 'alice', text: 'yo', time: 't', status: 'received' });
    expect(seen.map((m) => [m.id, m.status])).toEqual([['e1', 'delivered'], ['in1', 'received']]);
  });

  it('a message whose recipient stopped answering goes back to the queue, and goes again to their next session only', async () => {
    const peer = fakePeer();
    const box = createOutbox(peer, 'alice');
    const seen: ChatMessage[] = [];
    box.messages$.subscribe((m) => seen.push(m));
    const id = await box.send('bob', 'hello');
    peer.users$.next([user('alice'), user('bob', 's1')]);
    await flush();
    peer.status('e1', 'failed');
    expect(seen.at(-1)).toMatchObject({ id, status: 'queued' });
    // Still listed with the session that did not answer: no second try there.
    peer.users$.next([user('alice'), user('bob', 's1')]);
    await flush();
    expect(peer.said).toHaveLength(1);
    peer.users$.next([user('alice'), user('bob', 's2')]);
    await flush();
    expect(peer.said.map((s) => s.id)).toEqual(['e1', 'e2']);
    peer.status('e2', 'sent');
    expect(seen.at(-1)).toMatchObject({ id, status: 'sent' });
  });

  it('restores messages queued before a restart, keeping their ids, and refuses text no datagram can carry', async () => {
    const peer = fakePeer();
    const box = createOutbox(peer, 'alice');
    const seen: ChatMessage[] = [];
    box.messages$.subscribe((m) => seen.push(m));
    box.restore([{ id: 'old.1', direction: 'out', from: 'alice', to: 'carol', text: 'from yesterday', time: '09:00:00', status: 'sending' }]);
    expect(seen).toEqual([expect.objectContaining({ id: 'old.1', status: 'queued' })]);
    peer.users$.next([user('alice'), user('carol')]);
    await flush();
    expect(peer.said).toEqual([{ to: 'carol', text: 'from yesterday', id: 'e1' }]);
    await expect(box.send('dave', 'x'.repeat(40_000))).rejects.toThrow(/cannot send that text to dave/);
  });

  it('a message the peer cannot send because it is itself logging in again waits, and goes once the peer is online', async () => {
    const peer = fakePeer();
    const state$ = new BehaviorSubject<LifecycleState>({ value: 'fetchingList.requesting' });
    let online = false;
    const box = createOutbox(
      {
        ...peer,
        state$,
        say: (to: string, text: string) =>
          online ? peer.say(to, text) : Promise.reject(new EngineError('not-online', 'cannot talk to bob: alice is not online')),
      },
      'alice',
    );
    const seen: ChatMessage[] = [];
    box.messages$.subscribe((m) => seen.push(m));
    peer.users$.next([user('alice'), user('bob')]);
    const id = await box.send('bob', 'after the outage');
    expect(seen).toEqual([expect.objectContaining({ id, status: 'queued' })]);
    // The list does not change when the peer is back: its state does.
    online = true;
    state$.next({ value: 'online.presence.live+heartbeat.beating' });
    await flush();
    expect(peer.said).toEqual([{ to: 'bob', text: 'after the outage', id: 'e1' }]);
    peer.status('e1', 'delivered');
    expect(seen.at(-1)).toMatchObject({ id, status: 'delivered' });
  });
});

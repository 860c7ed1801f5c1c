/**
 * Talk between two peers over real loopback sockets: the text arrives whole (commas, CJK, emoji), the sender sees
 * `sending → delivered`, the receiver `received`, and a talk to a name that is not online fails with a reason.
 */
import { toArray, takeWhile, lastValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/engine/types.js';
import { createLab, waitFor, type Lab } from './support/harness.js';

const texts = [
  'hello, world, with, commas',
  '你好，世界, and a comma',
  '剑痴 says 👍🏽 — family: 👨‍👩‍👧',
  ',leading and trailing,',
  '',
  'x'.repeat(2_000),
];

describe('talk over loopback', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await createLab();
  });
  afterEach(() => lab.cleanup());

  it('delivers every text intact, with sending → delivered for the sender and received for the receiver', async () => {
    const server = await lab.server();
    const alice = await lab.online(server, 'alice');
    const bob = await lab.online(server, '鲍勃');
    await waitFor(alice.handle.users$, (users) => users.some((user) => user.name === '鲍勃'), 'alice to see 鲍勃');

    for (const text of texts) {
      const outgoing: ChatMessage[] = [];
      const watching = alice.handle.messages$.subscribe((message) => outgoing.push(message));
      const received = waitFor(bob.handle.messages$, (m) => m.direction === 'in' && m.text === text, `鲍勃 to receive ${JSON.stringify(text.slice(0, 20))}`);
      const id = await alice.handle.say('鲍勃', text);
      const delivered = await waitFor(alice.handle.messages$, (m) => m.id === id && m.status === 'delivered', 'the delivery receipt');
      watching.unsubscribe();

      const incoming = await received;
      expect(incoming).toMatchObject({ id, direction: 'in', from: 'alice', to: '鲍勃', text, status: 'received' });
      expect(incoming.time).toMatch(/^\d\d:\d\d:\d\d$/);
      expect(delivered).toMatchObject({ id, direction: 'out', from: 'alice', to: '鲍勃', text, time: incoming.time });
      expect(outgoing.filter((m) => m.id === id).map((m) => m.status)).toEqual(['sending', 'delivered']);
    }
    expect(bob.handle.stats()).toMatchObject({ talkIn: texts.length });
  });

  it('talks both ways between the same two peers, each message once', async () => {
    const server = await lab.server();
    const alice = await lab.online(server, 'alice');
    const bob = await lab.online(server, 'bob');
    await waitFor(bob.handle.users$, (users) => users.length === 2, 'bob to see alice');
    await waitFor(alice.handle.users$, (users) => users.length === 2, 'alice to see bob');

    const bobHeard = lastValueFrom(bob.handle.messages$.pipe(takeWhile((m) => m.text !== 'a9', true), toArray()));
    const aliceHeard = lastValueFrom(alice.handle.messages$.pipe(takeWhile((m) => m.text !== 'b9', true), toArray()));
    for (let i = 0; i < 10; i++) {
      await alice.handle.say('bob', `a${i}`);
      await bob.handle.say('alice', `b${i}`);
    }
    const inAtBob = (await bobHeard).filter((m) => m.direction === 'in').map((m) => m.text);
    const inAtAlice = (await aliceHeard).filter((m) => m.direction === 'in').map((m) => m.text);
    expect([...inAtBob].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `a${i}`).sort());
    expect([...inAtAlice].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `b${i}`).sort());
  });

  it('fails a talk to a name that is not online, with a reason, and sends nothing', async () => {
    // No heartbeats during the test, so any datagram alice sends would be the talk.
    const server = await lab.server({ heartbeatMs: 60_000 });
    const alice = await lab.online(server, 'alice');
    const sentBefore = alice.handle.stats().datagramsOut ?? 0;
    const failed = waitFor(alice.handle.messages$, (m) => m.status === 'failed', 'the talk to fail');
    const id = await alice.handle.say('nobody', 'are you there?');
    expect(await failed).toMatchObject({ id, direction: 'out', to: 'nobody', text: 'are you there?', status: 'failed' });
    expect((await failed).reason).toMatch(/nobody is not online/);
    expect(alice.handle.stats().datagramsOut ?? 0).toBe(sentBefore);
  });

  it('refuses at once a text no datagram can carry, and sends nothing', async () => {
    const server = await lab.server({ heartbeatMs: 60_000 });
    const alice = await lab.online(server, 'alice');
    await lab.online(server, 'bob');
    await waitFor(alice.handle.users$, (users) => users.length === 2, 'alice to see bob');
    const sentBefore = alice.handle.stats().datagramsOut;
    const statuses: ChatMessage[] = [];
    alice.handle.messages$.subscribe((m) => statuses.push(m));

    await expect(alice.handle.say('bob', 'half a pair: \ud800')).rejects.toMatchObject({ name: 'EngineError', code: 'bad-text' });
    await expect(alice.handle.say('bob', 'half a pair: \ud800')).rejects.toThrow(/unpaired surrogate U\+D800/);
    await expect(alice.handle.say('bob', '长'.repeat(33_000))).rejects.toThrow(/cannot send that text to bob: .*limit is 65507/);
    // A long text that still fits in one datagram goes.
    const id = await alice.handle.say('bob', 'y'.repeat(32_000));
    await waitFor(alice.handle.messages$, (m) => m.id === id && m.status === 'delivered', 'the 32,000-character talk');
    expect(statuses.filter((m) => m.id !== id)).toEqual([]);
    expect(alice.handle.stats().datagramsOut).toBe((sentBefore ?? 0) + 1);
  });

  it('refuses to talk before login and after logout, with a typed error', async () => {
    const server = await lab.server();
    const alice = lab.peer(server, 'alice');
    await expect(alice.handle.say('bob', 'hi')).rejects.toMatchObject({ name: 'EngineError', code: 'not-online' });
    await alice.handle.login();
    await alice.handle.logout();
    await expect(alice.handle.say('bob', 'hi')).rejects.toMatchObject({ name: 'EngineError', code: 'not-online' });
  });
});

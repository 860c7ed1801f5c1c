/**
 * An outage of the index server on real loopback sockets: the server stops, the peers stay up (their lists kept,
 * marked by the `reconnecting` state with its tries), keep talking peer to peer, and come back online by themselves
 * when a server starts again on the same port, where talk goes on.
 */
import { filter, firstValueFrom, timeout } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LifecycleState, PeerHandle } from '../../src/engine/types.js';
import { createLab, waitFor, WAIT_MS, type Lab, type LabPeer } from './support/harness.js';

const quickReconnect = { reconnectRetryMs: 100, reconnectRetryMaxMs: 400 };
const names = (peer: LabPeer) => waitFor(peer.handle.users$, () => true, 'the list').then((users) => users.map((u) => u.name).sort());
const inState = (peer: LabPeer, test: (state: LifecycleState) => boolean, what: string) => waitFor(peer.handle.state$, test, `${peer.name}: ${what}`);
const listsBoth = (peer: LabPeer) => waitFor(peer.handle.users$, (users) => users.length === 2, `${peer.name} to list both`);

/** Says `text` and resolves with its final status. */
const say = async (from: PeerHandle, to: string, text: string): Promise<string> => {
  const id = await from.say(to, text);
  const final = await firstValueFrom(
    from.messages$.pipe(
      filter((m) => m.id === id && m.status !== 'sending'),
      timeout(WAIT_MS),
    ),
  );
  return final.status;
};

describe('an outage of the server', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await createLab();
  });
  afterEach(() => lab.cleanup());

  it('peers stay up and talk meanwhile, then log in again by themselves when it is back on the same port', async () => {
    const first = await lab.server();
    const alice = await lab.online(first, 'alice', { timings: quickReconnect });
    const bob = await lab.online(first, 'bob', { timings: quickReconnect });
    await listsBoth(alice);
    await listsBoth(bob);
    const bobGot: string[] = [];
    bob.handle.messages$.subscribe((m) => m.direction === 'in' && bobGot.push(m.text));

    await first.handle.stop();
    // Three heartbeats of 100 ms unanswered, then a login every 100–400 ms: the second try says it is still trying.
    const lost = await inState(alice, (s) => s.value === 'reconnecting' && (s.retry?.attempt ?? 0) >= 2, 'reconnecting, second try');
    expect(lost.retry).toMatchObject({ reconnecting: true });
    expect(lost.retry?.of).toBeUndefined();
    await inState(bob, (s) => s.value === 'reconnecting', 'reconnecting');
    expect(await names(alice)).toEqual(['alice', 'bob']);

    expect(await say(alice.handle, 'bob', 'the server is gone, we are not')).toBe('delivered');
    expect(await say(bob.handle, 'alice', 'peer to peer still works')).toBe('delivered');
    expect(alice.handle.stats()['talkOut']).toBe(1);

    const again = await lab.server({ port: first.address.udpPort });
    expect(again.address.udpPort).toBe(first.address.udpPort);
    await inState(alice, (s) => s.value.startsWith('online') && s.retry === undefined, 'online again');
    await inState(bob, (s) => s.value.startsWith('online'), 'online again');
    await listsBoth(alice);
    await listsBoth(bob);
    expect(again.lines.filter((l) => l.kind === 'login').length).toBeGreaterThanOrEqual(2);
    expect(await say(alice.handle, 'bob', 'and back')).toBe('delivered');
    expect(bobGot).toEqual(['the server is gone, we are not', 'and back']);
  });

  it('gives up after the tries asked for, with the reason', async () => {
    const server = await lab.server();
    const alice = await lab.online(server, 'alice', { loginTries: 2, timings: quickReconnect });
    await server.handle.stop();
    const failed = await inState(alice, (s) => s.value === 'failed', 'failed');
    expect(failed.reason).toMatch(/^no answer from 127\.0\.0\.1:\d+ after 2 tries to log in again — is the server running\?$/);
  });
});

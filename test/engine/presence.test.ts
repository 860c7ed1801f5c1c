/**
 * Leaving, over real loopback sockets: a logout reaches every other peer, and a peer whose process dies (no logout)
 * is expired by the server once its heartbeats stop, and every other peer sees it leave.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnChildPeer } from './support/child-peer.js';
import { createLab, sameUsers, waitFor, type Lab } from './support/harness.js';

describe('presence over loopback', () => {
  let lab: Lab;
  beforeEach(() => {
    lab = createLab();
  });
  afterEach(() => lab.cleanup());

  it('a logout propagates to every other peer, and the leaver closes its socket', async () => {
    const server = await lab.server();
    const alice = await lab.online(server, 'alice');
    const bob = await lab.online(server, 'bob');
    const carol = await lab.online(server, 'carol');
    for (const peer of [alice, bob, carol]) await waitFor(peer.handle.users$, (users) => users.length === 3, `${peer.name} to see all three`);

    await bob.handle.logout();
    const rest = await waitFor(server.handle.users$, (users) => users.length === 2, 'the server to drop bob');
    expect(rest.map((user) => user.name).sort()).toEqual(['alice', 'carol']);
    for (const peer of [alice, carol]) await waitFor(peer.handle.users$, (users) => sameUsers(users, rest), `${peer.name} to drop bob`);
    expect(bob.handle.endpoint).toBeUndefined();
    expect(server.lines.some((line) => line.kind === 'logout' && line.text.includes('bob'))).toBe(true);
    expect(server.handle.stats()).toMatchObject({ 'left.logout': 1 });
  });

  it('a peer killed without logout is expired by the server and leaves every other list', async () => {
    const server = await lab.server({ heartbeatMs: 100, missedHeartbeats: 3 });
    const alice = await lab.online(server, 'alice');
    const child = spawnChildPeer(server.endpoint, 'crashy');
    lab.defer(() => child.kill());
    const endpoint = await child.online;

    const withChild = await waitFor(server.handle.users$, (users) => users.some((user) => user.name === 'crashy'), 'crashy to be online');
    expect(withChild.find((user) => user.name === 'crashy')).toMatchObject({ endpoint, imstate: true });
    await waitFor(alice.handle.users$, (users) => sameUsers(users, withChild), 'alice to see crashy');

    await child.kill();
    const after = await waitFor(server.handle.users$, (users) => !users.some((user) => user.name === 'crashy'), 'the server to expire crashy');
    expect(after.map((user) => user.name)).toEqual(['alice']);
    await waitFor(alice.handle.users$, (users) => sameUsers(users, after), 'alice to see crashy leave');
    expect(server.lines.some((line) => line.kind === 'expired' && line.text.includes('crashy'))).toBe(true);
    expect(server.handle.stats()).toMatchObject({ 'left.expired': 1 });
  });
});

/**
 * Leaving, over real loopback sockets: a logout reaches every other peer, and a peer whose process dies (no logout)
 * is expired by the server once its heartbeats stop, and every other peer sees it leave.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnChildPeer } from './support/child-peer.js';
import { createLab, onlineWith, sameUsers, waitFor, type Lab } from './support/harness.js';

describe('presence over loopback', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await createLab();
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

  it('a second login of a name replaces the first session, which is told so and ends', async () => {
    const server = await lab.server();
    const bob = await lab.online(server, 'bob');
    const first = await lab.online(server, 'alice');
    const second = await lab.online(server, 'alice');

    const failed = await waitFor(first.handle.state$, (state) => state.value === 'failed', 'the first alice to be replaced');
    expect(failed.reason).toBe(`alice logged in again from ${second.handle.endpoint}, which replaced this session`);
    const now = await waitFor(
      server.handle.users$,
      (users) => users.some((user) => user.name === 'alice' && user.endpoint === second.handle.endpoint),
      'the server to list the second alice',
    );
    expect(now).toHaveLength(2);
    await waitFor(bob.handle.users$, (users) => sameUsers(users, now), 'bob to see alice at her new endpoint');
    await waitFor(second.handle.users$, (users) => sameUsers(users, now), 'the second alice to agree');
    expect(first.handle.endpoint).toBeUndefined();
    expect(server.handle.stats()).toMatchObject({ joined: 3, 'left.replaced': 1 });
  });

  it('after a server restart on the same port, heartbeating peers log in again and agree with the new server', async () => {
    const old = await lab.server({ heartbeatMs: 100 });
    const alice = await lab.online(old, 'alice');
    const bob = await lab.online(old, 'bob');
    await waitFor(alice.handle.users$, (users) => users.length === 2, 'alice to see bob');
    await old.handle.stop();

    const restarted = await lab.server({ heartbeatMs: 100, port: old.address.udpPort });
    const both = await waitFor(restarted.handle.users$, (users) => users.length === 2, 'both peers to log in to the new server');
    expect(both.map((user) => user.endpoint).sort()).toEqual([alice.handle.endpoint, bob.handle.endpoint].sort());
    await onlineWith(alice, both, 'alice to be online again and agree with the new server');
    await onlineWith(bob, both, 'bob to be online again and agree with the new server');
    const id = await alice.handle.say('bob', 'welcome back');
    await waitFor(alice.handle.messages$, (m) => m.id === id && m.status === 'delivered', 'a talk after the restart');
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

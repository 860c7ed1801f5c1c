/**
 * Many peers logging in at once over real loopback sockets: every peer's list ends equal to the server's (names,
 * endpoints and sessions), whatever order the forwarded logins and the TCP lists arrived in.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLab, current, entries, sameUsers, waitFor, type Lab, type LabPeer } from './support/harness.js';

/** Trust limits for a test whose every peer is on 127.0.0.1 (the defaults allow 16 sessions and 8 logins at once). */
const oneBusyHost = { maxSessionsPerAddress: 64, loginBurst: 64 };

describe('logins over loopback', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await createLab();
  });
  afterEach(() => lab.cleanup());

  it('50 peers log in concurrently, every list equals the server\u2019s, and each talks to the next', async () => {
    // 50 users on one host at once: more sessions and logins than a host may have by default, so the server is told.
    const server = await lab.server({ heartbeatMs: 1_000, trust: oneBusyHost });
    const names = Array.from({ length: 50 }, (_, i) => (i % 5 === 0 ? `用户${i}` : `peer${i}`));
    const peers = await Promise.all(names.map((name) => lab.online(server, name)));

    const full = await waitFor(server.handle.users$, (users) => users.length === 50, 'the server to list all 50 peers');
    expect(full.map((user) => user.name).sort()).toEqual([...names].sort());
    for (const peer of peers) {
      const own = full.find((user) => user.name === peer.name);
      expect(own?.endpoint).toBe(peer.handle.endpoint);
      expect(own?.imstate).toBe(true);
    }
    // Each replica converges on the server's list: same names, endpoints and sessions.
    await Promise.all(
      peers.map((peer) => waitFor(peer.handle.users$, (users) => sameUsers(users, full), `${peer.name}'s list to equal the server's`)),
    );
    expect(new Set(full.map((user) => user.session)).size).toBe(50);
    expect(server.handle.stats()).toMatchObject({ joined: 50 });

    // Then each talks to the next, all at once: every text arrives intact and every sender gets its receipt.
    const ring = peers.map((peer, i) => ({ from: peer, to: peers[(i + 1) % peers.length] as LabPeer }));
    const text = (from: string) => `from ${from}: 你好, world, 👋`;
    const heard = ring.map(({ from, to }) =>
      waitFor(to.handle.messages$, (m) => m.direction === 'in' && m.from === from.name, `${to.name} to hear ${from.name}`),
    );
    const ids = await Promise.all(ring.map(({ from, to }) => from.handle.say(to.name, text(from.name))));
    await Promise.all(
      ring.map(({ from }, i) =>
        waitFor(from.handle.messages$, (m) => m.id === ids[i] && m.status === 'delivered', `${from.name}'s receipt`),
      ),
    );
    for (const [i, message] of (await Promise.all(heard)).entries()) {
      expect(message).toMatchObject({ id: ids[i], text: text(ring[i]?.from.name ?? '') });
    }
  });

  it('half of them log out concurrently and the rest agree with the server again', async () => {
    const server = await lab.server({ heartbeatMs: 1_000, trust: oneBusyHost });
    const peers = await Promise.all(Array.from({ length: 20 }, (_, i) => lab.online(server, `p${i}`)));
    const leaving = peers.filter((_, i) => i % 2 === 0);
    const staying = peers.filter((_, i) => i % 2 === 1);
    await Promise.all(leaving.map((peer: LabPeer) => peer.handle.logout()));

    const rest = await waitFor(server.handle.users$, (users) => users.length === 10, 'the server to list the 10 who stayed');
    expect(entries(rest).map((entry) => entry.split(' ')[0]).sort()).toEqual(staying.map((peer) => peer.name).sort());
    await Promise.all(
      staying.map((peer) => waitFor(peer.handle.users$, (users) => sameUsers(users, rest), `${peer.name}'s list to drop the leavers`)),
    );
    expect(server.handle.stats()).toMatchObject({ joined: 20, 'left.logout': 10 });
    expect(await current(server.handle.users$)).toHaveLength(10);
  });
});

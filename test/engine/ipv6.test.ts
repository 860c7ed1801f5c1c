/**
 * IPv6 loopback: a server on `::1` and two peers on `::1` log in, see each other with endpoints printed as .NET prints
 * them (`[::1]:port`), fetch the list over TCP from `::1`, talk, and log out.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLab, sameUsers, waitFor, type Lab } from './support/harness.js';

describe('IPv6 loopback', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await createLab();
  });
  afterEach(() => lab.cleanup());

  it('logs in, lists, talks and logs out on ::1', async () => {
    const server = await lab.server({ host: '::1' });
    expect(server.endpoint).toBe(`[::1]:${server.address.udpPort}`);
    const alice = await lab.online(server, 'alice');
    const bob = await lab.online(server, 'bob');
    expect(alice.handle.endpoint).toMatch(/^\[::1\]:\d+$/);

    const both = await waitFor(server.handle.users$, (users) => users.length === 2, 'both on the server');
    expect(both.map((user) => user.endpoint).every((endpoint) => endpoint.startsWith('[::1]:'))).toBe(true);
    await waitFor(alice.handle.users$, (users) => sameUsers(users, both), 'alice to see bob');
    await waitFor(bob.handle.users$, (users) => sameUsers(users, both), 'bob to see alice');

    const heard = waitFor(bob.handle.messages$, (m) => m.direction === 'in', 'bob to hear alice');
    const id = await alice.handle.say('bob', 'hi over v6, 你好 🌏');
    await waitFor(alice.handle.messages$, (m) => m.id === id && m.status === 'delivered', 'the receipt');
    expect(await heard).toMatchObject({ from: 'alice', text: 'hi over v6, 你好 🌏' });

    await alice.handle.logout();
    await waitFor(bob.handle.users$, (users) => users.length === 1 && users[0]?.name === 'bob', 'bob to see alice leave');
  });
});

/**
 * Several index servers on one real redis-server act as one: peers (imstate ones and a fake of the original client)
 * spread over three servers see the same list, every join and leave, and chat across servers; a name logged in to
 * two servers at once ends up online once; Redis restarted empty mid-run is put back and the lists converge again.
 * Each test keeps its servers' keys under a prefix of its own.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRedisLog } from '../../src/engine/redis/redis-log.js';
import type { SharedPresenceLog } from '../../src/engine/cluster/shared-log.js';
import { startOriginalClient, type OriginalClient } from '../engine/fakes/original-client.js';
import { createLab, entries, sameUsers, until, waitFor, type Lab, type LabServer } from '../engine/support/harness.js';
import { startRedis, type TestRedis } from './support/redis-server.js';

let redis: TestRedis;
let prefixes = 0;
let lab: Lab;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});
beforeEach(async () => {
  lab = await createLab();
});
afterEach(() => lab.cleanup());

/** `count` servers sharing one log in the suite's Redis, under a prefix of this test's. */
const servers = async (count: number): Promise<LabServer[]> => {
  const prefix = `servers${++prefixes}:`;
  const started: LabServer[] = [];
  for (let i = 0; i < count; i++) {
    const store: SharedPresenceLog = createRedisLog({ address: redis.address, prefix, serverId: `server-${i}`, leaseMs: 2_000, blockMs: 50 });
    started.push(await lab.server({ store }));
  }
  return started;
};

/** A fake of the original client, closed at cleanup. */
const classic = async (name: string): Promise<OriginalClient> => {
  const client = await startOriginalClient(name);
  lab.defer(() => client.close());
  return client;
};

const udp = (server: LabServer) => ({ address: server.address.host, port: server.address.udpPort });
const names = (users: readonly { name: string }[]): string[] => users.map((user) => user.name).sort();
const viewNames = (client: OriginalClient): string[] => [...client.view.keys()].sort();

describe('three servers on one Redis', () => {
  it('list the same users everywhere, forward joins and leaves across servers, and let peers chat across them', async () => {
    const [first, second, third] = await servers(3);
    if (first === undefined || second === undefined || third === undefined) throw new Error('three servers');
    const alice = await lab.online(first, 'alice');
    const bob = await lab.online(second, 'bob');
    const carol = await classic('carol');
    await carol.login(udp(third));

    const all = await waitFor(first.handle.users$, (users) => users.length === 3, 'the first server to list all three');
    expect(names(all)).toEqual(['alice', 'bob', 'carol']);
    for (const server of [second, third]) await waitFor(server.handle.users$, (users) => sameUsers(users, all), 'every server to agree');
    for (const peer of [alice, bob]) await waitFor(peer.handle.users$, (users) => sameUsers(users, all), `${peer.name} to see every server's users`);
    // The original client fetched the global list from its server and heard the others' logins in the classic form.
    await until(() => viewNames(carol).join() === 'alice,bob,carol', 'carol to see alice and bob');
    expect(carol.nonClassic).toEqual([]);

    // Peers chat directly, whichever server each logged in to.
    const id = await alice.handle.say('bob', 'hello across servers');
    await waitFor(alice.handle.messages$, (m) => m.id === id && m.status === 'delivered', 'alice’s message to bob to be delivered');
    const heard = waitFor(alice.handle.messages$, (m) => m.from === 'carol' && m.text.startsWith('hi alice'), 'alice to get carol’s talk');
    await carol.talk(alice.handle.endpoint ?? '', 'hi alice from the original client');
    await heard;

    await bob.handle.logout();
    for (const server of [first, second, third]) {
      await waitFor(server.handle.users$, (users) => names(users).join() === 'alice,carol', 'every server to drop bob');
    }
    await waitFor(alice.handle.users$, (users) => names(users).join() === 'alice,carol', 'alice to see bob leave');
    await until(() => viewNames(carol).join() === 'alice,carol', 'carol to see bob leave');

    await carol.logout(udp(third));
    await waitFor(alice.handle.users$, (users) => names(users).join() === 'alice', 'alice to see carol leave');
    for (const server of [first, second]) await waitFor(server.handle.users$, (users) => names(users).join() === 'alice', 'the other servers to drop carol');
    // Every server counts every server's joins: its list is the global one.
    expect(first.handle.stats()['joined']).toBe(3);
    expect(third.handle.stats()['joined']).toBe(3);
  });

  it('a name logged in to two servers at once is online once, the same session everywhere', async () => {
    const [first, second] = await servers(2);
    if (first === undefined || second === undefined) throw new Error('two servers');
    const watcher = await lab.online(first, 'watcher');
    const one = lab.peer(first, 'alice');
    const other = lab.peer(second, 'alice');
    await Promise.allSettled([one.handle.login(), other.handle.login()]);

    const settled = await waitFor(first.handle.users$, (users) => users.filter((user) => user.name === 'alice').length === 1, 'one alice');
    await until(() => [one, other].filter((peer) => peer.handle.endpoint !== undefined).length === 1, 'one of the two alices to end');
    const winner = [one, other].find((peer) => peer.handle.endpoint !== undefined);
    const listed = settled.find((user) => user.name === 'alice');
    expect(listed?.endpoint).toBe(winner?.handle.endpoint);
    await waitFor(second.handle.users$, (users) => sameUsers(users, settled), 'the second server to list the same alice');
    await waitFor(watcher.handle.users$, (users) => sameUsers(users, settled), 'a peer to list the same alice');
    expect(entries(settled).filter((entry) => entry.startsWith('alice ')).length).toBe(1);
  });

  it('after Redis restarts empty, the servers put their users back and new logins reach every list', async () => {
    const [first, second] = await servers(2);
    if (first === undefined || second === undefined) throw new Error('two servers');
    const alice = await lab.online(first, 'alice');
    const bob = await lab.online(second, 'bob');
    await waitFor(alice.handle.users$, (users) => users.length === 2, 'alice to see bob');

    await redis.restartEmpty();
    // A login that Redis did not record is never accepted: carol retries until the store is back and put back.
    const carol = await lab.online(first, 'carol', { timings: { loginTries: 40 } });
    // A proof the log failed to record (Redis away) is asked for again by the peer's next ping.
    const all = await waitFor(second.handle.users$, (users) => names(users).join() === 'alice,bob,carol', 'the second server to list carol too');
    await waitFor(first.handle.users$, (users) => sameUsers(users, all), 'the first server to agree');
    for (const peer of [alice, bob, carol]) await waitFor(peer.handle.users$, (users) => sameUsers(users, all), `${peer.name} to agree`);
    const lines = [...first.lines, ...second.lines].map((line) => line.text).join('\n');
    expect(lines).toMatch(/Redis/);
  });
});

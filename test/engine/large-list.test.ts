/**
 * Lists that always arrive: a real peer logs in, over loopback, to a server whose presence log already holds 200,000
 * users (preloaded from the log, not 200,000 logins) and sees every one of them with its session and flag; a list
 * the server cannot encode is refused honestly (logged, counted, no list), never served as a shorter or empty one.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchList } from '../../src/engine/list-fetch.js';
import { createMemoryLog, type PresenceChange, type User } from '../../src/presence/index.js';
import { nodeNetwork, socketAddress } from '../../src/transport/index.js';
import { createLab, until, waitFor, type Lab } from './support/harness.js';

const ONLINE = 200_000;

/** Every tenth user is classic (its session is its endpoint), the rest imstate; endpoints spread over ports. */
const userAt = (i: number): User => {
  const endpoint = `127.0.0.${1 + (i % 200)}:${1024 + (i % 60_000)}`;
  return i % 10 === 0
    ? { name: `classic${i}`, endpoint, session: endpoint, imstate: false }
    : { name: `用户${i}`, endpoint, session: `s${i.toString(36)}`, imstate: true };
};

const preloadedLog = async (users: readonly User[]) => {
  const log = createMemoryLog();
  await log.append(users.map((user): PresenceChange => ({ type: 'joined', user })), 0);
  return log;
};

describe('large lists', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await createLab();
  });
  afterEach(() => lab.cleanup());

  it(`a peer logging in to a server holding ${ONLINE.toLocaleString('en')} users sees all of them`, { timeout: 120_000 }, async () => {
    const users = Array.from({ length: ONLINE }, (_, i) => userAt(i));
    // The preloaded users put 1,000 sessions on each loopback address: more than a host may have by default.
    const server = await lab.server({ log: await preloadedLog(users), heartbeatMs: 60_000, trust: { maxSessionsPerAddress: 2_000 } });
    const peer = await lab.online(server, 'newcomer', { timings: { listTimeoutMs: 60_000 } });
    const seen = await waitFor(peer.handle.users$, (list) => list.length === ONLINE + 1, `the peer to list ${ONLINE + 1} users`, 60_000);

    const byName = new Map(seen.map((user) => [user.name, user]));
    expect(byName.size).toBe(ONLINE + 1);
    const same = (a: User | undefined, b: User): boolean =>
      a !== undefined && a.name === b.name && a.endpoint === b.endpoint && a.session === b.session && a.imstate === b.imstate;
    // One assertion over all of them (200,000 expect calls would cost more than the login).
    expect(users.filter((user) => !same(byName.get(user.name), user)).slice(0, 5)).toEqual([]);
    expect(byName.get('newcomer')).toMatchObject({ endpoint: peer.handle.endpoint, imstate: true });
    expect(server.handle.stats()).toMatchObject({ listsServed: 1 });
  });

  it('refuses a list it cannot encode: logged, counted, and the fetch gets no list instead of a wrong one', async () => {
    // A user the wire cannot carry can only come from a log written by hand (the codec admits none).
    const users = [userAt(1), { ...userAt(2), name: 'a,b' }, userAt(3)];
    const server = await lab.server({ log: await preloadedLog(users) });
    const to = socketAddress(server.address.host, server.address.tcpPort);
    for (let i = 0; i < 2; i++) {
      await expect(fetchList(nodeNetwork, to)).rejects.toThrow(/closed the connection without sending the user list/);
    }
    await until(() => server.handle.stats()['listsRefused'] === 2, 'two refused lists to be counted');
    expect(server.handle.stats()['listsServed']).toBeUndefined();
    const refusals = server.lines.filter((line) => line.kind === 'list');
    // Logged once per state: the encoder ran once, both fetches were answered from its refusal.
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ level: 'error', text: expect.stringMatching(/user list entry 2: .*a,b/) });
  });

  it('refuses a list over its maxListEntries rather than cutting it', async () => {
    const server = await lab.server({ log: await preloadedLog([userAt(1), userAt(2), userAt(3)]), limits: { maxListEntries: 2 } });
    const to = socketAddress(server.address.host, server.address.tcpPort);
    await expect(fetchList(nodeNetwork, to)).rejects.toThrow(/without sending the user list/);
    expect(server.lines.find((line) => line.kind === 'list')?.text).toMatch(/3 entries; the limit is 2/);
  });
});

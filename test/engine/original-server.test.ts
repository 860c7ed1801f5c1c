/**
 * Our peer against a byte-level fake of the original C# server, which dies on anything it cannot parse: the peer logs
 * in (its login's appended fields are ignored and forwarded, which is allowed), gets the list over TCP, follows
 * classic forwarded logins and logouts, talks in plain `talk` to an original client and to another of our peers,
 * logs out with a plain `logout`, and never sends a heartbeat or any other extension. The fake must never die.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOriginalClient, type OriginalClient } from './fakes/original-client.js';
import { startOriginalServer, type OriginalServer } from './fakes/original-server.js';
import { createLab, waitFor, type Lab } from './support/harness.js';

describe('our peer against the original server', () => {
  let lab: Lab;
  let fake: OriginalServer;
  beforeEach(async () => {
    lab = await createLab();
    fake = await startOriginalServer();
    lab.defer(() => fake.close());
  });
  afterEach(async () => {
    const death = fake.death;
    await lab.cleanup();
    expect(death, 'the original server died').toBeUndefined();
  });

  /**
   * Our peers here wait long for the Accept before sending `login` again: the original server lists a user once per
   * `login` it reads, so a retransmission on a busy machine would list alice twice (and the original's logout loop
   * then leaves one behind). A real hazard with the original server, but not what these tests are about.
   */
  const patient = { timings: { loginRetryMs: 5_000, loginRetryMaxMs: 5_000 } };

  const originalClient = async (name: string): Promise<OriginalClient> => {
    const client = await startOriginalClient(name);
    lab.defer(() => client.close());
    return client;
  };

  it('logs in, lists, follows classic presence, talks plainly and logs out plainly', async () => {
    const alice = await lab.online(fake.endpoint, 'alice', patient);
    const aliceAt = alice.handle.endpoint ?? '';
    expect(alice.lines.some((line) => line.text.includes('classic server'))).toBe(true);
    const login = fake.datagrams[0];
    expect(login?.fields.slice(0, 3)).toEqual(['login', 'alice', aliceAt]);
    expect(fake.listsServed).toEqual([`alice,${aliceAt};end`]);
    expect(await waitFor(alice.handle.users$, (users) => users.length === 1, 'alice to see herself')).toEqual([
      { name: 'alice', endpoint: aliceAt, session: aliceAt, imstate: false },
    ]);

    // An original client joins: the fake forwards its classic login to alice.
    const classic = await originalClient('天涯');
    await classic.login({ address: '127.0.0.1', port: fake.udpPort });
    expect(await waitFor(classic.lists$, () => true, 'the original client\u2019s list')).toBe(
      `alice,${aliceAt};天涯,${classic.endpoint};end`,
    );
    await waitFor(alice.handle.users$, (users) => users.some((user) => user.name === '天涯' && user.endpoint === classic.endpoint), 'alice to see 天涯');

    // alice talks in plain `talk` (no receipt to wait for), and hears the answer.
    const sent = waitFor(alice.handle.messages$, (m) => m.direction === 'out' && m.status !== 'sending', 'the talk to be sent');
    await alice.handle.say('天涯', 'hi, 天涯');
    expect(await sent).toMatchObject({ to: '天涯', status: 'sent' });
    const talk = await waitFor(classic.datagrams$, (d) => d.fields[0] === 'talk', 'the talk at 天涯');
    expect(talk.text).toBe(`talk,${(await sent).time},alice,hi, 天涯`);
    const heard = waitFor(alice.handle.messages$, (m) => m.direction === 'in', 'alice to hear 天涯');
    await classic.talk(aliceAt, 'hello, alice');
    expect(await heard).toMatchObject({ from: '天涯', text: 'hello, alice' });

    // The original client leaves: the classic forwarded logout reaches alice.
    await classic.logout({ address: '127.0.0.1', port: fake.udpPort });
    await waitFor(alice.handle.users$, (users) => users.length === 1, 'alice to see 天涯 leave');

    await alice.handle.logout();
    const logout = await waitFor(fake.datagrams$, (d) => d.fields[0] === 'logout' && d.fields[1] === 'alice', 'alice\u2019s logout');
    expect(logout.text).toBe(`logout,alice,${aliceAt}`);
    expect(fake.users).toEqual([]);

    // Everything alice ever sent the server: one login, one plain logout. No ping, nothing else.
    const fromAlice = fake.datagrams.filter((d) => d.fields[1] === 'alice').map((d) => d.fields[0]);
    expect(fromAlice).toEqual(['login', 'logout']);
    expect(classic.nonClassic.filter((text) => !text.startsWith('login,alice,'))).toEqual([]);
  });

  it('two of our peers on the original server talk in plain talk and see each other leave', async () => {
    const alice = await lab.online(fake.endpoint, 'alice', patient);
    const bob = await lab.online(fake.endpoint, 'bob', patient);
    const bobAt = bob.handle.endpoint ?? '';
    // The fake forwarded bob's login verbatim, appended fields and all: alice reads it as a classic login.
    await waitFor(alice.handle.users$, (users) => users.some((user) => user.name === 'bob' && user.endpoint === bobAt), 'alice to see bob');
    await waitFor(bob.handle.users$, (users) => users.length === 2, 'bob to list alice');

    const heard = waitFor(bob.handle.messages$, (m) => m.direction === 'in', 'bob to hear alice');
    const sent = waitFor(alice.handle.messages$, (m) => m.status !== 'sending', 'the talk to settle');
    await alice.handle.say('bob', 'plain, please');
    expect(await sent).toMatchObject({ status: 'sent' });
    expect(await heard).toMatchObject({ from: 'alice', text: 'plain, please', status: 'received' });

    await bob.handle.logout();
    await waitFor(alice.handle.users$, (users) => users.length === 1, 'alice to see bob leave');
    expect(fake.datagrams.map((d) => d.fields[0])).toEqual(['login', 'login', 'logout']);
  });
});

/**
 * Our index server and peers against a byte-level fake of the original C# client: it logs in from a throw-away
 * socket, fetches the list from the Accept's source address, sees our peers join and leave through classic forwarded
 * datagrams only, talks both ways with our peer in plain `talk`, and never receives an extension.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOriginalClient, type OriginalClient } from './fakes/original-client.js';
import { createLab, waitFor, type Lab, type LabServer } from './support/harness.js';

const serverOf = (server: LabServer) => ({ address: server.address.host, port: server.address.udpPort });

describe('the original client against our server', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await createLab();
  });
  afterEach(() => lab.cleanup());

  const originalClient = async (name: string): Promise<OriginalClient> => {
    const client = await startOriginalClient(name);
    lab.defer(() => client.close());
    return client;
  };

  it('logs in, gets the list, sees others join and leave, and talks with our peer, all in classic datagrams', async () => {
    const server = await lab.server({ heartbeatMs: 100 });
    const bob = await lab.online(server, 'bob');
    const classic = await originalClient('剑痴');

    await classic.login(serverOf(server));
    const list = await waitFor(classic.lists$, () => true, 'the classic client to read the list');
    const accept = classic.datagrams.find((d) => d.fields[0] === 'Accept');
    expect(accept?.text).toBe(`Accept,${server.address.tcpPort}`);
    // Sent from the server's own UDP socket, whose address the TCP listener shares.
    expect(accept?.from).toEqual({ address: '127.0.0.1', port: server.address.udpPort });
    expect(list).toBe(`bob,${bob.handle.endpoint};剑痴,${classic.endpoint};end`);

    const online = await waitFor(server.handle.users$, (users) => users.length === 2, 'the server to list 剑痴');
    expect(online.find((user) => user.name === '剑痴')).toEqual({
      name: '剑痴',
      endpoint: classic.endpoint,
      session: classic.endpoint,
      imstate: false,
    });
    await waitFor(bob.handle.users$, (users) => users.some((user) => user.name === '剑痴'), 'bob to see 剑痴 join');

    const carol = await lab.online(server, 'carol');
    const carolAt = carol.handle.endpoint;
    const joined = await waitFor(classic.datagrams$, (d) => d.fields[0] === 'login', 'the forwarded login of carol');
    expect(joined.text).toBe(`login,carol,${carolAt}`);
    expect(classic.view.get('carol')).toBe(carolAt);

    const sent = waitFor(bob.handle.messages$, (m) => m.status === 'sent', 'bob to have sent the classic talk');
    await bob.handle.say('剑痴', 'hello, 世界, 👋');
    const talk = await waitFor(classic.datagrams$, (d) => d.fields[0] === 'talk', 'the talk from bob');
    expect((await sent).to).toBe('剑痴');
    expect(talk.text).toBe(`talk,${(await sent).time},bob,hello, 世界, 👋`);
    expect(talk.fields[3]).toBe('hello'); // what the original shows: the text up to the first comma

    const heard = waitFor(bob.handle.messages$, (m) => m.direction === 'in', 'bob to hear 剑痴');
    await classic.talk(bob.handle.endpoint ?? '', '你好, world', '11:43:19');
    expect(await heard).toMatchObject({ from: '剑痴', to: 'bob', text: '你好, world', time: '11:43:19', status: 'received' });

    await carol.handle.logout();
    const left = await waitFor(classic.datagrams$, (d) => d.fields[0] === 'logout', 'the forwarded logout of carol');
    expect(left.text).toBe(`logout,carol,${carolAt}`);
    expect(classic.view.has('carol')).toBe(false);

    await classic.logout(serverOf(server));
    await waitFor(bob.handle.users$, (users) => users.length === 1, 'bob to see 剑痴 leave');
    expect(server.handle.stats()['left.expired']).toBeUndefined(); // a classic session never expires

    expect(classic.nonClassic).toEqual([]);
    expect(classic.death).toBeUndefined();
    expect(classic.datagrams.map((d) => d.fields[0])).toEqual(['Accept', 'login', 'talk', 'logout']);
  });

  it('two original clients see each other, and a logout from one reaches the other', async () => {
    const server = await lab.server();
    const first = await originalClient('first');
    const second = await originalClient('second');
    await first.login(serverOf(server));
    await waitFor(first.lists$, () => true, 'the first list');
    await second.login(serverOf(server));
    expect(await waitFor(second.lists$, () => true, 'the second list')).toBe(
      `first,${first.endpoint};second,${second.endpoint};end`,
    );
    expect((await waitFor(first.datagrams$, (d) => d.fields[0] === 'login', 'second joining')).text).toBe(
      `login,second,${second.endpoint}`,
    );
    await second.logout(serverOf(server));
    expect((await waitFor(first.datagrams$, (d) => d.fields[0] === 'logout', 'second leaving')).text).toBe(
      `logout,second,${second.endpoint}`,
    );
    expect([...first.nonClassic, ...second.nonClassic]).toEqual([]);
  });

  it('fetches the list from a server bound to 127.0.0.2, because Accept comes from that address', async () => {
    const server = await lab.server({ host: '127.0.0.2' });
    const classic = await originalClient('classic');
    await classic.login(serverOf(server));
    expect(await waitFor(classic.lists$, () => true, 'the list from 127.0.0.2')).toBe(`classic,${classic.endpoint};end`);
    expect(classic.datagrams[0]?.from.address).toBe('127.0.0.2');
  });
});

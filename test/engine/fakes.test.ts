/**
 * The fakes themselves, so that the interop tests can be trusted: their bytes are the original program's captured
 * bytes (test/protocol/original-wire.json), and the fake server really dies on what would kill the original, and
 * the fake client on a datagram it cannot index.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOriginalClient } from './fakes/original-client.js';
import { startOriginalServer, type OriginalServer } from './fakes/original-server.js';
import { binaryWriterString, readBinaryString, sendFromThrowAway, unicodeBytes } from './fakes/wire.js';
import { createLab, waitFor, type Lab } from './support/harness.js';

interface Vector {
  readonly name: string;
  readonly transport: 'udp' | 'tcp';
  readonly hex: string;
  readonly text: string;
}
const vectors = (JSON.parse(readFileSync(new URL('../protocol/original-wire.json', import.meta.url), 'utf8')) as { vectors: Vector[] }).vectors;
const bytesOf = (hex: string): Buffer => Buffer.from(hex.replace(/\s+/g, ''), 'hex');

describe('the fakes speak the original bytes', () => {
  it.each(vectors.map((v) => [v.name, v] as const))('%s', (_, vector) => {
    const bytes = bytesOf(vector.hex);
    if (vector.transport === 'udp') expect(unicodeBytes(vector.text)).toEqual(bytes);
    else {
      expect(binaryWriterString(vector.text)).toEqual(bytes);
      expect(readBinaryString(bytes)).toEqual({ text: vector.text, used: bytes.length });
      expect(readBinaryString(bytes.subarray(0, bytes.length - 1))).toBeUndefined();
    }
  });
});

describe('the fakes die where the original dies', () => {
  let lab: Lab;
  let fake: OriginalServer;
  beforeEach(async () => {
    lab = await createLab();
    fake = await startOriginalServer();
    lab.defer(() => fake.close());
  });
  afterEach(() => lab.cleanup());

  const at = () => ({ address: '127.0.0.1', port: fake.udpPort });

  it.each([
    ['fewer than 3 fields', 'pong,7'],
    ['an endpoint without a port', 'login,x,127.0.0.1'],
    ['an IPv6 endpoint', 'login,x,[::1]:5000'],
    ['an unknown type with a good endpoint', 'rtalk,1,127.0.0.1:5000,x'],
    ['a ping', 'ping,alice,AbCdEf012345'],
  ])('the server dies on %s, and serves nobody after', async (_, text) => {
    await sendFromThrowAway(unicodeBytes(text), at());
    await waitFor(fake.datagrams$, (d) => d.text === text, 'the fake to read it');
    expect(fake.death).toBeInstanceOf(Error);
    const client = await startOriginalClient('late');
    lab.defer(() => client.close());
    await client.login(at());
    await waitFor(fake.datagrams$, (d) => d.fields[1] === 'late', 'the late login to arrive');
    expect(fake.users).toEqual([]);
  });

  it('the server lives on login with appended fields, and forwards them verbatim', async () => {
    const first = await startOriginalClient('first');
    lab.defer(() => first.close());
    await first.login(at());
    await waitFor(first.lists$, () => true, 'the first list');
    const login = `login,second,127.0.0.1:5000,imstate=1,session=abc`;
    await sendFromThrowAway(unicodeBytes(login), at());
    expect((await waitFor(first.datagrams$, (d) => d.fields[0] === 'login', 'the forwarded login')).text).toBe(login);
    expect(fake.death).toBeUndefined();
    expect(first.nonClassic).toEqual([login]);
  });

  it('the client dies on a talk with fewer than 4 fields', async () => {
    const client = await startOriginalClient('victim');
    lab.defer(() => client.close());
    const [address = '', port = ''] = client.endpoint.split(':');
    await sendFromThrowAway(unicodeBytes('talk,10:00:00,x'), { address, port: Number(port) });
    await waitFor(client.datagrams$, () => true, 'the client to read it');
    expect(client.death?.message).toMatch(/IndexOutOfRange/);
  });
});

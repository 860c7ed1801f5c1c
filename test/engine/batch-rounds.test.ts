/**
 * The batched fan-out's parts, without sockets: rounds go at the socket's pace (a round waits for `drained()` between
 * slices, and what comes meanwhile rides the next round, packed together), every recipient gets every datagram of a
 * round once, a pong never runs ahead of what the rounds sent, logins wait while the rounds are behind and come out
 * in order, and the recipient maps follow the online list with each endpoint parsed once.
 */
import { describe, expect, it } from 'vitest';
import { createBatchRounds } from '../../src/engine/batch-rounds.js';
import { createFanOut } from '../../src/engine/broadcast.js';
import { createCounters } from '../../src/engine/counters.js';
import { createLoginHold } from '../../src/engine/login-hold.js';
import { createRecipients } from '../../src/engine/recipients.js';
import { applyEvents, emptyPresence, type PresenceEvent, type User } from '../../src/presence/index.js';
import { decodeDatagram, type BatchMessage, type Message } from '../../src/protocol/index.js';
import type { SocketAddress, UdpSocket } from '../../src/transport/index.js';

/** A socket that records its sends and whose `drained()` resolves only when the test says so. */
const pacedSocket = () => {
  const sent: { bytes: Uint8Array; to: SocketAddress }[] = [];
  let waiting: (() => void)[] = [];
  const socket: UdpSocket = {
    local: { family: 'IPv4', address: '127.0.0.1', port: 9000 },
    sendErrors: 0,
    send: (bytes, to) => void sent.push({ bytes, to }),
    drained: () => new Promise<void>((resolve) => waiting.push(resolve)),
  };
  const drain = async (): Promise<void> => {
    const now = waiting;
    waiting = [];
    for (const resolve of now) resolve();
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { socket, sent, drain, get waits() { return waiting.length; } };
};

const user = (i: number, batch = true): User => ({ name: `u${i}`, endpoint: `127.0.0.1:${5000 + i}`, session: `s${i}`, imstate: true, ...(batch ? { batch: true } : {}) });
const joinedAt = (seq: number, u: User): PresenceEvent => ({ type: 'joined', seq, user: u });
const loginForm = (seq: number, u: User): Message => ({
  type: 'login',
  name: u.name,
  endpoint: { family: 'IPv4', address: '127.0.0.1', port: Number(u.endpoint.split(':')[1]) },
  imstate: true,
  seq,
  session: u.session,
  extensions: [],
});
const batchOf = (bytes: Uint8Array): BatchMessage => {
  const decoded = decodeDatagram(bytes);
  if (!decoded.ok || decoded.value.type !== 'batch') throw new Error('not a batch');
  return decoded.value;
};
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('batch rounds', () => {
  it('send only full datagrams while events keep coming: a round of several keeps its last one for the next round', async () => {
    const paced = pacedSocket();
    const recipients = createRecipients();
    recipients.sync(applyEvents(emptyPresence(), [joinedAt(1, user(1)), joinedAt(2, user(2))]));
    const counters = createCounters();
    // About 4 login lines fit a 200-byte batch; one recipient per slice, so a round waits for the socket.
    const rounds = createBatchRounds({ socket: () => paced.socket, recipients: recipients.batched, maxBytes: 200, sliceDatagrams: 1, counters });
    rounds.add(loginForm(3, user(3)));
    await settle();
    // While the first round (seq 3 alone: one datagram goes as it is) waits for the socket, 9 more come.
    for (let seq = 4; seq <= 12; seq++) rounds.add(loginForm(seq, user(seq)));
    await paced.drain();
    await paced.drain();
    const sizes = () => paced.sent.map(({ bytes }) => batchOf(bytes).entries.length);
    // The second round packs 4–12 into three datagrams and sends the two full ones; the third waits.
    expect(sizes().slice(0, 2)).toEqual([1, 1]);
    expect(sizes().slice(2).length).toBeGreaterThan(0);
    expect(sizes().slice(2).every((n) => n >= 4)).toBe(true);
    expect(rounds.waitingBytes).toBeGreaterThan(0);
    const kept = rounds.unsentFrom;
    // Nothing more comes: the kept lines go as a round of one datagram, and every event was sent exactly once.
    while (rounds.busy) await paced.drain();
    const batches = paced.sent.filter(({ to }) => to.port === 5001).map(({ bytes }) => batchOf(bytes));
    const seqs = batches.flatMap((batch) => batch.entries.map((_, k) => batch.first + k));
    expect(seqs).toEqual(Array.from({ length: 10 }, (_, k) => k + 3));
    expect(kept).toBeLessThanOrEqual(batches.at(-1)!.first);
  });

  it('go at the socket pace: what comes during a round rides the next one, packed, and each recipient gets each datagram once', async () => {
    const paced = pacedSocket();
    const recipients = createRecipients();
    const people = Array.from({ length: 5 }, (_, i) => user(i));
    recipients.sync(applyEvents(emptyPresence(), people.map((u, i) => joinedAt(i + 1, u))));
    const counters = createCounters();
    const rounds = createBatchRounds({ socket: () => paced.socket, recipients: recipients.batched, maxBytes: 1232, sliceDatagrams: 2, counters });

    rounds.add(loginForm(6, user(6)));
    expect(rounds.busy).toBe(true);
    await settle();
    // The first slice (two recipients) is out; the round waits for the socket before the next.
    expect(paced.sent.length).toBe(2);
    expect(rounds.unsentFrom).toBe(6);
    for (let seq = 7; seq <= 10; seq++) rounds.add(loginForm(seq, user(seq)));
    expect(rounds.waitingBytes).toBeGreaterThan(0);
    while (rounds.busy) await paced.drain();
    expect(rounds.unsentFrom).toBeUndefined();

    const batches = paced.sent.map(({ bytes, to }) => ({ batch: batchOf(bytes), to: `${to.address}:${to.port}` }));
    // Two rounds, one datagram each: seq 6 alone, then 7–10 together.
    expect(new Set(batches.map(({ batch }) => `${batch.first}+${batch.entries.length}`))).toEqual(new Set(['6+1', '7+4']));
    for (const range of ['6+1', '7+4']) {
      const to = batches.filter(({ batch }) => `${batch.first}+${batch.entries.length}` === range).map(({ to }) => to).sort();
      expect(to).toEqual(people.map((u) => u.endpoint).sort());
    }
    expect(counters.read()).toMatchObject({ batchRounds: 2, batchEvents: 5, batchDatagrams: 10, datagramsOut: 10 });
  });

  it('stop sending when closed, and count what they cannot write', async () => {
    const paced = pacedSocket();
    const recipients = createRecipients();
    recipients.sync(applyEvents(emptyPresence(), [1, 2, 3].map((i) => joinedAt(i, user(i)))));
    const counters = createCounters();
    const rounds = createBatchRounds({ socket: () => paced.socket, recipients: recipients.batched, maxBytes: 1232, sliceDatagrams: 1, counters });
    rounds.add({ type: 'pong', seq: 3 });
    expect(counters.read()['batchUnwritable']).toBe(1);
    rounds.add(loginForm(4, user(4)));
    await settle();
    rounds.close();
    await paced.drain();
    await paced.drain();
    expect(paced.sent.length).toBe(1);
    expect(rounds.busy).toBe(false);
  });
});

describe('the fan-out', () => {
  it('sends batch recipients batches and the others one datagram per event, and keeps the pong behind the rounds', async () => {
    const paced = pacedSocket();
    const counters = createCounters();
    const others = [user(1), user(2, false), { ...user(3, false), imstate: false, session: '127.0.0.1:5003' }];
    let presence = applyEvents(emptyPresence(), others.map((u, i) => joinedAt(i + 1, u)));
    const fanOut = createFanOut({ socket: () => paced.socket, presence: () => presence, counters, batchBytes: 200 });
    const newcomer = user(4);
    presence = applyEvents(presence, [joinedAt(4, newcomer)]);
    const extended = loginForm(4, newcomer);
    const classic: Message = { type: 'login', name: 'u4', endpoint: { family: 'IPv4', address: '127.0.0.1', port: 5004 }, extensions: [] };
    fanOut.broadcast({ classic, extended, except: 'u4' });
    // At once: u2 (imstate, no batches) the sequenced datagram, u3 (classic) the classic one.
    const direct = paced.sent.map(({ bytes, to }) => ({ to: to.port, message: decodeDatagram(bytes) }));
    expect(direct).toEqual([
      { to: 5002, message: { ok: true, value: extended } },
      { to: 5003, message: { ok: true, value: classic } },
    ]);
    expect(fanOut.pongSeq(4)).toBe(3);
    await settle();
    // Then a round for u1 and u4 (the newcomer's own join is at its list's sequence number: its replica ignores it).
    expect(paced.sent.slice(2).map(({ to }) => to.port).sort()).toEqual([5001, 5004]);
    await paced.drain();
    expect(fanOut.pongSeq(4)).toBe(4);
    fanOut.close();
  });
});

describe('the login hold', () => {
  it('passes logins while not behind, holds them in order while behind, lets them out on release, and sheds past its bound', () => {
    let behind = false;
    const counters = createCounters();
    const hold = createLoginHold({ behind: () => behind, max: 3, counters });
    const delivered: number[] = [];
    hold.offer(() => delivered.push(0));
    behind = true;
    for (let i = 1; i <= 5; i++) hold.offer(() => delivered.push(i));
    expect(delivered).toEqual([0]);
    expect(hold.held).toBe(3);
    behind = false;
    // Still behind the held ones: a new login queues after them.
    hold.offer(() => delivered.push(6));
    expect(counters.read()).toMatchObject({ loginsHeld: 3, loginsShed: 3 });
    hold.release(2);
    expect(delivered).toEqual([0, 1, 2]);
    hold.release(10);
    expect(delivered).toEqual([0, 1, 2, 3]);
    hold.offer(() => delivered.push(7));
    expect(delivered).toEqual([0, 1, 2, 3, 7]);
  });
});

describe('the recipients', () => {
  it('follow the online list by its changes, by what each user reads, and skip an endpoint that does not parse', () => {
    const recipients = createRecipients();
    const a = user(1);
    const b = user(2, false);
    let state = applyEvents(emptyPresence(), [joinedAt(1, a), joinedAt(2, b), joinedAt(3, { ...user(3), endpoint: 'nowhere' })]);
    expect(recipients.sync(state)).toBe(1);
    expect([...recipients.batched.keys()]).toEqual(['u1']);
    expect([...recipients.perEvent.keys()]).toEqual(['u2']);
    expect(recipients.batched.get('u1')!.address).toEqual({ family: 'IPv4', address: '127.0.0.1', port: 5001 });
    // u1 logs in again without batches, from elsewhere; u2 leaves.
    state = applyEvents(state, [
      { type: 'left', seq: 4, name: 'u1', session: 's1', reason: 'replaced' },
      joinedAt(5, { ...user(1, false), endpoint: '127.0.0.1:6001', session: 's1b' }),
      { type: 'left', seq: 6, name: 'u2', session: 's2', reason: 'logout' },
    ]);
    recipients.sync(state);
    expect([...recipients.batched.keys()]).toEqual([]);
    expect([...recipients.perEvent.entries()].map(([name, r]) => `${name} ${r.address.port}`)).toEqual(['u1 6001']);
  });
});

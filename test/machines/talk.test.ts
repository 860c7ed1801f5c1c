/**
 * Talk between peers: reliable (`rtalk` + `receipt`, retransmitted, deduplicated) where both ends speak imstate, a
 * single plain `talk` otherwise, on a simulated clock.
 */
import { describe, expect, it } from 'vitest';
import { createActor, fromTransition, SimulatedClock } from 'xstate';
import { talkMachine } from '../../machines/talk.machine.js';
import { settle, startPeer, type PeerRig } from './support/harness.js';
import { imstateAccept, imstateList, rtalk } from './support/wire.js';

const list = imstateList(1, [
  { name: 'alice', endpoint: '127.0.0.1:5001' },
  { name: 'bob', endpoint: '127.0.0.1:5002' },
  { name: 'carol', endpoint: '127.0.0.1:5003', imstate: false },
]);

const onlinePeer = async (): Promise<PeerRig> => {
  const rig = startPeer({ fetchList: async () => list });
  rig.actor.send({ type: 'LOGIN' });
  await settle();
  rig.receive(imstateAccept(1, 60_000), '127.0.0.1:9000');
  await settle();
  return rig;
};

const statuses = (rig: PeerRig, id: string): string[] =>
  rig.emitted.flatMap((e) => (e.type === 'talk.status' && e.id === id ? [e.reason === undefined ? e.status : `${e.status}: ${e.reason}`] : []));

describe('talk to an imstate peer', () => {
  it('retransmits until the receipt comes, then reports delivered once', async () => {
    const rig = await onlinePeer();
    rig.actor.send({ type: 'SAY', to: 'bob', text: 'hi, bob, again', id: 'm1', time: '10:41:40' });
    const rtalks = () => rig.sent().filter((s) => s.message.type === 'rtalk');
    expect(rtalks()).toEqual([
      { to: '127.0.0.1:5002', message: { type: 'rtalk', id: 'm1', time: '10:41:40', name: 'alice', text: 'hi, bob, again' } },
    ]);
    rig.advance(1000);
    expect(rtalks()).toHaveLength(2);
    rig.receive({ type: 'receipt', id: 'm1', name: 'bob' }, '127.0.0.1:5002');
    rig.receive({ type: 'receipt', id: 'm1', name: 'bob' }, '127.0.0.1:5002');
    rig.advance(5000);
    expect(rtalks()).toHaveLength(2);
    expect(statuses(rig, 'm1')).toEqual(['sending', 'delivered']);
    expect(rig.actor.getSnapshot().context.talks).toEqual([]);
  });

  it('reports failed after the tries with the reason', async () => {
    const rig = await onlinePeer();
    rig.actor.send({ type: 'SAY', to: 'bob', text: 'anyone?', id: 'm2', time: '10:41:40' });
    rig.advance(5000);
    expect(rig.sent().filter((s) => s.message.type === 'rtalk')).toHaveLength(5);
    expect(statuses(rig, 'm2')).toEqual(['sending', 'failed: no receipt from bob after 5 tries']);
    expect(rig.actor.getSnapshot().context.talks).toEqual([]);
  });

  it('sends one plain talk to a classic peer, and fails at once for a name not online', async () => {
    const rig = await onlinePeer();
    rig.actor.send({ type: 'SAY', to: 'carol', text: 'hello', id: 'm3', time: '10:41:40' });
    rig.actor.send({ type: 'SAY', to: 'zed', text: 'hello', id: 'm4', time: '10:41:40' });
    rig.advance(5000);
    expect(rig.sent().filter((s) => s.message.type === 'talk')).toEqual([
      { to: '127.0.0.1:5003', message: { type: 'talk', time: '10:41:40', name: 'alice', text: 'hello' } },
    ]);
    expect(statuses(rig, 'm3')).toEqual(['sent']);
    expect(statuses(rig, 'm4')).toEqual(['failed: zed is not online']);
  });

  it('refuses to talk before it is online', () => {
    const rig = startPeer();
    rig.actor.send({ type: 'SAY', to: 'bob', text: 'hello', id: 'm5', time: '10:41:40' });
    expect(statuses(rig, 'm5')).toEqual(['failed: not logged in']);
    expect(rig.sent()).toEqual([]);
  });
});

describe('talk received', () => {
  it('answers every rtalk with a receipt but reports a duplicated one once', async () => {
    const rig = await onlinePeer();
    rig.receive(rtalk('b1', 'bob', 'hi, alice'), '127.0.0.1:40001');
    rig.receive(rtalk('b1', 'bob', 'hi, alice'), '127.0.0.1:40001');
    rig.receive(rtalk('b2', 'bob', 'again'), '127.0.0.1:40001');
    const receipts = rig.sent().filter((s) => s.message.type === 'receipt');
    expect(receipts).toEqual([
      { to: '127.0.0.1:5002', message: { type: 'receipt', id: 'b1', name: 'alice' } },
      { to: '127.0.0.1:5002', message: { type: 'receipt', id: 'b1', name: 'alice' } },
      { to: '127.0.0.1:5002', message: { type: 'receipt', id: 'b2', name: 'alice' } },
    ]);
    const received = rig.emitted.filter((e) => e.type === 'talk.received');
    expect(received).toEqual([
      { type: 'talk.received', from: 'bob', time: '10:41:40', text: 'hi, alice', id: 'b1' },
      { type: 'talk.received', from: 'bob', time: '10:41:40', text: 'again', id: 'b2' },
    ]);
  });

  it('answers a stranger at the datagram source, and forgets ids beyond its memory', async () => {
    const rig = startPeer({ input: { options: { recentTalkIds: 2 } }, fetchList: async () => list });
    rig.actor.send({ type: 'LOGIN' });
    await settle();
    rig.receive(imstateAccept(1, 60_000), '127.0.0.1:9000');
    await settle();
    for (const id of ['z1', 'z2', 'z3', 'z1']) rig.receive(rtalk(id, 'zed', id), '127.0.0.1:40009');
    expect(rig.sent().filter((s) => s.message.type === 'receipt').map((s) => s.to)).toEqual(Array(4).fill('127.0.0.1:40009'));
    expect(rig.emitted.filter((e) => e.type === 'talk.received').map((e) => e.type === 'talk.received' && e.id)).toEqual(['z1', 'z2', 'z3', 'z1']);
  });

  it('reports a classic talk every time (it carries no id)', async () => {
    const rig = await onlinePeer();
    const talk = { type: 'talk' as const, time: '10:41:40', name: 'carol', text: 'hello, alice' };
    rig.receive(talk, '127.0.0.1:40003');
    rig.receive(talk, '127.0.0.1:40003');
    expect(rig.emitted.filter((e) => e.type === 'talk.received')).toHaveLength(2);
    expect(rig.sent().filter((s) => s.message.type === 'receipt')).toEqual([]);
  });
});

describe('talk machine alone', () => {
  it('reports to the peer ref it was given and outputs its status', () => {
    const clock = new SimulatedClock();
    const peer = createActor(fromTransition((seen: unknown[], event: unknown) => [...seen, event], [] as unknown[])).start();
    const actor = createActor(talkMachine, {
      clock,
      input: {
        id: 't1',
        to: 'bob',
        endpoint: '127.0.0.1:5002',
        message: { type: 'rtalk', id: 't1', time: 'now', name: 'alice', text: 'x' },
        receiptTimeoutMs: 100,
        tries: 0,
        peer,
      },
    });
    actor.start();
    clock.increment(100);
    expect(actor.getSnapshot().output).toEqual({ id: 't1', status: 'failed' });
    expect(peer.getSnapshot().context).toEqual([
      { type: 'talk.transmit', id: 't1', to: '127.0.0.1:5002', message: { type: 'rtalk', id: 't1', time: 'now', name: 'alice', text: 'x' } },
      { type: 'talk.status', id: 't1', to: 'bob', status: 'failed', reason: 'no receipt from bob after 1 try' },
    ]);
  });
});

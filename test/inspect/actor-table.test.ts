/**
 * The actor table folds real XState inspection events: actors with ids, system ids, machines and parents; steps
 * with the event, its sender and the transitions taken; bounded history, bounded ended actors, a cap on actors; and
 * nothing it is handed, nor a failing listener, can throw into the engine.
 */
import { describe, expect, it } from 'vitest';
import { createActor, createMachine, sendParent, setup, type InspectionEvent } from 'xstate';
import { createActorTable } from '../../src/inspect/actor-table.js';
import type { Change } from '../../src/inspect/index.js';
import { lightMachine } from './helpers.js';

const talkMachine = setup({}).createMachine({
  id: 'talk',
  initial: 'sending',
  states: {
    sending: { on: { ACK: { target: 'delivered', actions: sendParent({ type: 'DELIVERED' }) } } },
    delivered: { type: 'final' },
  },
});

const peerMachine = setup({ actors: { talk: talkMachine } }).createMachine({
  id: 'peer',
  initial: 'online',
  states: {
    online: { invoke: { src: 'talk', id: 'talk-1', systemId: 'talk:bob' }, on: { DELIVERED: 'idle' } },
    idle: {},
  },
});

const tinyMachine = createMachine({ id: 'tiny', initial: 'on', states: { on: { on: { OFF: 'off' } }, off: {} } });

describe('actor table', () => {
  it('lists each actor with its ids, machine, parent, state and last event', () => {
    const table = createActorTable();
    const peer = createActor(peerMachine, { inspect: table.inspect, systemId: 'peer:alice' }).start();
    const actors = [...table.actors()];
    expect(actors.map((a) => [a.id, a.systemId, a.machine, a.status, a.state, a.lastEvent])).toEqual([
      [peer.sessionId, 'peer:alice', 'peer', 'active', 'online', 'xstate.init'],
      ['talk-1', 'talk:bob', 'talk', 'active', 'sending', 'xstate.init'],
    ]);
    expect(actors[1]?.parent).toBe(peer.sessionId);
    expect(actors[0]?.parent).toBeUndefined();
    peer.stop();
  });

  it('records each step: the event, who sent it, the transitions it took, where the actor ended up', () => {
    const table = createActorTable();
    const peer = createActor(peerMachine, { inspect: table.inspect }).start();
    const talk = peer.system.get('talk:bob');
    talk.send({ type: 'ACK', at: '10:41:40' });
    const steps = table.history();
    const ack = steps.find((s) => s.event === 'ACK');
    expect(ack).toMatchObject({
      sessionId: talk.sessionId,
      payload: { at: '10:41:40' },
      transitions: [{ event: 'ACK', from: 'sending', to: ['delivered'] }],
      state: 'delivered',
      status: 'done',
    });
    expect(ack?.source).toBeUndefined(); // sent from outside any actor
    const delivered = steps.find((s) => s.event === 'DELIVERED');
    expect(delivered).toMatchObject({
      sessionId: peer.sessionId,
      source: talk.sessionId,
      transitions: [{ event: 'DELIVERED', from: 'online', to: ['idle'] }],
      state: 'idle',
    });
    expect(steps.map((s) => s.seq)).toEqual(steps.map((_, i) => i + 1));
    expect(table.counts()).toMatchObject({ actors: 2, ended: 1, steps: steps.length, errors: 0 });
    peer.stop();
    expect([...table.actors()].map((a) => a.status)).toEqual(['stopped', 'done']);
  });

  it('shows a targetless transition with no target, and an unhandled event with none', () => {
    const counter = setup({}).createMachine({ id: 'counter', initial: 'counting', states: { counting: { on: { TICK: {} } } } });
    const table = createActorTable();
    const actor = createActor(counter, { inspect: table.inspect }).start();
    actor.send({ type: 'TICK' });
    actor.send({ type: 'NOBODY_HANDLES_ME' });
    const [, tick, unhandled] = table.history();
    expect(tick?.transitions).toEqual([{ event: 'TICK', from: 'counting', to: [] }]);
    expect(unhandled).toMatchObject({ event: 'NOBODY_HANDLES_ME', transitions: [], state: 'counting' });
    actor.stop();
  });

  it('gives a selected actor its context summarized, and its steps', () => {
    const table = createActorTable();
    const light = createActor(lightMachine, { inspect: table.inspect }).start();
    light.send({ type: 'TIMER' });
    const detail = table.detail(light.sessionId);
    expect(detail.actor?.state).toBe('yellow');
    expect(detail.context).toEqual({ changes: 1, bigint: '100000000000000000000n', loop: { name: 'loop', self: '[cycle]' } });
    expect(detail.steps.map((s) => s.event)).toEqual(['xstate.init', 'TIMER']);
    expect(table.detail('x:nobody')).toEqual({ sessionId: 'x:nobody', actor: null, context: null, output: null, error: null, steps: [], active: [] });
    light.stop();
  });

  it('keeps only the last historyLimit steps', () => {
    const table = createActorTable({ historyLimit: 5 });
    const light = createActor(lightMachine, { inspect: table.inspect }).start();
    for (let i = 0; i < 20; i++) light.send({ type: 'TIMER' });
    const steps = table.history();
    expect(steps.map((s) => s.seq)).toEqual([17, 18, 19, 20, 21]);
    expect(table.counts().steps).toBe(21);
    expect([...table.actors()][0]?.steps).toBe(21);
    light.stop();
  });

  it('forgets the oldest ended actors past retainEnded, and an event to a forgotten actor does not bring it back', () => {
    const table = createActorTable({ retainEnded: 10 });
    const changes: Change[] = [];
    table.onChange = (_sessionId, change) => changes.push(change());
    const actors = Array.from({ length: 50 }, () => createActor(tinyMachine, { inspect: table.inspect }).start());
    const live = createActor(tinyMachine, { inspect: table.inspect }).start();
    for (const actor of actors) actor.stop();
    const kept = [...table.actors()];
    expect(kept).toHaveLength(11);
    expect(kept.filter((a) => a.status === 'stopped').map((a) => a.sessionId)).toEqual(actors.slice(40).map((a) => a.sessionId));
    expect(changes.filter((c) => c.t === 'evicted').map((c) => (c.t === 'evicted' ? c.sessionId : ''))).toEqual(
      actors.slice(0, 40).map((a) => a.sessionId),
    );
    actors[0]?.send({ type: 'OFF' });
    expect(table.counts()).toMatchObject({ actors: 11, ended: 10 });
    live.stop();
  });

  it('tracks at most maxActors, counting the rest once each', () => {
    const table = createActorTable({ maxActors: 3 });
    const actors = Array.from({ length: 5 }, () => createActor(tinyMachine, { inspect: table.inspect }).start());
    for (const actor of actors) actor.send({ type: 'OFF' });
    expect([...table.actors()].map((a) => a.sessionId)).toEqual(actors.slice(0, 3).map((a) => a.sessionId));
    expect(table.counts().untracked).toBe(2);
    for (const actor of actors) actor.stop();
  });

  it('learns about an actor that was already running when it is attached', () => {
    const table = createActorTable();
    const light = createActor(lightMachine).start();
    light.system.inspect(table.inspect);
    light.send({ type: 'TIMER' });
    expect([...table.actors()].map((a) => [a.sessionId, a.machine, a.state])).toEqual([[light.sessionId, 'light', 'yellow']]);
    light.stop();
  });

  it('never throws into the engine: a failing listener is counted and the actor runs on', () => {
    const table = createActorTable();
    table.onChange = () => {
      throw new Error('page handler broke');
    };
    const light = createActor(lightMachine, { inspect: table.inspect }).start();
    light.send({ type: 'TIMER' });
    expect(light.getSnapshot().value).toBe('yellow');
    expect(table.counts().errors).toBeGreaterThan(0);
    expect([...table.actors()][0]?.state).toBe('yellow');
    light.stop();
  });

  it('never throws on malformed inspection events', () => {
    const table = createActorTable();
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const garbage: unknown[] = [
      null,
      undefined,
      42,
      {},
      { type: '@xstate.snapshot' },
      { type: '@xstate.snapshot', actorRef: proxy, snapshot: proxy, event: proxy },
      { type: '@xstate.snapshot', actorRef: { sessionId: 'x:9' }, snapshot: null, event: null },
      { type: '@xstate.microstep', actorRef: { sessionId: 'x:9' }, _transitions: [null, { source: proxy }, 7] },
      { type: '@xstate.microstep', actorRef: { sessionId: 'x:9' }, _transitions: proxy },
      { type: '@xstate.event', actorRef: proxy, sourceRef: proxy, event: proxy },
      { type: '@xstate.actor', actorRef: { sessionId: 7 } },
    ];
    for (const event of garbage) expect(() => table.inspect(event as InspectionEvent)).not.toThrow();
    expect(() => table.history()).not.toThrow();
    expect(() => table.detail('x:9')).not.toThrow();
    expect(JSON.parse(JSON.stringify([...table.actors()]))).toEqual([...table.actors()]);
  });

  it('stays bounded with 100k actors: one record each, history and ended actors capped', () => {
    // Synthetic events shaped as XState sends them, so the test measures the table and not 100k real actors.
    const table = createActorTable({ historyLimit: 200, retainEnded: 1_000 });
    const logic = { id: 'session', config: {} };
    const refs = Array.from({ length: 100_000 }, (_, i) => ({
      sessionId: `x:${i}`,
      id: `x:${i}`,
      systemId: `user${i}`,
      logic,
      send: () => undefined,
      getSnapshot: () => undefined,
    }));
    const inspect = (event: Record<string, unknown>): void => table.inspect({ rootId: 'x:0', ...event } as unknown as InspectionEvent);
    const snapshot = (actorRef: object, type: string, status: string, value: string): void =>
      inspect({ type: '@xstate.snapshot', actorRef, event: { type }, snapshot: { status, value, context: { big: 'x'.repeat(1000) } } });
    for (const ref of refs) {
      inspect({ type: '@xstate.actor', actorRef: ref });
      snapshot(ref, 'xstate.init', 'active', 'online');
    }
    expect(table.counts()).toMatchObject({ actors: 100_000, ended: 0, steps: 100_000 });
    expect(table.history()).toHaveLength(200);
    expect([...table.actors()][99_999]).toMatchObject({ systemId: 'user99999', machine: 'session', state: 'online' });
    for (const ref of refs) snapshot(ref, 'xstate.stop', 'stopped', 'online');
    expect(table.counts()).toMatchObject({ actors: 1_000, ended: 1_000, steps: 200_000 });
    expect(table.history()).toHaveLength(200);
    expect([...table.actors()][0]?.sessionId).toBe('x:99000');
  });
});

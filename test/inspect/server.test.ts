/**
 * The inspector's server on loopback, watched by a WebSocket client: the whole state on connect, then every change;
 * the selected actor's detail; the page over HTTP; who is refused; what a bad page message does (nothing); a burst
 * that would overflow the queue; and close().
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createActor, fromTransition, type AnyActorRef, type InspectionEvent } from 'xstate';
import { createInspector, type Inspector, type ServerMessage } from '../../src/inspect/index.js';
import { lightMachine, ofType, watch, type Watcher } from './helpers.js';

const open: Array<Inspector | Watcher> = [];
const track = <T extends Inspector | Watcher>(thing: T): T => {
  open.push(thing);
  return thing;
};
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

/** A raw HTTP request, so that headers browsers and fetch will not let us forge (Host) can be sent. */
const get = (url: string, headers: Record<string, string> = {}, method = 'GET') =>
  new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });

const isStepOf = (event: string) => (m: ServerMessage) => m.t === 'changes' && m.changes.some((c) => c.t === 'step' && c.step.event === event);

describe('inspector server', () => {
  it('sends a connecting page every actor and the history, then every change as it happens', async () => {
    const inspector = track(await createInspector());
    expect(inspector.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const light = createActor(lightMachine, { inspect: inspector.inspect, systemId: 'light-1' }).start();
    const page = track(await watch(inspector.url));
    const hello = await page.next(ofType('hello'), 'hello');
    expect(hello).toMatchObject({ version: 1, historyLimit: 500, counts: { actors: 1, steps: 1 } });
    const actors = await page.next(ofType('actors'), 'actors');
    expect(actors.last).toBe(true);
    expect(actors.actors).toEqual([expect.objectContaining({ sessionId: light.sessionId, systemId: 'light-1', machine: 'light', state: 'green' })]);
    const history = await page.next(ofType('history'), 'history');
    expect(history.steps.map((s) => s.event)).toEqual(['xstate.init']);

    light.send({ type: 'TIMER', by: 'test' });
    const changes = await page.next(isStepOf('TIMER'), 'the TIMER step');
    expect(changes.t === 'changes' && changes.changes).toEqual([
      {
        t: 'step',
        step: expect.objectContaining({
          event: 'TIMER',
          payload: { by: 'test' },
          transitions: [{ event: 'TIMER', from: 'green', to: ['yellow'], edge: 't0' }], // t0: the chart's first edge
          state: 'yellow',
        }),
        actor: expect.objectContaining({ sessionId: light.sessionId, state: 'yellow', steps: 2, lastEvent: 'TIMER' }),
      },
    ]);

    const second = createActor(lightMachine, { inspect: inspector.inspect }).start();
    const born = await page.next(isStepOf('xstate.init'), 'the new actor');
    expect(born.t === 'changes' && born.changes.map((c) => c.t)).toEqual(['actor', 'step']);
    expect(inspector.counts()).toMatchObject({ actors: 2, clients: 1, errors: 0 });
    light.stop();
    second.stop();
  });

  it('sends the selected actor its summarized context, again whenever it changes, and stops on deselect', async () => {
    const inspector = track(await createInspector());
    const light = createActor(lightMachine, { inspect: inspector.inspect }).start();
    const page = track(await watch(inspector.url));
    await page.next(ofType('history'), 'history');
    page.send({ t: 'select', sessionId: light.sessionId });
    const first = await page.next(ofType('detail'), 'detail');
    expect(first.detail?.context).toEqual({ changes: 0, bigint: '100000000000000000000n', loop: { name: 'loop', self: '[cycle]' } });
    light.send({ type: 'TIMER' });
    const second = await page.next(ofType('detail'), 'refreshed detail');
    expect(second.detail).toMatchObject({ actor: { state: 'yellow' }, context: { changes: 1 } });
    expect(second.detail?.steps.map((s) => s.event)).toEqual(['xstate.init', 'TIMER']);

    page.send({ t: 'select', sessionId: null });
    const none = await page.next(ofType('detail'), 'the answer to deselect');
    expect(none.detail).toBeNull();
    light.send({ type: 'TIMER' });
    await page.next(isStepOf('TIMER'), 'the second TIMER step');
    expect(page.messages.filter((m) => m.t === 'detail')).toHaveLength(3);
    light.stop();
  });

  it('serves one self-contained page, and nothing else', async () => {
    const inspector = track(await createInspector());
    const page = await get(inspector.url);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.body).toContain('<title>imstate inspector</title>');
    expect(page.body).toContain("'/ws'");
    expect(page.body).not.toMatch(/https?:\/\//); // no CDN, no external font, nothing fetched but /ws
    expect(page.body).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
    expect((await get(inspector.url, {}, 'HEAD')).body).toBe('');
    expect((await get(`${inspector.url}nope`)).status).toBe(404);
    expect((await get(inspector.url, {}, 'POST')).status).toBe(405);
  });

  it('refuses a foreign Host (DNS rebinding) and a WebSocket from another site', async () => {
    const inspector = track(await createInspector());
    const port = new URL(inspector.url).port;
    expect((await get(inspector.url, { host: `evil.example:${port}` })).status).toBe(403);
    expect((await get(inspector.url, { host: `localhost:${port}` })).status).toBe(200);
    await expect(watch(inspector.url, { origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(watch(inspector.url, { host: `evil.example:${port}` })).rejects.toThrow(/403/);
    const sameSite = track(await watch(inspector.url, { origin: inspector.url.slice(0, -1) }));
    await sameSite.next(ofType('hello'), 'hello for the inspector’s own page');
  });

  it('ignores what a page sends that is not a selection, and keeps the page connected', async () => {
    const inspector = track(await createInspector());
    const light = createActor(lightMachine, { inspect: inspector.inspect }).start();
    const page = track(await watch(inspector.url));
    await page.next(ofType('history'), 'history');
    for (const junk of ['not json', '{"t":"select","sessionId":5}', '{"t":"other"}', 'null', '[]', JSON.stringify({ t: 'select', sessionId: 'x'.repeat(300) })]) {
      page.send(junk);
    }
    page.ws.send(Buffer.from([1, 2, 3]));
    page.send({ t: 'select', sessionId: light.sessionId });
    const detail = await page.next(ofType('detail'), 'detail after junk');
    expect(detail.detail?.sessionId).toBe(light.sessionId);
    expect(page.messages.filter((m) => m.t === 'detail')).toHaveLength(1);
    light.stop();
  });

  it('turns a burst past its queue bound into a fresh copy of the whole state', async () => {
    const inspector = track(await createInspector({ retainEnded: 10 }));
    const page = track(await watch(inspector.url));
    await page.next(ofType('history'), 'history');
    const logic = { id: 'session', config: {} };
    for (let i = 0; i < 15_000; i++) {
      const actorRef = { sessionId: `x:${i}`, id: `u${i}`, logic, send: () => undefined, getSnapshot: () => undefined };
      const snapshot = { status: 'active', value: 'online', context: {} };
      inspector.inspect({ type: '@xstate.actor', actorRef, rootId: actorRef.sessionId } as unknown as InspectionEvent);
      inspector.inspect({ type: '@xstate.snapshot', actorRef, rootId: actorRef.sessionId, event: { type: 'xstate.init' }, snapshot } as unknown as InspectionEvent);
    }
    const hello = await page.next(ofType('hello'), 'a second hello');
    expect(hello.counts.actors).toBe(15_000);
    await page.next((m) => m.t === 'actors' && m.last, 'the last actors message');
    const sent = page.messages.filter((m) => m.t === 'actors').reduce((n, m) => n + (m.t === 'actors' ? m.actors.length : 0), 0);
    expect(sent).toBe(15_000);
    expect(page.messages.some((m) => m.t === 'changes')).toBe(false);
  });

  it('skips a page that stops reading, holding no backlog for it, and sends it everything afresh once it reads again', async () => {
    const inspector = track(await createInspector({ historyLimit: 50 }));
    const page = track(await watch(inspector.url));
    await page.next(ofType('history'), 'history');
    page.ws.pause(); // the browser tab is frozen: nothing is read, the socket buffers fill
    const logic = { id: 'session', config: {} };
    const actorRef = { sessionId: 'x:1', id: 'busy', logic, send: () => undefined, getSnapshot: () => undefined };
    const wide = { text: 'x'.repeat(100), list: Array.from({ length: 12 }, (_, i) => `item ${i}`) };
    // Bounded: far more than the socket buffers and the 8 MB high-water mark hold, or the test fails.
    for (let round = 0; round < 500 && inspector.counts().lagging === 0; round++) {
      for (let i = 0; i < 2_000; i++) {
        inspector.inspect({ type: '@xstate.snapshot', actorRef, rootId: 'x:1', event: { type: 'SAY', ...wide }, snapshot: { status: 'active', value: 'busy' } } as unknown as InspectionEvent);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(inspector.counts().lagging).toBe(1);
    const before = inspector.counts().steps;
    for (let i = 0; i < 5_000; i++) {
      inspector.inspect({ type: '@xstate.snapshot', actorRef, rootId: 'x:1', event: { type: 'SAY', ...wide }, snapshot: { status: 'active', value: 'busy' } } as unknown as InspectionEvent);
    }
    page.ws.resume();
    const hello = await page.next((m) => m.t === 'hello' && m.counts.steps >= before + 5_000, 'a fresh hello after the page read again');
    expect(hello.t).toBe('hello');
    const history = await page.next(ofType('history'), 'the fresh history');
    expect(history.steps).toHaveLength(50);
    expect(history.steps.at(-1)?.seq).toBe(before + 5_000);
    expect(inspector.counts().lagging).toBe(0);
  });

  it('listens on IPv6 loopback too', async () => {
    const inspector = track(await createInspector({ host: '::1' }));
    expect(inspector.url).toMatch(/^http:\/\/\[::1\]:\d+\/$/);
    const page = track(await watch(inspector.url));
    await page.next(ofType('hello'), 'hello over ::1');
  });

  it('says when its port is taken', async () => {
    const first = track(await createInspector());
    await expect(createInspector({ port: Number(new URL(first.url).port) })).rejects.toThrow(/EADDRINUSE/);
  });

  it('on close disconnects every page, refuses new ones, and inspect does nothing', async () => {
    const inspector = await createInspector();
    const light = createActor(lightMachine, { inspect: inspector.inspect }).start();
    const page = track(await watch(inspector.url));
    await page.next(ofType('history'), 'history');
    const closed = new Promise<void>((resolve) => page.ws.once('close', () => resolve()));
    await inspector.close();
    await closed;
    await expect(watch(inspector.url)).rejects.toThrow(/ECONNREFUSED/);
    light.send({ type: 'TIMER' });
    expect(light.getSnapshot().value).toBe('yellow');
    expect(inspector.counts()).toMatchObject({ steps: 1, clients: 0 });
    await inspector.close();
    light.stop();
  });

  it('writes the current actors into the page itself, escaped, so the first paint needs no WebSocket', async () => {
    const inspector = track(await createInspector());
    const light = createActor(lightMachine, { inspect: inspector.inspect, systemId: '</script><b>x' }).start();
    const page = await get(inspector.url);
    const boot = /<script id="boot" type="application\/json">([^<]*)<\/script>/.exec(page.body);
    expect(boot).not.toBeNull();
    const messages = JSON.parse(boot![1]!) as ServerMessage[];
    expect(messages.map((m) => m.t)).toEqual(['hello', 'actors', 'history']);
    const actors = messages[1]!.t === 'actors' ? messages[1]!.actors : [];
    expect(actors.map((a) => [a.systemId, a.state])).toEqual([['</script><b>x', 'green']]);
    expect(page.body).not.toContain('</script><b>');
    light.stop();
  });

  it('serves the chart of a machine it has seen, laid out from its definition, and names the chart in the detail', async () => {
    const inspector = track(await createInspector());
    const light = createActor(lightMachine, { inspect: inspector.inspect }).start();
    light.send({ type: 'TIMER' });
    const page = track(await watch(inspector.url));
    await page.next(ofType('history'), 'history');
    page.send({ t: 'select', sessionId: light.sessionId });
    const { detail } = await page.next(ofType('detail'), 'detail');
    expect(detail).toMatchObject({ chart: 'light', active: ['yellow'] });
    expect(detail?.steps.at(-1)?.transitions).toEqual([{ event: 'TIMER', from: 'green', to: ['yellow'], edge: 't0' }]);
    const chart = await get(`${inspector.url}chart/light.svg`);
    expect(chart.status).toBe(200);
    expect(chart.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    for (const state of ['green', 'yellow', 'red']) expect(chart.body).toContain(`data-state="${state}"`);
    expect(chart.body).toContain('data-transition="t0"');
    expect((await get(`${inspector.url}chart/nothing.svg`)).status).toBe(404);
    expect((await get(`${inspector.url}chart/..%2Fetc.svg`)).status).toBe(404);
    light.stop();
  }, 30_000);

  it('names the sender of a plain send() inside another actor’s step, and orders a cause before its effects', async () => {
    const inspector = track(await createInspector());
    // Like the session directory: a transition-logic parent that creates a child and sends to it with ref.send().
    const parent = fromTransition(
      (state: { child: AnyActorRef | undefined }, event: { type: string }, scope) => {
        if (event.type === 'open') {
          const child = createActor(lightMachine, { parent: scope.self, id: 'child' });
          scope.defer(() => {
            child.start();
            child.send({ type: 'TIMER' });
          });
          return { child };
        }
        return state;
      },
      { child: undefined },
    );
    const page = track(await watch(inspector.url));
    const actor = createActor(parent, { inspect: inspector.inspect }).start();
    actor.send({ type: 'open' });
    await page.next(isStepOf('open'), 'the parent’s open'); // recorded after the child's TIMER
    const steps = page.steps();
    const open = steps.find((s) => s.event === 'open')!;
    const timer = steps.find((s) => s.event === 'TIMER')!;
    expect(open.source).toBeUndefined(); // from outside
    expect(timer.source).toBe(actor.sessionId);
    expect(timer.seq).toBeLessThan(open.seq); // the child's step ends first …
    expect(open.order).toBeLessThan(timer.order); // … but the parent's event was sent first
    actor.stop();
  });
});

/**
 * The chart: a machine's definition walked into data (nested, parallel and final states, guards, named delays,
 * invokes), the exact edge each microstep took, the active states of a value, and the ELK layout written as SVG:
 * deterministic, every box holding its text and its children, every transition drawn once, all text escaped.
 */
import { describe, expect, it } from 'vitest';
import { createActor, createMachine, fromPromise, type InspectionEvent } from 'xstate';
import { activeStates, chartData, machineGraph } from '../../src/inspect/chart-graph.js';
import { FONT, layoutChart, type ChartLayout } from '../../src/inspect/chart-layout.js';
import { chartSvg } from '../../src/inspect/chart-svg.js';

const demo = createMachine({
  id: 'demo',
  initial: 'idle',
  states: {
    idle: { on: { GO: [{ guard: 'fast', target: 'busy', actions: 'note' }, { target: 'busy' }], PING: { actions: 'pong' } } },
    busy: {
      type: 'parallel',
      entry: 'start',
      states: {
        left: { initial: 'a', states: { a: { after: { pause: 'b' } }, b: { on: { DONE: '#demo.end' } } } },
        right: { initial: 'x', states: { x: { invoke: { src: 'loader', id: 'load', onDone: 'y' } }, y: {} } },
      },
      on: { 'odd<name>': { target: 'idle' } },
    },
    end: { type: 'final' },
  },
});

describe('machine graph', () => {
  it('walks states, transitions, guards, delays and invokes from the definition', () => {
    const graph = machineGraph(demo);
    expect(graph.root.key).toBe('demo');
    expect(graph.root.children.map((s) => `${s.id}:${s.type}`)).toEqual(['idle:atomic', 'busy:parallel', 'end:final']);
    const busy = graph.root.children[1]!;
    expect(busy.entry).toEqual(['start']);
    expect(busy.children.map((s) => `${s.id}>${s.initial ?? ''}`)).toEqual(['busy.left>busy.left.a', 'busy.right>busy.right.x']);
    expect(busy.children[1]!.children[0]!.invoke).toEqual(['loader as load']);
    const t = graph.transitions.map((x) => `${x.id} ${x.source} ${x.event}${x.guard ? ` [${x.guard}]` : ''} -> ${x.targets.join(',') || '(stays)'}`);
    expect(t).toEqual([
      't0 idle GO [fast] -> busy',
      't1 idle GO -> busy',
      't2 idle PING -> (stays)',
      't3 busy odd<name> -> idle',
      't4 busy.left.a after pause -> busy.left.b',
      't5 busy.left.b DONE -> end',
      't6 busy.right.x done load -> busy.right.y',
    ]);
    expect(graph.transitions[0]!.actions).toEqual(['note']);
  });

  it('names the exact edge a microstep took, even between two with the same source, event and target', () => {
    const seen: string[] = [];
    const graph = machineGraph(demo);
    const machine = demo.provide({
      guards: { fast: () => false },
      delays: { pause: 60_000 },
      actors: { loader: fromPromise(() => new Promise<never>(() => undefined)) },
    });
    const provided = machineGraph(machine); // provide() makes new state nodes: their own map
    const inspect = (e: InspectionEvent): void => {
      if (e.type === '@xstate.microstep') for (const t of e._transitions) seen.push(provided.edgeOf(t) ?? `? ${graph.edgeOf(t) ?? ''}`);
    };
    const actor = createActor(machine, { inspect }).start();
    actor.send({ type: 'PING' });
    actor.send({ type: 'GO' });
    actor.stop();
    expect(seen).toEqual(['t2', 't1']); // the unguarded GO, not `GO [fast]`
  });

  it('lists the active states of a value with their ancestors', () => {
    expect(activeStates('idle')).toEqual(['idle']);
    expect(activeStates({ busy: { left: 'a', right: 'y' } })).toEqual(['busy', 'busy.left', 'busy.left.a', 'busy.right', 'busy.right.y']);
    expect(activeStates(undefined)).toEqual([]);
    expect(activeStates(42)).toEqual([]);
  });
});

const contains = (outer: { x: number; y: number; width: number; height: number }, inner: typeof outer): boolean =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width + 0.5 && inner.y + inner.height <= outer.y + outer.height + 0.5;

describe('chart layout and SVG', () => {
  let layout: ChartLayout;

  it('lays every state out inside its parent, each box wide enough for its text', async () => {
    layout = await layoutChart(chartData(machineGraph(demo)));
    const byId = new Map(layout.states.map((s) => [s.state.id, s]));
    expect([...byId.keys()].sort()).toEqual(['', 'busy', 'busy.left', 'busy.left.a', 'busy.left.b', 'busy.right', 'busy.right.x', 'busy.right.y', 'end', 'idle']);
    for (const s of layout.states) {
      for (const line of [s.state.key, ...s.lines.map((l) => l.text)]) {
        expect(s.width, `${s.state.id || '(root)'} holds "${line}"`).toBeGreaterThanOrEqual(line.length * FONT.char);
      }
      for (const child of s.state.children) expect(contains(s, byId.get(child.id)!), `${child.id} inside ${s.state.id}`).toBe(true);
    }
    expect(byId.get('busy.left')?.region).toBe(true);
    expect(layout.initials.map((i) => i.parent).sort()).toEqual(['', 'busy.left', 'busy.right']);
  });

  it('draws each transition once: an edge between boxes, or a line in its box', () => {
    const svg = chartSvg(layout);
    const drawn = [...svg.matchAll(/data-transition="(t\d+)"/g)].map((m) => m[1]).sort();
    expect(drawn).toEqual(['t0', 't1', 't2', 't3', 't4', 't5', 't6']);
    expect(layout.edges.map((e) => e.transition.id).sort()).toEqual(['t0', 't1', 't3', 't4', 't5', 't6']);
    expect(layout.states.find((s) => s.state.id === 'idle')?.lines.map((l) => l.text)).toEqual(['PING / pong']);
    for (const edge of layout.edges) expect(edge.points.length).toBeGreaterThanOrEqual(2);
    expect(svg).toContain('odd&lt;name&gt;');
    expect(svg).not.toContain('odd<name>');
    expect(svg).toMatch(/<g class="state final depth-1" data-state="end">/);
  });

  it('is deterministic', async () => {
    expect(chartSvg(await layoutChart(chartData(machineGraph(demo))))).toBe(chartSvg(layout));
  });
});

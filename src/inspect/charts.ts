/**
 * The inspector's charts: one per machine definition, never per actor. A machine seen for the first time is walked
 * once into a {@link MachineGraph} (about a millisecond); machines with the same definition share one chart (a
 * machine given its implementations with `provide()` is a new object with the same states), and its SVG is laid out
 * only when a page first asks for it, in a worker, then kept. At most {@link MAX_CHARTS} different definitions are
 * charted; past that, actors still show in the table, without a chart.
 * @module
 */
import type { AnyStateMachine } from 'xstate';
import { chartData, machineGraph, type MachineGraph } from './chart-graph.js';
import { layoutChart, type ElkRunner } from './chart-layout.js';
import { chartSvg } from './chart-svg.js';
import { read } from './xstate-read.js';

/** Different machine definitions charted at most. */
export const MAX_CHARTS = 64;

/** See the module comment. */
export interface ChartRegistry {
  /** The chart key (`peer`, `session`, `peer-2` for a second definition with the same id) of a machine logic. */
  keyOf(logic: unknown): string | undefined;
  /** The chart's id of a transition definition of that machine (`t12`), as `@xstate.microstep` reports it. */
  edgeOf(logic: unknown, transition: unknown): string | undefined;
  /** The chart's SVG, laid out on first request; `undefined` for an unknown key. */
  svg(key: string): Promise<string> | undefined;
  /** The keys of the charts registered, in order. */
  keys(): string[];
}

interface Entry {
  readonly key: string;
  readonly graph: MachineGraph;
}

const isMachine = (logic: unknown): logic is AnyStateMachine => {
  const root = read(logic, 'root');
  return typeof read(root, 'states') === 'object' && typeof read(logic, 'id') === 'string';
};

/** Creates an empty registry that lays charts out with `run`. */
export function createChartRegistry(run: ElkRunner): ChartRegistry {
  const byLogic = new WeakMap<object, Entry | null>();
  const byKey = new Map<string, { entry: Entry; text: string; svg: Promise<string> | undefined }>();
  const byText = new Map<string, Entry>();

  const entryOf = (logic: unknown): Entry | undefined => {
    if (logic === null || typeof logic !== 'object') return undefined;
    const known = byLogic.get(logic);
    if (known !== undefined) return known ?? undefined;
    let entry: Entry | null = null;
    try {
      if (isMachine(logic)) {
        const graph = machineGraph(logic);
        const text = JSON.stringify(chartData(graph));
        const same = byText.get(text);
        if (same) {
          // Same definition as a chart we have: reuse its key, but map this machine's own transition objects.
          entry = { key: same.key, graph };
        } else if (byKey.size < MAX_CHARTS) {
          let key = graph.machine.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 60) || 'machine';
          for (let n = 2; byKey.has(key); n++) key = `${key.replace(/-\d+$/, '')}-${n}`;
          entry = { key, graph };
          byText.set(text, entry);
          byKey.set(key, { entry, text, svg: undefined });
        }
      }
    } catch {
      entry = null; // a machine whose definition cannot be walked gets no chart, and is not walked again
    }
    byLogic.set(logic, entry);
    return entry ?? undefined;
  };

  return {
    keyOf: (logic) => entryOf(logic)?.key,
    edgeOf: (logic, transition) => {
      if (transition === null || typeof transition !== 'object') return undefined;
      return entryOf(logic)?.graph.edgeOf(transition);
    },
    svg: (key) => {
      const chart = byKey.get(key);
      if (!chart) return undefined;
      chart.svg ??= layoutChart(chartData(chart.entry.graph), run).then((layout) => chartSvg(layout));
      // A failed layout is not kept: the next request tries again.
      chart.svg.catch(() => {
        chart.svg = undefined;
      });
      return chart.svg;
    },
    keys: () => [...byKey.keys()],
  };
}

/**
 * Lays out a {@link MachineChart} with ELK (elkjs, the Eclipse Layout Kernel compiled to JavaScript): every state a
 * box, compound and parallel states boxes around their children, each transition between states an edge routed
 * across the hierarchy. Transitions that do not move between boxes (targetless ones, and a state re-entering
 * itself) are written inside their state's box instead, as Stately's editor does, so the layout stays readable.
 *
 * Deterministic: ELK's layered algorithm with a fixed seed, and text measured by character count in a monospace
 * font, so the same machine gives the same coordinates on every machine (the committed SVGs depend on it).
 * ELK is loaded on first use only: an inspector nobody asks for a chart never loads it.
 * @module
 */
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { ChartState, ChartTransition, MachineChart } from './chart-graph.js';

/** Font size and the width of one character of the monospace font the SVG uses. */
export const FONT = { size: 12, char: 7.3, line: 16 } as const;

/** A state's box, absolute coordinates. */
export interface PlacedState {
  readonly state: ChartState;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Lines written under the name: entry, invoke, and the transitions that stay in this box. */
  readonly lines: readonly PlacedLine[];
  /** Nesting depth; the root is 0. */
  readonly depth: number;
  /** A region of a parallel state (drawn dashed). */
  readonly region: boolean;
}

/** One line of text in a state's box; a transition line carries the transition's id. */
export interface PlacedLine {
  readonly text: string;
  readonly transition?: string;
}

/** An edge between two boxes: its route and its label. */
export interface PlacedEdge {
  readonly transition: ChartTransition;
  /** Which target of the transition (a transition to several states of a parallel one draws one edge each). */
  readonly target: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
  /** The label's lines (the event and guard, then the actions) and its box. */
  readonly label: { readonly lines: readonly string[]; readonly x: number; readonly y: number; readonly width: number };
}

/** A compound state's initial marker: a dot and the arrow into the child entered first. */
export interface PlacedInitial {
  readonly parent: string;
  readonly x: number;
  readonly y: number;
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

/** The laid-out chart. */
export interface ChartLayout {
  readonly chart: MachineChart;
  readonly width: number;
  readonly height: number;
  /** Outermost first, so drawing in order puts children on top. */
  readonly states: readonly PlacedState[];
  readonly edges: readonly PlacedEdge[];
  readonly initials: readonly PlacedInitial[];
}

/** A transition's label: `event [guard] / action, action`. */
export const transitionText = (t: ChartTransition): string =>
  `${t.event}${t.guard === undefined ? '' : ` [${t.guard}]`}${t.actions.length === 0 ? '' : ` / ${t.actions.join(', ')}`}`;

/** An edge's label in lines: `event [guard]`, then `/ actions` (two short lines keep the layout narrow). */
export const labelLines = (t: ChartTransition): string[] => [
  `${t.event}${t.guard === undefined ? '' : ` [${t.guard}]`}`,
  ...(t.actions.length === 0 ? [] : [`/ ${t.actions.join(', ')}`]),
];

const textWidth = (text: string): number => Math.ceil(text.length * FONT.char);

/** The layered algorithm's options, given to every compound node: ELK reads most of them per subgraph. */
const LAYERED: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.spacing.nodeNode': '24',
  'elk.spacing.edgeLabel': '2',
  'elk.spacing.edgeNode': '12',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  // Depth first from the initial state: the lifecycle reads top to bottom and a back edge (a retry, a re-login)
  // goes back up. (ELK's model-order strategies crash on nested graphs in elkjs 0.12.)
  'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
};

const PAD = 10;
const NAME_H = 22;
const DOT = 10;

/** Drawn as an edge, or written inside the source's box. */
const staysInBox = (t: ChartTransition, target: string): boolean => t.targets.length === 0 || target === t.source;

const linesOf = (state: ChartState, inBox: readonly ChartTransition[]): PlacedLine[] => [
  ...(state.entry.length === 0 ? [] : [{ text: `entry / ${state.entry.join(', ')}` }]),
  ...state.invoke.map((i) => ({ text: `invoke ${i}` })),
  ...inBox.map((t) => ({ text: `${t.targets.length === 0 ? '' : '\u21bb '}${transitionText(t)}`, transition: t.id })),
];

const nodeId = (state: ChartState): string => `s:${state.id}`;
const initialId = (state: ChartState): string => `i:${state.id}`;

/** Runs ELK on a graph: in this thread ({@link elkInProcess}) or in a worker (./chart-worker.ts). */
export type ElkRunner = (graph: ElkNode) => Promise<ElkNode>;

let elkInstance: Promise<{ layout(graph: ElkNode): Promise<ElkNode> }> | undefined;

/** ELK in this thread, loaded on first use. Blocks the thread while it lays out (about a second for the peer). */
export const elkInProcess: ElkRunner = async (graph) => {
  elkInstance ??= import('elkjs/lib/elk.bundled.js').then((m) => {
    const ELK = (m as unknown as { default: new () => { layout(graph: ElkNode): Promise<ElkNode> } }).default;
    return new ELK();
  });
  return (await elkInstance).layout(graph);
};

/** Lays the chart out; rejects only if ELK itself fails. */
export async function layoutChart(chart: MachineChart, run: ElkRunner = elkInProcess): Promise<ChartLayout> {
  const inBox = new Map<string, ChartTransition[]>();
  const edges: ElkExtendedEdge[] = [];
  const edgeInfo = new Map<string, { transition: ChartTransition; target: string; lines: string[] }>();
  for (const t of chart.transitions) {
    const targets = t.targets.length === 0 ? [t.source] : t.targets;
    for (const target of targets) {
      if (staysInBox(t, target)) {
        if (!inBox.get(t.source)?.push(t)) inBox.set(t.source, [t]);
        continue;
      }
      const id = `e:${t.id}:${target}`;
      const lines = labelLines(t);
      edgeInfo.set(id, { transition: t, target, lines });
      edges.push({
        id,
        sources: [`s:${t.source}`],
        targets: [`s:${target}`],
        labels: [{ id: `l:${id}`, text: lines.join(' '), width: Math.max(...lines.map(textWidth)), height: FONT.line * lines.length }],
      });
    }
  }

  const lines = new Map<string, PlacedLine[]>();
  const toElk = (state: ChartState, region: boolean): ElkNode => {
    const own = linesOf(state, inBox.get(state.id) ?? []);
    lines.set(state.id, own);
    const header = NAME_H + own.length * FONT.line;
    const minWidth = Math.max(textWidth(state.key) + 2 * PAD, ...own.map((l) => textWidth(l.text) + 2 * PAD), 60);
    if (state.children.length === 0) {
      return { id: nodeId(state), width: minWidth, height: header + (own.length === 0 ? 8 : 6) };
    }
    const children = state.children.map((c) => toElk(c, state.type === 'parallel'));
    if (state.initial !== undefined) {
      children.unshift({ id: initialId(state), width: DOT, height: DOT });
      edges.push({ id: `init:${state.id}`, sources: [initialId(state)], targets: [`s:${state.initial}`] });
    }
    return {
      id: nodeId(state),
      children,
      layoutOptions: {
        ...LAYERED,
        'elk.padding': `[top=${header + PAD},left=${PAD},bottom=${PAD},right=${PAD}]`,
        'elk.nodeSize.constraints': 'MINIMUM_SIZE',
        // Given as (height, width): elkjs 0.12 transposes a nested node's minimum size when the direction is DOWN
        // (the chart test checks that every box holds its text, so a fixed ELK shows up there).
        'elk.nodeSize.minimum': `(${header + 20}, ${minWidth})`,
      },
    };
  };
  const root = toElk(chart.root, false);
  const graph: ElkNode = {
    id: 'chart',
    layoutOptions: {
      ...LAYERED,
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.json.shapeCoords': 'ROOT',
      'elk.json.edgeCoords': 'ROOT',
      'elk.randomSeed': '1',
      'elk.padding': '[top=8,left=8,bottom=8,right=8]',
    },
    children: [root],
    edges,
  };
  const out = await run(graph);

  const states: PlacedState[] = [];
  const initials: PlacedInitial[] = [];
  const initialDots = new Map<string, { x: number; y: number }>();
  const byId = new Map<string, ChartState>();
  const index = (state: ChartState): void => {
    byId.set(state.id, state);
    state.children.forEach(index);
  };
  index(chart.root);
  const walk = (node: ElkNode, depth: number, region: boolean): void => {
    if (node.id.startsWith('i:')) {
      initialDots.set(node.id.slice(2), { x: (node.x ?? 0) + DOT / 2, y: (node.y ?? 0) + DOT / 2 });
      return;
    }
    const state = byId.get(node.id.slice(2));
    if (!state) return;
    states.push({
      state,
      x: round(node.x),
      y: round(node.y),
      width: round(node.width),
      height: round(node.height),
      lines: lines.get(state.id) ?? [],
      depth,
      region,
    });
    for (const child of node.children ?? []) walk(child, depth + 1, state.type === 'parallel');
  };
  for (const child of out.children ?? []) walk(child, 0, false);

  const placed: PlacedEdge[] = [];
  for (const edge of out.edges ?? []) {
    const points = (edge.sections ?? []).flatMap((s) => [s.startPoint, ...(s.bendPoints ?? []), s.endPoint]).map(point);
    if (edge.id.startsWith('init:')) {
      const parent = edge.id.slice(5);
      const dot = initialDots.get(parent);
      if (dot) initials.push({ parent, x: round(dot.x), y: round(dot.y), points });
      continue;
    }
    const info = edgeInfo.get(edge.id);
    const label = edge.labels?.[0];
    if (!info || !label) continue;
    placed.push({
      transition: info.transition,
      target: info.target,
      points,
      label: { lines: info.lines, x: round(label.x), y: round(label.y), width: round(label.width) },
    });
  }
  return { chart, width: round(out.width), height: round(out.height), states, edges: placed, initials };
}

const round = (n: number | undefined): number => Math.round((n ?? 0) * 10) / 10;
const point = (p: { x: number; y: number }): { x: number; y: number } => ({ x: round(p.x), y: round(p.y) });

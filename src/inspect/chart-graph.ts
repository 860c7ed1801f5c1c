/**
 * A machine's definition as plain data a chart can be drawn from: its state tree (nested, parallel, final), every
 * transition with its event in words (`after loginRetry`, `done fetchList`, `always`), guard and actions by name, and
 * each state's entry actions and invoked actors. One walk of `machine.root`, done once per machine, never per actor:
 * the live inspector draws the selected actor's machine from it and visualizations/generate.ts draws the committed
 * diagrams from the same walk.
 *
 * Every transition gets an id (`t0`, `t1`, … in definition order), and {@link MachineGraph.edgeOf} maps XState's own
 * transition objects to it: the inspector sees those objects in `@xstate.microstep` and so knows exactly which edge
 * was taken, even when two edges share a source, an event and a target and differ only in their guard.
 * @module
 */
import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';

/** What kind of state node: XState's own types. */
export type ChartStateType = 'atomic' | 'compound' | 'parallel' | 'final' | 'history';

/** One state node. `id` is its path joined with `.` (`online.presence.live`); the root's is the empty string. */
export interface ChartState {
  readonly id: string;
  readonly key: string;
  readonly type: ChartStateType;
  /** The id of the child entered first, for a compound state. */
  readonly initial?: string;
  /** Entry actions by name. */
  readonly entry: readonly string[];
  /** Invoked actors: `fetchList`, or `fetchList as resync` when the invoke id differs from the source. */
  readonly invoke: readonly string[];
  readonly children: readonly ChartState[];
}

/** One transition of the definition. */
export interface ChartTransition {
  /** `t<n>`, in definition order; stable as long as the machine is. */
  readonly id: string;
  /** The state it is defined on. */
  readonly source: string;
  /** The states it targets; empty for a targetless transition (actions only, no state change). */
  readonly targets: readonly string[];
  /** The event in words: `LOGIN`, `after loginRetry`, `done bindSocket`, `error fetchList`, `always`. */
  readonly event: string;
  readonly guard?: string;
  readonly actions: readonly string[];
  /** Leaves and re-enters its source (`reenter: true`) rather than staying in it. */
  readonly reenter: boolean;
}

/** The whole definition as data, and the map from XState's transition objects to ids (not serialized). */
export interface MachineGraph {
  /** The machine's id. */
  readonly machine: string;
  readonly root: ChartState;
  readonly transitions: readonly ChartTransition[];
  /** The id of one of this machine's transition definitions, as `@xstate.microstep` reports them. */
  readonly edgeOf: (transition: object) => string | undefined;
}

/** The serializable part of a {@link MachineGraph}: what travels to a page or into a file. */
export type MachineChart = Omit<MachineGraph, 'edgeOf'>;

/** The name of an action, guard or actor reference: a string, or the `type` of an object or function; `inline` otherwise. */
export const nameOf = (thing: unknown): string => {
  if (typeof thing === 'string') return thing;
  if ((typeof thing === 'object' || typeof thing === 'function') && thing !== null && 'type' in thing) {
    const type = (thing as { type: unknown }).type;
    if (typeof type === 'string') return type;
  }
  return 'inline';
};

/** The event of a transition in words: `LOGIN`, `after loginRetry`, `done bindSocket`, `error fetchList`, `always`. */
export const eventLabel = (t: AnyTransitionDefinition): string => {
  const delay = (t as { delay?: unknown }).delay;
  if (delay !== undefined) return `after ${String(delay)}`;
  if (t.eventType === '') return 'always';
  const done = /^xstate\.done\.actor\.(.+)$/.exec(t.eventType);
  if (done) return `done ${done[1]}`;
  const error = /^xstate\.error\.actor\.(.+)$/.exec(t.eventType);
  if (error) return `error ${error[1]}`;
  const doneState = /^xstate\.done\.state\.(.+)$/.exec(t.eventType);
  if (doneState) return 'done';
  return t.eventType;
};

/** The guard's name, or `''` when the transition has none. */
export const guardLabel = (t: AnyTransitionDefinition): string => (t.guard === undefined ? '' : nameOf(t.guard));

/** The actions a person wrote, by name: XState's built-ins other than `assign` are left out. */
export const actionLabels = (t: AnyTransitionDefinition): string[] =>
  t.actions.map(nameOf).filter((name) => !name.startsWith('xstate.') || name === 'xstate.assign');

/** A state node's children, in definition order. */
export const childrenOf = (node: AnyStateNode): AnyStateNode[] => Object.values(node.states) as AnyStateNode[];

/** Every state node below `node`, depth first, in definition order. */
export const descendantsOf = (node: AnyStateNode): AnyStateNode[] =>
  childrenOf(node).flatMap((child) => [child, ...descendantsOf(child)]);

/** A node's transitions in definition order: `on`, done/error of invokes and `after` (as XState keeps them), then `always`. */
export const transitionsOf = (node: AnyStateNode): AnyTransitionDefinition[] => [
  ...[...node.transitions.values()].flat(),
  ...(node.always ?? []),
];

const stateId = (node: AnyStateNode): string => node.path.join('.');

const stateOf = (node: AnyStateNode): ChartState => {
  const type = node.type as ChartStateType;
  const initial = node.type === 'compound' ? node.initial?.target?.[0] : undefined;
  return {
    id: stateId(node),
    key: node.path.length === 0 ? String(node.machine.id) : node.key,
    type,
    ...(initial === undefined ? {} : { initial: stateId(initial) }),
    entry: node.entry.map(nameOf).filter((n) => !n.startsWith('xstate.')),
    invoke: node.invoke.map((i) => {
      const src = typeof i.src === 'string' ? i.src : nameOf(i.src);
      return i.id === src ? src : `${src} as ${i.id}`;
    }),
    children: childrenOf(node).map(stateOf),
  };
};

/** Walks a machine's definition once. Throws only if the machine object itself is broken. */
export function machineGraph(machine: AnyStateMachine): MachineGraph {
  const ids = new WeakMap<object, string>();
  const transitions: ChartTransition[] = [];
  for (const node of [machine.root, ...descendantsOf(machine.root)]) {
    for (const t of transitionsOf(node)) {
      const id = `t${transitions.length}`;
      ids.set(t, id);
      const guard = guardLabel(t);
      transitions.push({
        id,
        source: stateId(node),
        targets: (t.target ?? []).map(stateId),
        event: eventLabel(t),
        ...(guard === '' ? {} : { guard }),
        actions: actionLabels(t),
        reenter: t.reenter === true,
      });
    }
  }
  return { machine: String(machine.id), root: stateOf(machine.root), transitions, edgeOf: (t) => ids.get(t) };
}

/** The graph without its object map, for JSON. */
export const chartData = (graph: MachineGraph): MachineChart => ({
  machine: graph.machine,
  root: graph.root,
  transitions: graph.transitions,
});

/** The states a state value puts an actor in, as chart ids, ancestors included: `{ online: { presence: 'live' } }`
 * is `online`, `online.presence`, `online.presence.live`. Anything that is not a state value yields nothing. */
export function activeStates(value: unknown, prefix: readonly string[] = [], out: string[] = []): string[] {
  if (out.length > 256) return out;
  if (typeof value === 'string') {
    out.push([...prefix, value].join('.'));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const path = [...prefix, key];
      out.push(path.join('.'));
      activeStates(child, path, out);
    }
  }
  return out;
}

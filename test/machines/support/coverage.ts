/**
 * Path coverage for a machine: every state node and every transition of its definition must be reached by the
 * shortest paths `xstate/graph` finds, each extended by one more event. Transitions are enumerated from the machine
 * definition (so a new transition that no path takes fails the test), and the transitions a step really takes are
 * read from XState's own `@xstate.microstep` inspection events (so guards and `always` are judged by XState, not
 * re-implemented here). A state counts as reached when a step enters it, even one left at once by `always`.
 * @module
 */
import {
  __unsafe_getAllOwnEventDescriptors,
  createEmptyActor,
  type AnyActorScope,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type AnyTransitionDefinition,
  type EventObject,
} from 'xstate';
import { getShortestPaths, getStateNodes } from 'xstate/graph';

/** How to explore one machine. */
export interface Exploration {
  /** One traversal per input (e.g. a classic and an imstate user). */
  readonly inputs: readonly unknown[];
  /**
   * Concrete events by type (datagrams with payloads, done events with outputs). A type the current state accepts
   * but the catalog lacks is sent as `{ type }` (enough for `after` events).
   */
  readonly catalog: readonly EventObject[];
  /** Event types never offered (to show the check fails when a path is missing). */
  readonly skip?: readonly string[];
  /** The state's identity for the traversal: value plus whatever context decides guards, kept finite. */
  readonly serialize: (snapshot: AnyMachineSnapshot) => string;
}

/** What the exploration found. */
export interface Coverage {
  /** Ids of the state nodes no path reached. */
  readonly unreachedStates: string[];
  /** Descriptions of the transitions no path took. */
  readonly untakenTransitions: string[];
  /** How many distinct states and paths the traversal visited. */
  readonly stateCount: number;
  readonly transitionCount: number;
}

/** A readable name for a transition of the definition. */
export const describeTransition = (t: AnyTransitionDefinition): string => {
  const guard = t.guard === undefined ? '' : ` [${typeof t.guard === 'string' ? t.guard : (t.guard as { type?: string }).type ?? 'inline guard'}]`;
  const target = t.target === undefined || t.target.length === 0 ? '(no target)' : t.target.map((n) => `#${n.id}`).join(', ');
  return `#${t.source.id}: ${t.eventType === '' ? '(always)' : t.eventType}${guard} → ${target}`;
};

/** Every transition of the definition: `on`, `after`, invoke `onDone`/`onError`, and `always`, on every state node. */
export const definedTransitions = (machine: AnyStateMachine): AnyTransitionDefinition[] =>
  [machine.root, ...getStateNodes(machine.root)].flatMap((node) => [...[...node.transitions.values()].flat(), ...(node.always ?? [])]);

/** An actor scope like the one `xstate/graph` uses, whose system reports each microstep's transitions to `record`. */
const recordingScope = (
  record: (transitions: readonly AnyTransitionDefinition[], snapshot: AnyMachineSnapshot | undefined) => void,
): AnyActorScope => {
  const empty = createEmptyActor();
  // The system's inspection hook is internal; an object inheriting from the empty actor's system overrides only it.
  const system = Object.create(empty.system) as Record<string, unknown>;
  system['_sendInspectionEvent'] = (event: { type: string; _transitions?: AnyTransitionDefinition[]; snapshot?: AnyMachineSnapshot }) => {
    if (event.type === '@xstate.microstep') record(event._transitions ?? [], event.snapshot);
  };
  return {
    self: empty,
    id: '',
    sessionId: 'coverage',
    logger: () => {},
    defer: () => {},
    system,
    stopChild: () => {},
    emit: () => {},
    actionExecutor: () => {},
  } as unknown as AnyActorScope;
};

/**
 * The events to try from `snapshot`: the catalog's that the state accepts, in catalog order (which is the order the
 * search tries them, so the catalog decides which path represents a state), then `{ type }` for each accepted type
 * the catalog lacks. A partial wildcard (`datagram.*`) accepts every catalog event under its prefix.
 */
const eventsFor = (catalog: readonly EventObject[], skip: readonly string[]) => (snapshot: AnyMachineSnapshot): EventObject[] => {
  const types = __unsafe_getAllOwnEventDescriptors(snapshot).filter((type: string) => !skip.includes(type));
  const accepts = (type: string) => (eventType: string): boolean =>
    type === eventType || (type.endsWith('.*') && eventType.startsWith(type.slice(0, -1)));
  const known = catalog.filter((event) => types.some((type: string) => accepts(type)(event.type)));
  const missing = types.filter((type: string) => !catalog.some((event) => accepts(type)(event.type)));
  return [...known, ...missing.map((type: string) => ({ type }))];
};

/** Explores `machine` from each input and reports what no path reached. */
export const coverage = (machine: AnyStateMachine, exploration: Exploration): Coverage => {
  const taken = new Set<AnyTransitionDefinition>();
  const reached = new Set<string>();
  // Microstep snapshots include transient states (left at once by `always`), which no snapshot at rest shows.
  const scope = recordingScope((transitions, snapshot) => {
    transitions.forEach((t) => taken.add(t));
    snapshot?._nodes.forEach((node) => reached.add(node.id));
  });
  const events = eventsFor(exploration.catalog, exploration.skip ?? []);
  let stateCount = 0;
  for (const input of exploration.inputs) {
    machine.getInitialSnapshot(scope, input);
    const paths = getShortestPaths(machine, {
      input,
      events: events as never,
      serializeState: exploration.serialize as never,
    });
    stateCount += paths.length;
    for (const path of paths) {
      const snapshot = path.state as AnyMachineSnapshot;
      for (const node of snapshot._nodes) reached.add(node.id);
      for (const event of events(snapshot)) machine.transition(snapshot, event, scope);
    }
  }
  const all = definedTransitions(machine);
  return {
    unreachedStates: [machine.root, ...getStateNodes(machine.root)].map((n) => n.id).filter((id) => !reached.has(id)),
    untakenTransitions: all.filter((t) => !taken.has(t)).map(describeTransition),
    stateCount,
    transitionCount: all.length,
  };
};

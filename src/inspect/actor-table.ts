/**
 * The inspector's memory: every actor's current state, a bounded history of steps, a bounded list of ended actors.
 * It folds XState inspection events and knows nothing of sockets; the server turns its changes into messages.
 *
 * Bounded by design: per actor only the current snapshot reference and a few strings (the actor holds that snapshot
 * anyway), the last `historyLimit` steps overall, and the last `retainEnded` ended actors; past `maxActors`, new
 * actors are counted and not tracked. Event payloads and contexts are summarized only when a page asks.
 * @module
 */
import type { InspectionEvent } from 'xstate';
import { activeStates } from './chart-graph.js';
import type { ChartRegistry } from './charts.js';
import { eventType, read, statusOf, stringField, transitionView } from './xstate-read.js';
import { contextLimits, formatStateValue, summarize } from './summary.js';
import type { ActorDetail, ActorView, Change, InspectorCounts, StepView } from './wire.js';
import { newRecord, stepView, viewOf, type ActorRecord, type StepRecord } from './actor-record.js';

/** How much the table keeps. */
export interface ActorTableOptions {
  /** Steps kept overall, newest first out to the page; default 500. */
  readonly historyLimit?: number;
  /** Ended (done, error, stopped) actors kept for a look after they end; default 1000. */
  readonly retainEnded?: number;
  /** Actors tracked at once; past it new actors are only counted. Default 250,000. */
  readonly maxActors?: number;
  /** The clock for timestamps; default `Date.now`. */
  readonly now?: () => number;
}

/** The fold of inspection events; see the module comment. */
export interface ActorTable {
  /** How many steps the history keeps. */
  readonly historyLimit: number;
  /** Folds one inspection event. Never throws: a failure is counted in `counts().errors`. */
  inspect(event: InspectionEvent): void;
  /**
   * Called with every change while set (the server sets it only while a page is connected): the actor's sessionId
   * and a function that builds the change, so that nothing is summarized inside the engine's call.
   */
  onChange: ((sessionId: string, change: () => Change) => void) | undefined;
  /** Every tracked actor, oldest first. */
  actors(): IterableIterator<ActorView>;
  /** The steps in the history, oldest first. */
  history(): StepView[];
  /** One actor's context, output, error and steps; `actor: null` once it is gone. Never throws. */
  detail(sessionId: string): ActorDetail;
  counts(): InspectorCounts;
}

const MAX_PENDING = 32;
/** Actors in the middle of a step at once (a chain of synchronous sends); deeper chains are not attributed. */
const MAX_PROCESSING = 32;

/**
 * Creates an empty table. With `charts`, each step's transitions name their chart edge and a detail names the chart
 * and the active states.
 */
export function createActorTable(options: ActorTableOptions = {}, charts?: ChartRegistry): ActorTable {
  const historyLimit = Math.max(1, Math.floor(options.historyLimit ?? 500));
  const retainEnded = Math.max(0, Math.floor(options.retainEnded ?? 1000));
  const maxActors = Math.max(1, Math.floor(options.maxActors ?? 250_000));
  const now = options.now ?? Date.now;

  const records = new Map<string, ActorRecord>();
  const ended = new Set<string>(); // insertion order = order of ending, for eviction
  const ring: Array<StepRecord | undefined> = new Array<StepRecord | undefined>(historyLimit);
  // Per event object: who sent it and when (a counter), from `@xstate.event`, which comes before the step it causes
  // and before the steps of what that step sends; a step is recorded at its snapshot, after those.
  const sent = new WeakMap<object, { readonly source: string | undefined; readonly order: number }>();
  let order = 0;
  const refused = new WeakSet<object>();
  // Who is in the middle of a step: an event sent without a sender (`ref.send()` inside an action, as the session
  // directory does) was sent by the innermost of them. XState runs a step's sends synchronously, before the
  // sender's own snapshot, so a step opens at its event (or first microstep) and closes at its snapshot.
  const processing: string[] = [];
  let clearQueued = false;
  const open = (sessionId: string): void => {
    if (processing.includes(sessionId) || processing.length >= MAX_PROCESSING) return;
    processing.push(sessionId);
    if (!clearQueued) {
      // A step that never closes (its actor stopped first) must not stay open past this synchronous run.
      clearQueued = true;
      queueMicrotask(() => {
        clearQueued = false;
        processing.length = 0;
      });
    }
  };
  const close = (sessionId: string): void => {
    const at = processing.lastIndexOf(sessionId);
    if (at >= 0) processing.length = at;
  };
  let next = 0;
  let seq = 0;
  let untracked = 0;
  let errors = 0;

  const table: ActorTable = {
    historyLimit,
    onChange: undefined,
    inspect(event) {
      try {
        fold(event);
      } catch {
        errors++;
      }
    },
    *actors() {
      for (const record of records.values()) yield viewOf(record);
    },
    history() {
      const out: StepView[] = [];
      for (let i = 0; i < historyLimit; i++) {
        const step = ring[(next + i) % historyLimit];
        if (step) out.push(stepView(step));
      }
      return out;
    },
    detail(sessionId) {
      const record = records.get(sessionId);
      const steps = table.history().filter((s) => s.sessionId === sessionId);
      if (!record) return { sessionId, actor: null, context: null, output: null, error: null, steps, active: [] };
      const snapshot = (record.snapshot ?? {}) as { context?: unknown; output?: unknown; error?: unknown };
      const chart = charts?.keyOf(read(snapshot, 'machine'));
      let active: string[] = [];
      try {
        if (chart !== undefined) active = activeStates(read(snapshot, 'value'));
      } catch {
        errors++;
      }
      return {
        sessionId,
        actor: viewOf(record),
        context: summarize(read(snapshot, 'context'), contextLimits),
        output: summarize(read(snapshot, 'output'), contextLimits),
        error: summarize(read(snapshot, 'error'), contextLimits),
        steps,
        ...(chart === undefined ? {} : { chart }),
        active,
      };
    },
    counts() {
      return { actors: records.size, ended: ended.size, steps: seq, untracked, errors };
    },
  };

  const emit = (sessionId: string, change: () => Change): void => {
    const listener = table.onChange;
    if (!listener) return;
    try {
      listener(sessionId, change);
    } catch {
      errors++;
    }
  };

  const recordOf = (ref: unknown): ActorRecord | undefined => {
    if (ref === null || typeof ref !== 'object') return undefined;
    const sessionId = (ref as { sessionId?: unknown }).sessionId;
    if (typeof sessionId !== 'string') return undefined;
    const known = records.get(sessionId);
    if (known || refused.has(ref)) return known;
    if (records.size >= maxActors) {
      refused.add(ref);
      untracked++;
      return undefined;
    }
    // The inspector may be attached to an actor that already runs, so a microstep or snapshot introduces it too;
    // an event does not, or events sent to an ended, evicted actor would bring it back forever.
    const record = newRecord(ref, sessionId, now());
    records.set(sessionId, record);
    emit(sessionId, () => ({ t: 'actor', actor: viewOf(record) }));
    return record;
  };

  const fold = (event: InspectionEvent): void => {
    switch (event.type) {
      case '@xstate.actor':
        recordOf(event.actorRef);
        return;
      case '@xstate.event': {
        const target = event.actorRef?.sessionId;
        const source = event.sourceRef?.sessionId ?? processing[processing.length - 1];
        if (event.event !== null && typeof event.event === 'object') {
          sent.set(event.event, { source: typeof source === 'string' ? source : undefined, order: ++order });
        }
        if (typeof target === 'string') open(target);
        return;
      }
      case '@xstate.microstep': {
        const record = recordOf(event.actorRef);
        if (!record) return;
        open(record.sessionId);
        const pending = (record.pending ??= []);
        const logic = charts ? read(event.actorRef, 'logic') : undefined;
        for (const t of event._transitions) {
          if (pending.length >= MAX_PENDING) break;
          pending.push(transitionView(t, charts?.edgeOf(logic, t)));
        }
        return;
      }
      case '@xstate.snapshot': {
        const ref = event.actorRef as { sessionId?: unknown } | undefined;
        if (typeof ref?.sessionId === 'string') close(ref.sessionId);
        const record = recordOf(event.actorRef);
        if (record) snapshot(record, event.actorRef, event.event, event.snapshot);
        return;
      }
      default:
        return; // @xstate.action and @xstate.transition add nothing the steps do not show
    }
  };

  const snapshot = (record: ActorRecord, ref: unknown, event: unknown, snap: unknown): void => {
    if (record.status !== 'starting' && record.status !== 'active') return; // a late snapshot after the end
    const at = now();
    const status = statusOf(snap);
    record.snapshot = snap;
    record.status = status;
    record.state = formatStateValue(read(snap, 'value'));
    record.systemId ??= stringField(ref, 'systemId');
    record.steps++;
    const eventObject: object = event !== null && typeof event === 'object' ? event : { type: String(event) };
    const origin = sent.get(eventObject);
    record.lastEvent = eventType(eventObject);
    record.updatedAt = at;
    record.view = undefined;
    const step: StepRecord = {
      seq: ++seq,
      at,
      sessionId: record.sessionId,
      event: eventObject,
      source: origin?.source,
      order: origin?.order ?? ++order,
      transitions: record.pending ?? [],
      state: record.state,
      status,
      view: undefined,
    };
    record.pending = undefined;
    ring[next] = step;
    next = (next + 1) % historyLimit;
    emit(record.sessionId, () => ({ t: 'step', step: stepView(step), actor: viewOf(record) }));
    if (status !== 'active') end(record);
  };

  const end = (record: ActorRecord): void => {
    ended.add(record.sessionId);
    for (const oldest of ended) {
      if (ended.size <= retainEnded) break;
      ended.delete(oldest);
      records.delete(oldest);
      emit(oldest, () => ({ t: 'evicted', sessionId: oldest }));
    }
  };

  return table;
}

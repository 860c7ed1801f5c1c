/**
 * What the inspector's table keeps per actor and per step, and the views of them that go to the page (each built once
 * per change and cached on the record, so that many pages, or one page asking again, cost nothing more).
 * @module
 */
import { eventType, machineName, read, stringField, withoutType } from './xstate-read.js';
import { payloadLimits, summarize } from './summary.js';
import type { ActorStatus, ActorView, StepView, TransitionView } from './wire.js';

/** What the table keeps of one actor. */
export interface ActorRecord {
  readonly sessionId: string;
  readonly id: string;
  systemId: string | undefined;
  readonly machine: string;
  readonly parent: string | undefined;
  status: ActorStatus;
  state: string;
  snapshot: unknown;
  steps: number;
  lastEvent: string | undefined;
  updatedAt: number;
  /** Transitions reported by microsteps since the last snapshot. */
  pending: TransitionView[] | undefined;
  /** The view handed out last, rebuilt only after a change. */
  view: ActorView | undefined;
}

/** What the table keeps of one step (one event an actor processed). */
export interface StepRecord {
  readonly seq: number;
  readonly at: number;
  readonly sessionId: string;
  readonly event: object;
  readonly source: string | undefined;
  readonly order: number;
  readonly transitions: readonly TransitionView[];
  readonly state: string;
  readonly status: ActorStatus;
  view: StepView | undefined;
}

/** A record for an actor seen for the first time (by its ref, which it reads its ids, machine and parent from). */
export const newRecord = (ref: object, sessionId: string, at: number): ActorRecord => {
  const parentRef = read(ref, '_parent');
  const parent = parentRef !== null && typeof parentRef === 'object' ? stringField(parentRef, 'sessionId') : undefined;
  return {
    sessionId,
    id: stringField(ref, 'id') ?? sessionId,
    systemId: stringField(ref, 'systemId'),
    machine: machineName(ref),
    parent,
    status: 'starting',
    state: '',
    snapshot: undefined,
    steps: 0,
    lastEvent: undefined,
    updatedAt: at,
    pending: undefined,
    view: undefined,
  };
};

/** The actor as the page sees it, built once per change. */
export const viewOf = (r: ActorRecord): ActorView =>
  (r.view ??= {
    sessionId: r.sessionId,
    id: r.id,
    ...(r.systemId === undefined ? {} : { systemId: r.systemId }),
    machine: r.machine,
    ...(r.parent === undefined ? {} : { parent: r.parent }),
    status: r.status,
    state: r.state,
    steps: r.steps,
    ...(r.lastEvent === undefined ? {} : { lastEvent: r.lastEvent }),
    updatedAt: r.updatedAt,
  });

/** The step as the page sees it, its payload summarized once. */
export const stepView = (s: StepRecord): StepView =>
  (s.view ??= {
    seq: s.seq,
    at: s.at,
    sessionId: s.sessionId,
    event: eventType(s.event),
    ...(s.source === undefined ? {} : { source: s.source }),
    order: s.order,
    payload: summarize(withoutType(s.event), payloadLimits),
    transitions: s.transitions,
    state: s.state,
    status: s.status,
  });

/**
 * What travels over the inspector's WebSocket, as JSON text: the page's view of actors and steps, the messages the
 * server sends, and the one message the page sends back (which actor is selected), parsed totally.
 * @module
 */
import type { Json } from './summary.js';

/** An actor's lifecycle as the inspector shows it; `starting` until its first snapshot arrives. */
export type ActorStatus = 'starting' | 'active' | 'done' | 'error' | 'stopped';

/** One actor as the page lists it. Small on purpose: 100k of these go to a page that connects. */
export interface ActorView {
  /** XState's unique id for the actor (`x:12`); the key for everything else. */
  readonly sessionId: string;
  /** The id relative to its parent (the invoke/spawn id, or the root's `id` option). */
  readonly id: string;
  /** The id registered in the actor system, e.g. a session's user name, when there is one. */
  readonly systemId?: string;
  /** The machine's id, or the name the logic was provided under (`fetchList`) for non-machine actors. */
  readonly machine: string;
  /** The parent's sessionId; absent for a root actor. */
  readonly parent?: string;
  readonly status: ActorStatus;
  /** The current state value as one line (`online`, `a.x, b.y`); empty for actors without states. */
  readonly state: string;
  /** Events processed so far (snapshots taken, the initial one included). */
  readonly steps: number;
  /** The type of the last event processed. */
  readonly lastEvent?: string;
  /** Milliseconds since the epoch of the last change. */
  readonly updatedAt: number;
}

/** One transition taken in a step: state node paths, `to` empty for a targetless (internal) transition. */
export interface TransitionView {
  readonly event: string;
  readonly from: string;
  readonly to: readonly string[];
  /** The transition's id in its machine's chart (`t12`), when the machine has one. */
  readonly edge?: string;
}

/** One event an actor processed: what it was, who sent it, which transitions it took, where the actor ended up. */
export interface StepView {
  /** Increases by one per step over the inspector's life; the page drops what it has already seen. */
  readonly seq: number;
  readonly at: number;
  readonly sessionId: string;
  readonly event: string;
  /**
   * The sender's sessionId, when the event came from an actor: the one that sent it, or (for a plain `ref.send()` inside
   * a step) the actor whose step was running.
   */
  readonly source?: string;
  /** When the event was sent, as a counter: orders a cause before its effects (`seq` counts finished steps). */
  readonly order: number;
  /** The event object without `type`, summarized. */
  readonly payload: Json;
  readonly transitions: readonly TransitionView[];
  /** The state value after the step, as one line. */
  readonly state: string;
  readonly status: ActorStatus;
}

/** The selected actor in full: its context (or output / error) and its steps still in the history. */
export interface ActorDetail {
  readonly sessionId: string;
  readonly actor: ActorView | null;
  readonly context: Json;
  readonly output: Json;
  readonly error: Json;
  readonly steps: readonly StepView[];
  /** The key of its machine's chart, drawn at `/chart/<key>.svg`; absent for logic that is not a state machine. */
  readonly chart?: string;
  /** The states it is in, as chart ids with their ancestors (`online`, `online.presence`, `online.presence.live`). */
  readonly active: readonly string[];
}

/** A live change, batched into one `changes` message per turn of the event loop. */
export type Change =
  | { readonly t: 'actor'; readonly actor: ActorView }
  | { readonly t: 'step'; readonly step: StepView; readonly actor: ActorView }
  | { readonly t: 'evicted'; readonly sessionId: string };

/** Counters shown in the page header. */
export interface InspectorCounts {
  readonly actors: number;
  readonly ended: number;
  readonly steps: number;
  /** Actors not tracked because `maxActors` was reached. */
  readonly untracked: number;
  /** Exceptions the inspector swallowed so the engine never sees them. */
  readonly errors: number;
}

/** Server → page. A connecting (or lagging, then drained) page gets `hello`, `actors`…, `history`, then `changes`. */
export type ServerMessage =
  | { readonly t: 'hello'; readonly version: 1; readonly historyLimit: number; readonly counts: InspectorCounts }
  | { readonly t: 'actors'; readonly actors: readonly ActorView[]; readonly last: boolean }
  | { readonly t: 'history'; readonly steps: readonly StepView[] }
  | { readonly t: 'changes'; readonly changes: readonly Change[]; readonly counts: InspectorCounts }
  /** The selected actor's detail; `null` answers a deselect, so a page knows the server has stopped sending it. */
  | { readonly t: 'detail'; readonly detail: ActorDetail | null };

/** Page → server: show this actor's detail (and keep it fresh), or none. */
export interface SelectMessage {
  readonly t: 'select';
  readonly sessionId: string | null;
}

/** Longest sessionId the server accepts from a page; XState's are `x:<number>`. */
const MAX_SESSION_ID = 200;

/** Parses what a page sent; anything else (binary, bad JSON, other shapes) is `undefined`, never an exception. */
export function parseClientMessage(data: unknown): SelectMessage | undefined {
  if (typeof data !== 'string' || data.length > 1_000) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const { t, sessionId } = parsed as { t?: unknown; sessionId?: unknown };
  if (t !== 'select') return undefined;
  if (sessionId === null) return { t, sessionId };
  if (typeof sessionId !== 'string' || sessionId.length === 0 || sessionId.length > MAX_SESSION_ID) return undefined;
  return { t, sessionId };
}

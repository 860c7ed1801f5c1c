/**
 * Reading XState's objects without trusting them: actor refs, snapshots, events and transition definitions reach the
 * inspector from the engine's actors, and a revoked proxy, a throwing getter or an unexpected shape must read as
 * "absent", never as an exception in the engine's call.
 * @module
 */
import type { ActorStatus, TransitionView } from './wire.js';

const STATUSES: ReadonlySet<string> = new Set(['active', 'done', 'error', 'stopped']);

/** Reads a property of something that may be a revoked proxy or have a throwing getter. */
export const read = (obj: unknown, key: string): unknown => {
  if (obj === null || typeof obj !== 'object') return undefined;
  try {
    return (obj as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
};

/** A string property, cut to 200 characters; `undefined` when absent, not a string, or unreadable. */
export const stringField = (obj: unknown, key: string): string | undefined => {
  const v = read(obj, key);
  return typeof v === 'string' ? v.slice(0, 200) : undefined;
};

/** A snapshot's status; anything unknown reads as `active` (the actor still runs as far as anyone can tell). */
export const statusOf = (snap: unknown): ActorStatus => {
  const status = read(snap, 'status');
  return typeof status === 'string' && STATUSES.has(status) ? (status as ActorStatus) : 'active';
};

/** An event's `type`, cut to 200 characters; `(no type)` when it has none. */
export const eventType = (event: object): string => {
  const type = read(event, 'type');
  return typeof type === 'string' ? type.slice(0, 200) : '(no type)';
};

/** A machine's id; otherwise the name the logic was provided under (`fetchList`); otherwise `(anonymous)`. */
export const machineName = (ref: object): string => {
  const logic = read(ref, 'logic');
  const machineId = read(logic, 'config') !== undefined ? stringField(logic, 'id') : undefined;
  return machineId ?? stringField(ref, 'src') ?? '(anonymous)';
};

/** A transition definition as paths: `green → yellow`; the root state node is `(root)`. */
export const transitionView = (t: unknown, edge?: string): TransitionView => {
  const target = read(t, 'target');
  return {
    event: stringField(t, 'eventType') ?? '',
    from: nodePath(read(t, 'source')),
    to: Array.isArray(target) ? target.slice(0, 8).map(nodePath) : [],
    ...(edge === undefined ? {} : { edge }),
  };
};

const nodePath = (node: unknown): string => {
  const path = read(node, 'path');
  if (Array.isArray(path)) return path.length === 0 ? '(root)' : path.join('.').slice(0, 200);
  return stringField(node, 'id') ?? '?';
};

/** An event without its `type`, for the payload summary; `null` when nothing else is there to show. */
export const withoutType = (event: object): unknown => {
  try {
    const { type: _type, ...rest } = event as Record<string, unknown>;
    // `xstate.init` carries `input: undefined`: nothing to show, so no payload rather than `{}`.
    return Object.values(rest).every((v) => v === undefined || typeof v === 'function') ? null : rest;
  } catch {
    return '[unreadable]';
  }
};

/**
 * A total, bounded summary of any value as plain JSON, for showing actor context and event payloads in the inspector.
 *
 * Snapshots hold things JSON.stringify chokes on or should never ship: functions, actor refs (which reach the whole
 * actor system), cycles, BigInts, revoked proxies, getters that throw, huge Maps. The walk below never throws and
 * never produces more than `maxNodes` values, so one odd context cannot stall the engine or flood the page.
 * @module
 */

/** A value that survives `JSON.stringify` → `JSON.parse` unchanged. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** How much of a value a summary may show. */
export interface SummaryLimits {
  /** Nesting below this depth is shown as `"[…]"`. */
  readonly maxDepth: number;
  /** Total values (leaves and containers) in one summary; past it everything is `"[…]"`. */
  readonly maxNodes: number;
  /** Strings (values and keys) are cut to this many characters. */
  readonly maxString: number;
  /** Entries shown per object, array, Map or Set; the rest are counted under a `"…"` key or item. */
  readonly maxEntries: number;
}

/** Limits for a selected actor's context: enough to read, small enough to send on every change. */
export const contextLimits: SummaryLimits = { maxDepth: 6, maxNodes: 400, maxString: 200, maxEntries: 50 };

/** Limits for an event payload kept in the shared history: a glance, not the whole message. */
export const payloadLimits: SummaryLimits = { maxDepth: 3, maxNodes: 40, maxString: 120, maxEntries: 12 };

const MORE = '…';

/** True for anything that looks like an XState actor ref: it is shown by id, never walked into. */
export const isActorRefLike = (value: object): value is { sessionId: string; id?: unknown } => {
  const v = value as { sessionId?: unknown; send?: unknown; getSnapshot?: unknown };
  return typeof v.sessionId === 'string' && typeof v.send === 'function' && typeof v.getSnapshot === 'function';
};

const cut = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max)}${MORE}`);

/**
 * Summarizes `value` as JSON within `limits`: functions and symbols are dropped from objects, actor refs become
 * `"[actor <id>]"`, a cycle becomes `"[cycle]"`, anything unreadable becomes `"[unreadable]"`. Never throws.
 */
export function summarize(value: unknown, limits: SummaryLimits = contextLimits): Json {
  let nodes = 0;
  const path = new Set<object>();

  const walk = (v: unknown, depth: number): Json | undefined => {
    if (++nodes > limits.maxNodes) return MORE;
    switch (typeof v) {
      case 'string':
        return cut(v, limits.maxString);
      case 'number':
        return Number.isFinite(v) ? v + 0 : String(v); // + 0 turns -0 into 0, as JSON would
      case 'boolean':
        return v;
      case 'bigint':
        return `${v}n`;
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined; // dropped, as JSON.stringify drops them from objects
      default:
        break;
    }
    if (v === null) return null;
    const obj = v as object;
    if (path.has(obj)) return '[cycle]';
    try {
      if (isActorRefLike(obj)) return `[actor ${cut(String(obj.id ?? obj.sessionId), limits.maxString)}]`;
      if (depth >= limits.maxDepth) return `[${MORE}]`;
      path.add(obj);
      return container(obj, depth);
    } catch {
      return '[unreadable]'; // a revoked proxy, a throwing getter or Symbol.iterator, a hostile Proxy trap
    } finally {
      path.delete(obj);
    }
  };

  const item = (v: unknown, depth: number): Json => walk(v, depth + 1) ?? null;

  const list = (items: Iterable<unknown>, size: number, depth: number): Json[] => {
    const out: Json[] = [];
    for (const v of items) {
      if (out.length >= limits.maxEntries) break;
      out.push(item(v, depth));
    }
    if (size > out.length) out.push(`${MORE} +${size - out.length} more`);
    return out;
  };

  const record = (entries: Iterable<readonly [unknown, unknown]>, size: number, depth: number): Json => {
    const out: Array<[string, Json]> = []; // entries, so that a `__proto__` key stays a key (fromEntries defines)
    let shown = 0;
    let dropped = 0; // functions and undefined: absent in JSON too, so not "more"
    for (const [k, v] of entries) {
      if (shown >= limits.maxEntries) break;
      const child = walk(v, depth + 1);
      if (child === undefined) {
        dropped++;
        continue;
      }
      out.push([cut(typeof k === 'string' ? k : summarizeKey(k), limits.maxString), child]);
      shown++;
    }
    if (size > shown + dropped) out.push([MORE, `+${size - shown - dropped} more`]);
    return Object.fromEntries(out) as { [key: string]: Json };
  };

  const container = (obj: object, depth: number): Json => {
    if (Array.isArray(obj)) return list(obj.slice(0, limits.maxEntries), obj.length, depth);
    if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString();
    if (obj instanceof Error) return { name: cut(obj.name, limits.maxString), message: cut(obj.message, limits.maxString) };
    if (ArrayBuffer.isView(obj)) return `[${obj.constructor.name} ${obj.byteLength} bytes]`;
    if (obj instanceof ArrayBuffer) return `[ArrayBuffer ${obj.byteLength} bytes]`;
    if (obj instanceof Map) return record(obj.entries(), obj.size, depth);
    if (obj instanceof Set) return list(obj.values(), obj.size, depth);
    if (obj instanceof Promise || obj instanceof WeakMap || obj instanceof WeakSet) return `[${obj.constructor.name}]`;
    const keys = Object.keys(obj);
    return record(
      (function* () {
        for (const k of keys) yield [k, readProperty(obj, k)] as const;
      })(),
      keys.length,
      depth,
    );
  };

  try {
    return walk(value, 0) ?? null;
  } catch {
    return '[unreadable]';
  }
}

/** Reads one property; a getter that throws shows as `"[throws]"` instead of hiding its siblings. */
const readProperty = (obj: object, key: string): unknown => {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch {
    return '[throws]';
  }
};

/** A Map key as text: primitives as themselves, objects by a short tag (a Map keyed by actor refs stays readable). */
const summarizeKey = (key: unknown): string => {
  if (key !== null && typeof key === 'object') return isActorRefLike(key) ? `[actor ${String(key.id ?? key.sessionId)}]` : '[object]';
  if (typeof key === 'symbol') return key.description ?? 'symbol';
  return String(key);
};

/**
 * A state value as one line a person reads: `"online"`, `"connection.open"`, `"a.x, b.y"` for parallel regions.
 * Total: anything that is not a state value is summarized instead.
 */
export function formatStateValue(value: unknown, depth = 0): string {
  if (typeof value === 'string') return cut(value, 200);
  if (value === undefined || value === null) return '';
  if (typeof value === 'function' || typeof value === 'symbol') return '';
  if (typeof value !== 'object') return String(value);
  if (depth > 8) return MORE;
  try {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value)) {
      const inner = formatStateValue(v, depth + 1);
      parts.push(inner === '' ? k : inner.includes(', ') ? `${k}.(${inner})` : `${k}.${inner}`);
      if (parts.length >= 16) break;
    }
    return parts.join(', ');
  } catch {
    return '[unreadable]';
  }
}

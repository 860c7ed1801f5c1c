/**
 * Options both engines take: where sockets come from, which clock drives the machines, who inspects the actors.
 * @module
 */
import type { ActorOptions, AnyActorLogic } from 'xstate';
import type { CodecLimits } from '../protocol/index.js';
import type { Network } from '../transport/index.js';
import type { LogEntry } from './types.js';

/** XState's clock: real timers by default, a `SimulatedClock` in tests. */
export type EngineClock = NonNullable<ActorOptions<AnyActorLogic>['clock']>;

/** An XState inspector: `@statelyai/inspect`, imstate's live inspector (`createInspector().inspect`), or any observer. */
export type InspectOption = NonNullable<ActorOptions<AnyActorLogic>['inspect']>;

/** The options every engine shares. */
export interface EngineOptions {
  /** Where sockets come from: real by default; `createMemoryNetwork()` for deterministic tests. */
  readonly network?: Network;
  /** XState's clock for every delay (a `SimulatedClock` in tests, shared with the memory network). */
  readonly clock?: EngineClock;
  /** Handed to `createActor`, so the inspector sees every actor the engine runs, children included. */
  readonly inspect?: InspectOption;
  /** Codec limits (name length, datagram size, list size). */
  readonly limits?: Partial<CodecLimits>;
}

/** The `createActor` options for {@link EngineOptions} (leaving out what was not given). */
export const actorOptions = (options: EngineOptions): { clock?: EngineClock; inspect?: InspectOption } => ({
  ...(options.clock === undefined ? {} : { clock: options.clock }),
  ...(options.inspect === undefined ? {} : { inspect: options.inspect }),
});

/**
 * What time it is on the clock the machines run on, in ms: the real time without a clock, the clock's own `now()`
 * when it has one (XState's `SimulatedClock` does), else undefined (the machine then keeps its own time).
 */
export const clockNow = (options: EngineOptions): (() => number) | undefined => {
  if (options.clock === undefined) return Date.now;
  const clock = options.clock as { now?: unknown };
  return typeof clock.now === 'function' ? () => (clock.now as () => number).call(options.clock) : undefined;
};

/** A log entry stamped now. */
export const entry = (level: LogEntry['level'], kind: string, text: string): LogEntry => ({ at: Date.now(), level, kind, text });

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

/** A log entry stamped now. */
export const entry = (level: LogEntry['level'], kind: string, text: string): LogEntry => ({ at: Date.now(), level, kind, text });

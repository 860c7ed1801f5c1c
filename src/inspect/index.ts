/**
 * The live inspector: a local web page, fed over a WebSocket, that shows every running XState actor of an imstate
 * server or peer with its state, the events it received and the transitions they took. Named re-exports only.
 *
 * @example
 * ```ts
 * import { createInspector } from './inspect/index.js';
 * const inspector = await createInspector();
 * const server = createIndexServer({ inspect: inspector.inspect });
 * console.log(`open ${inspector.url}`);
 * // ...
 * await inspector.close();
 * ```
 * @module
 */
export type { Inspector, InspectorOptions } from './server.js';
export { createInspector } from './server.js';
export type { ActorTable, ActorTableOptions } from './actor-table.js';
export { createActorTable } from './actor-table.js';
export type { Json, SummaryLimits } from './summary.js';
export { contextLimits, formatStateValue, payloadLimits, summarize } from './summary.js';
export type {
  ActorDetail,
  ActorStatus,
  ActorView,
  Change,
  InspectorCounts,
  SelectMessage,
  ServerMessage,
  StepView,
  TransitionView,
} from './wire.js';
export { parseClientMessage } from './wire.js';

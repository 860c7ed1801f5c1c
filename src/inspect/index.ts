/**
 * The live inspector: a local web page, fed over a WebSocket, that shows every running XState actor of an imstate
 * server or peer with its state, the events it received and the transitions they took. Named re-exports only: the
 * inspector itself, and the wire types for anyone writing another client of its `/ws` socket.
 *
 * @example
 * ```ts
 * const inspector = await createInspector();
 * const server = createIndexServer({ inspect: inspector.inspect });
 * await server.start();
 * console.log(`inspector: ${inspector.url}`);
 * // … later
 * await server.stop();
 * await inspector.close();
 * ```
 * @module
 */
export type { Inspector, InspectorOptions } from './server.js';
export { createInspector } from './server.js';
export type { Json } from './summary.js';
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

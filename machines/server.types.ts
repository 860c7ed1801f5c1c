/**
 * The server machine's vocabulary: its input, the events it takes and its context. Shared by server.setup.ts (the
 * implementations) and server.machine.ts (the states), and by the engine.
 * @module
 */
import type { PresenceState, Snapshot } from '../src/presence/index.js';
import type { TrustOptions } from '../src/trust/index.js';
import type { DatagramEvent } from './commands.js';
import type { SessionExpired } from './session.directory.js';
import type { PresenceAppended, PresenceConflict, PresenceEvents } from './server.presence.js';
import type { ListRequested } from './server.answers.js';
import type { TrustState } from './server.trust.js';
import type { ServerOptions } from './server.wire.js';

/** The addresses to bind (ports may be 0: any free port). */
export interface BindRequest {
  readonly host: string;
  readonly udpPort: number;
  readonly tcpPort: number;
}

/** What the engine gives a server machine. */
export interface ServerInput extends BindRequest, Partial<ServerOptions> {
  /** The trust rules' limits (defaults in src/trust/options.ts). */
  readonly trust?: Partial<TrustOptions>;
  /** Random bytes for session secrets: the engine passes `crypto.randomBytes` (a test may pass a seeded source). */
  readonly randomBytes?: (size: number) => Uint8Array;
}

/** Everything the server machine reacts to. */
export type ServerEvent =
  | StartEvent
  | { readonly type: 'STOP' }
  | DatagramEvent
  | ListRequested
  | SessionExpired
  | PresenceEvents
  | PresenceAppended
  | PresenceConflict;

/** Start serving, from the online list in `presence` (the presence log's snapshot) or from an empty one. */
export interface StartEvent {
  readonly type: 'START';
  readonly presence?: Snapshot;
}

/** The server machine's context. */
export interface ServerContext {
  readonly request: BindRequest;
  readonly options: ServerOptions;
  /** The real addresses, once bound. */
  readonly address?: BindRequest;
  /** The fold of the presence log, as far as `presence.events` brought it (immutable; one event copies one trie path). */
  readonly presence: PresenceState;
  /** What the server believes about senders: buckets, pending logins, sessions per IP, secrets (./server.trust.ts). */
  readonly trust: TrustState;
  readonly reason?: string;
}

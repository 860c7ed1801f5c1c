/**
 * The part of the engine the command uses, as an interface: the command is handed an {@link Engine} so that the
 * real one (src/engine) runs in production and the tests can hand it anything shaped the same.
 * @module
 */
import type { InspectOption } from '../engine/options.js';
import type { IndexServerHandle, LifecycleState, PeerHandle } from '../engine/types.js';
import type { PeerCommandOptions, ServerCommandOptions } from './options.js';

/** What `createIndexServer()` is given (mirrors the engine's options; `inspect` only with `--inspect`). */
export interface IndexServerOptions {
  readonly host?: string;
  readonly port?: number;
  readonly tcpPort?: number;
  readonly inspect?: InspectOption;
}

/** What `createPeer()` is given. */
export interface PeerOptions {
  readonly name: string;
  /** `host:port` of the index server, e.g. `127.0.0.1:9000` or `[::1]:9000`. */
  readonly server?: string;
  readonly host?: string;
  readonly port?: number;
  /** How many login datagrams to send before giving up. */
  readonly loginTries?: number;
  readonly inspect?: InspectOption;
}

/** The two factories of the embedding API that the command needs. */
export interface Engine {
  createIndexServer(options?: IndexServerOptions): IndexServerHandle;
  createPeer(options: PeerOptions): PeerHandle;
}

/** The top-level state of a lifecycle value: the engine joins nested states with `.` and regions with `+`. */
export const topState = (value: string): string => value.split(/[.+]/, 1)[0] ?? value;

/** True when a lifecycle state is `failed` (at the top level, whatever the nested state). */
export const isFailed = (state: LifecycleState): boolean => topState(state.value) === 'failed';

/** Turns anything thrown or rejected into a sentence for a person (engine errors already are one). */
export const describeError = (error: unknown): string => {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null) {
    // A ProtocolError is plain data with a `reason` (src/protocol/result.ts).
    const reason = (error as { reason?: unknown }).reason;
    if (typeof reason === 'string') return reason;
  }
  return String(error);
};

/** What createIndexServer() is given for `imstate server`'s options. */
export const serverOptionsFor = (options: ServerCommandOptions): IndexServerOptions => ({
  host: options.host,
  port: options.port,
  tcpPort: options.tcpPort,
});

/** What createPeer() is given for `imstate peer`'s options (the engine's default number of tries unless asked). */
export const peerOptionsFor = (options: PeerCommandOptions): PeerOptions => ({
  name: options.name,
  server: options.server,
  host: options.host,
  port: options.port,
  ...(options.tries === undefined ? {} : { loginTries: options.tries }),
});

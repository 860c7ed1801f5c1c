/**
 * The part of the engine the command uses, as an interface: the command is handed an {@link Engine} so that the
 * real one (src/engine) runs in production and the tests can hand it anything shaped the same.
 * @module
 */
import type { CreatePeerOptions } from '../engine/peer.js';
import type { CreateIndexServerOptions } from '../engine/server.js';
import type { IndexServerHandle, LifecycleState, PeerHandle } from '../engine/types.js';
import type { PeerCommandOptions, ServerCommandOptions } from './options.js';
import { defaultTrustOptions, type TrustOptions } from '../trust/index.js';

/** The two factories of the embedding API that the command needs. */
export interface Engine {
  createIndexServer(options?: CreateIndexServerOptions): IndexServerHandle;
  createPeer(options: CreatePeerOptions): PeerHandle;
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
export const serverOptionsFor = (options: ServerCommandOptions): CreateIndexServerOptions => {
  const trust = trustFor(options);
  return {
    host: options.host,
    port: options.port,
    tcpPort: options.tcpPort,
    ...(options.store === undefined ? {} : { store: options.store }),
    ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
    ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
    ...(trust === undefined ? {} : { trust }),
  };
};

/**
 * The trust options the command line changed, or undefined for none. A rate also raises its bucket to at least one
 * second's worth, so that a host allowed 500 logins a second may send them in one burst.
 */
const trustFor = (options: ServerCommandOptions): Partial<TrustOptions> | undefined => {
  const trust: { -readonly [K in keyof TrustOptions]?: TrustOptions[K] } = {};
  if (options.nat === true) trust.natSource = true;
  if (options.usersPerHost !== undefined) trust.maxSessionsPerAddress = options.usersPerHost;
  if (options.loginsPerSecond !== undefined) {
    trust.loginsPerSecond = options.loginsPerSecond;
    trust.loginBurst = Math.max(defaultTrustOptions.loginBurst, options.loginsPerSecond);
  }
  if (options.pingsPerSecond !== undefined) {
    trust.pingsPerSecond = options.pingsPerSecond;
    trust.pingBurst = Math.max(defaultTrustOptions.pingBurst, options.pingsPerSecond);
  }
  return Object.keys(trust).length === 0 ? undefined : trust;
};

/** What createPeer() is given for `imstate peer`'s options (the engine's default number of tries unless asked). */
export const peerOptionsFor = (options: PeerCommandOptions): CreatePeerOptions => ({
  name: options.name,
  server: options.server,
  host: options.host,
  port: options.port,
  ...(options.tries === undefined ? {} : { loginTries: options.tries }),
});

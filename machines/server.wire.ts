/**
 * What the server machine reads from and writes to the wire, as pure functions: the user a `login` describes, the
 * `Accept` (with imstate's fields only for a peer that announced `imstate=1`), and each presence event in its
 * classic and extended forms. Nothing here throws.
 * @module
 */
import {
  formatEndpoint,
  parseEndpoint,
  type AcceptMessage,
  type Endpoint,
  type LoginMessage,
  type LogoutMessage,
  type Message,
} from '../src/protocol/index.js';
import type { LeaveReason, PresenceEvent, User } from '../src/presence/index.js';

/** The timings a server advertises and enforces. */
export interface ServerOptions {
  /** How often imstate peers should `ping` (advertised as `hb=<ms>` in `Accept`); also the expiry sweep period. */
  readonly heartbeatMs: number;
  /** Heartbeat periods an imstate session may miss before it expires. Classic sessions never expire. */
  readonly missedHeartbeats: number;
  /**
   * One session actor per online user (./session.machine.ts), for an inspector to show each session. Off, a session
   * is its directory entry only, which the directory expires the same way: ~1.5 KB less per online user.
   */
  readonly sessionActors: boolean;
}

/**
 * 10 s heartbeats; a session expires after 2 silent periods, so a crashed imstate peer leaves every list within
 * (2 + 1) × 10 s = 30 s of its last `ping` (the sweep that sees it runs once per period); session actors on.
 */
export const defaultServerOptions: ServerOptions = { heartbeatMs: 10_000, missedHeartbeats: 2, sessionActors: true };

/** Fills in the defaults; a missing or unusable value takes the default (never throws). */
export const resolveServerOptions = (options: Partial<ServerOptions> = {}): ServerOptions => {
  const pick = (value: number | undefined, fallback: number): number =>
    value !== undefined && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
  return {
    heartbeatMs: pick(options.heartbeatMs, defaultServerOptions.heartbeatMs),
    missedHeartbeats: pick(options.missedHeartbeats, defaultServerOptions.missedHeartbeats),
    sessionActors: typeof options.sessionActors === 'boolean' ? options.sessionActors : defaultServerOptions.sessionActors,
  };
};

/**
 * The user a `login` describes: its endpoint as printed, its session (`session=<id>` from an imstate peer; a
 * classic peer's session is its endpoint), whether it speaks imstate, and whether it takes batches (`batch=1`).
 */
export const userFromLogin = (message: LoginMessage): User => {
  const endpoint = formatEndpoint(message.endpoint);
  const imstate = message.imstate === true;
  const user = { name: message.name, endpoint, session: (imstate ? message.session : undefined) ?? endpoint, imstate };
  return imstate && message.batch === true ? { ...user, batch: true } : user;
};

/** `Accept,<tcpPort>` for a classic peer; `Accept,<tcpPort>,imstate=1,hb=<ms>,seq=<n>` for an imstate one. */
export const acceptMessage = (tcpPort: number, imstate: boolean, heartbeatMs: number, seq: number): AcceptMessage => ({
  type: 'Accept',
  tcpPort,
  ...(imstate ? { imstate: true, heartbeatMs, seq } : {}),
  extensions: [],
});

/** A presence event as the datagrams that carry it: plain for classic peers, with `seq` etc. for imstate peers. */
export interface PresenceForms {
  readonly classic: Message;
  readonly extended: Message;
}

/**
 * The two forms of a presence event, or undefined when the user's endpoint cannot be printed back as an endpoint
 * (never for a user that came through the codec). `endpoint` is the user's endpoint for a `left` event, which does
 * not carry it.
 */
export const presenceForms = (event: PresenceEvent, leftEndpoint?: string): PresenceForms | undefined => {
  if (event.type === 'joined') {
    const endpoint = endpointOf(event.user.endpoint);
    if (endpoint === undefined) return undefined;
    const base = { type: 'login' as const, name: event.user.name, endpoint, extensions: [] };
    const extended = { ...base, ...(event.user.imstate ? { imstate: true } : {}), seq: event.seq, session: event.user.session };
    return { classic: base, extended };
  }
  const endpoint = leftEndpoint === undefined ? undefined : endpointOf(leftEndpoint);
  if (endpoint === undefined) return undefined;
  return {
    classic: logoutForm(event.name, endpoint),
    extended: logoutForm(event.name, endpoint, event.seq, event.session, event.reason),
  };
};

/** A forwarded `logout`: plain, or with `seq`, `session` and `reason` for an imstate peer. */
export const logoutForm = (
  name: string,
  endpoint: Endpoint,
  seq?: number,
  session?: string,
  reason?: LeaveReason,
): LogoutMessage => ({
  type: 'logout',
  name,
  endpoint,
  ...(seq === undefined ? {} : { seq, ...(session === undefined ? {} : { session }), ...(reason === undefined ? {} : { reason }) }),
  extensions: [],
});

/** Reads an endpoint the server printed itself; undefined if it cannot (a bug elsewhere, never a crash here). */
export const endpointOf = (text: string): Endpoint | undefined => {
  const parsed = parseEndpoint(text);
  return parsed.ok ? parsed.value : undefined;
};

/**
 * The commands machines `emit()` for the engine, and the events the engine sends in, that both the peer and the
 * server use. A machine never does I/O: it emits one of these and the engine (src/engine/) carries it out.
 * @module
 */
import type { Endpoint, Message, MessageType } from '../src/protocol/index.js';

/** Send one datagram. `to` is a UDP endpoint as the wire prints it (`127.0.0.1:9000`, `[::1]:9000`). */
export interface SendCommand {
  readonly type: 'send';
  readonly to: string;
  readonly message: Message;
}

/** One line for consoles and logs (the engine adds the time). */
export interface LogCommand {
  readonly type: 'log';
  readonly level: 'info' | 'warn' | 'error';
  /** What kind of thing happened: `login`, `logout`, `expired`, `retry`, `failed`, `talk`, ... */
  readonly kind: string;
  /** A sentence for a person. */
  readonly text: string;
}

/**
 * A datagram refused by a rule (not by the codec): the engine counts it as `rejected` and `rejected.<code>` and logs
 * `text`.
 */
export interface RejectedCommand {
  readonly type: 'rejected';
  /** What rule refused it, in a word: `source-mismatch`, `name-taken`, `bad-secret`, `login-rate`, … */
  readonly code: string;
  /** A sentence for the log. */
  readonly text: string;
}

/** Builds a {@link SendCommand} (not XState's `sendTo`, which sends an event to an actor). */
export const sendCommand = (to: string, message: Message): SendCommand => ({ type: 'send', to, message });

/** Builds a {@link RejectedCommand}. */
export const rejected = (code: string, text: string): RejectedCommand => ({ type: 'rejected', code, text });

/**
 * A decoded datagram of one message type, as the engine hands it to a machine: `datagram.login`, `datagram.ping`,
 * `datagram.Accept`, … (the type word as on the wire), so each transition names the message it takes and its guards
 * and actions see that message's fields. `datagram.*` matches any of them.
 */
export type DatagramEventOf<T extends MessageType> = {
  readonly type: `datagram.${T}`;
  readonly message: Extract<Message, { type: T }>;
  /** The datagram's source endpoint, as the socket reported it (printed only for a log line or a reply's `to`). */
  readonly from: Endpoint;
  /** When it arrived (ms since the epoch), as the engine stamped it; the server's rate limits read it. */
  readonly at?: number;
};

/** Every decoded datagram event: one member per message type. */
export type DatagramEvent = { [T in MessageType]: DatagramEventOf<T> }[MessageType];

/** The event for a decoded message: `datagram.<type>` with the message, its source and (optionally) its time. */
export const datagramEvent = (message: Message, from: Endpoint, at?: number): DatagramEvent =>
  (at === undefined ? { type: `datagram.${message.type}`, message, from } : { type: `datagram.${message.type}`, message, from, at }) as DatagramEvent;

/** True for any datagram event (a catch-all that must say which message it was). */
export const isDatagramEvent = (event: { readonly type: string }): event is DatagramEvent => event.type.startsWith('datagram.');

/** Builds a {@link LogCommand}. */
export const logLine = (level: LogCommand['level'], kind: string, text: string): LogCommand => ({
  type: 'log',
  level,
  kind,
  text,
});

/** The message of an error as a sentence, whatever was thrown (a rejected promise may carry anything). */
export const errorText = (error: unknown): string =>
  error instanceof Error ? error.message : typeof error === 'string' ? error : 'unknown error';

// Done and error events of invoked actors are not in a machine's declared events (setup-level implementations see
// only those), so their payload is read through these two.
/** The `output` of an invoked actor's done event (`xstate.done.actor.*`), unchecked: the caller validates it. */
export const outputOf = (event: { readonly type: string }): unknown => (event as { output?: unknown }).output;

/** The `error` of an invoked actor's error event (`xstate.error.actor.*`), unchecked. */
export const errorOf = (event: { readonly type: string }): unknown => (event as { error?: unknown }).error;

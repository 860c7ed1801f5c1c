/**
 * The commands machines `emit()` for the engine, and the events the engine sends in, that both the peer and the
 * server use. A machine never does I/O: it emits one of these and the engine (src/engine/) carries it out.
 * @module
 */
import type { Message } from '../src/protocol/index.js';

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

/** A decoded datagram, as the engine hands it to a machine. */
export interface DatagramEvent {
  readonly type: 'datagram';
  readonly message: Message;
  /** The datagram's source endpoint as the wire prints it. */
  readonly from: string;
}

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

/**
 * The transport's one error class. Expected failures (a port in use, a refused connection) error the stream with a
 * {@link TransportError} whose `code` a program can switch on and whose `message` a person can act on.
 * @module
 */
import { formatAddress } from './address.js';

/** Every distinct way the transport can fail. */
export type TransportErrorCode =
  | 'address-in-use'
  | 'address-not-available'
  | 'connection-refused'
  | 'timeout'
  | 'closed'
  | 'other';

/** A transport failure: a stable `name` and `code`, a message for a person, and the underlying error as `cause`. */
export class TransportError extends Error {
  override readonly name = 'TransportError' as const;
  readonly code: TransportErrorCode;
  /** The endpoint concerned, as printed in the message (`127.0.0.1:9000`, `[::1]:9000`), when there is one. */
  readonly endpoint: string | undefined;

  constructor(code: TransportErrorCode, message: string, options: { cause?: unknown; endpoint?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.endpoint = options.endpoint;
  }
}

/** What was being done when an error happened: it decides the wording of the message. */
export type TransportAction = 'bind-udp' | 'listen-tcp' | 'connect-tcp' | 'send-udp' | 'tcp-stream';

const ERRNO_CODES: Readonly<Record<string, TransportErrorCode>> = {
  EADDRINUSE: 'address-in-use',
  EADDRNOTAVAIL: 'address-not-available',
  ENOTFOUND: 'address-not-available',
  EAI_AGAIN: 'address-not-available',
  ECONNREFUSED: 'connection-refused',
  ETIMEDOUT: 'timeout',
  ECONNRESET: 'closed',
  EPIPE: 'closed',
  ERR_SOCKET_DGRAM_NOT_RUNNING: 'closed',
};

/** Maps a Node errno code (`EADDRINUSE`, ...) to a {@link TransportErrorCode}. */
export const codeOfErrno = (errno: string | undefined): TransportErrorCode =>
  (errno === undefined ? undefined : ERRNO_CODES[errno]) ?? 'other';

/** A sentence for a person saying what happened at `endpoint` and what to try. */
export const describe = (code: TransportErrorCode, action: TransportAction, endpoint: string, detail = ''): string => {
  const more = detail === '' ? '' : ` (${detail})`;
  switch (code) {
    case 'address-in-use':
      return `${endpoint} is already in use — is another server running? choose another port (0 picks a free one)${more}`;
    case 'address-not-available':
      return `cannot use ${endpoint}: that address is not on this machine — try 127.0.0.1, ::1 or 0.0.0.0${more}`;
    case 'connection-refused':
      return `${endpoint} refused the TCP connection — is the server running, and is that its list port?${more}`;
    case 'timeout':
      return `no answer from ${endpoint} in time — is the server running and reachable?${more}`;
    case 'closed':
      return `the connection to ${endpoint} was closed before it finished${more}`;
    case 'other':
      return `${ACTION_WORDS[action]} ${endpoint} failed${more}`;
  }
};

const ACTION_WORDS: Readonly<Record<TransportAction, string>> = {
  'bind-udp': 'binding UDP on',
  'listen-tcp': 'listening for TCP on',
  'connect-tcp': 'connecting over TCP to',
  'send-udp': 'sending a datagram to',
  'tcp-stream': 'the TCP stream with',
};

/** Wraps any error thrown or emitted by Node into a {@link TransportError} (kept as `cause`). */
export const fromNodeError = (
  error: unknown,
  action: TransportAction,
  at: { readonly address: string; readonly port: number },
): TransportError => {
  if (error instanceof TransportError) return error;
  const errno = (error as { code?: unknown } | null)?.code;
  const code = codeOfErrno(typeof errno === 'string' ? errno : undefined);
  const endpoint = formatAddress(at);
  const detail = error instanceof Error ? error.message : String(error);
  return new TransportError(code, describe(code, action, endpoint, detail), { cause: error, endpoint });
};

/** Builds a {@link TransportError} for a failure found without a Node error (the in-memory network's). */
export const transportError = (
  code: TransportErrorCode,
  action: TransportAction,
  at: { readonly address: string; readonly port: number },
  detail = '',
): TransportError => {
  const endpoint = formatAddress(at);
  return new TransportError(code, describe(code, action, endpoint, detail), { endpoint });
};

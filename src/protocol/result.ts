/**
 * Results and errors of the wire codec. Decoders never throw: they return a {@link Result}.
 * @module
 */

/** Every distinct reason the codec can refuse bytes, text or a message. */
export type ProtocolErrorCode =
  | 'empty'
  | 'odd-length'
  | 'unpaired-surrogate'
  | 'too-long'
  | 'unknown-type'
  | 'field-count'
  | 'bad-endpoint'
  | 'bad-port'
  | 'bad-name'
  | 'bad-field'
  | 'bad-list'
  | 'too-many-entries'
  | 'frame-too-long'
  | 'truncated'
  | 'invalid-utf8';

/** A refusal by the codec: a stable `code` for programs and a `reason` a person can read. */
export interface ProtocolError {
  readonly name: 'ProtocolError';
  readonly code: ProtocolErrorCode;
  readonly reason: string;
}

/** The outcome of a total function: the value, or why there is none. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ProtocolError };

/** Builds a successful {@link Result}. */
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

/** Builds a failed {@link Result} with a {@link ProtocolError}. */
export const fail = <T = never>(code: ProtocolErrorCode, reason: string): Result<T> => ({
  ok: false,
  error: { name: 'ProtocolError', code, reason },
});

/** Shows untrusted text inside a reason: quoted, escaped, and cut to 40 characters so that a reason stays short. */
export const quote = (text: string): string =>
  text.length <= 40 ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, 40))}…`;

/** Puts where the problem is in front of a failed result's reason (e.g. `user list entry 3: ...`); passes success through. */
export const within = <T>(where: string, result: Result<T>): Result<T> =>
  result.ok ? result : fail(result.error.code, `${where}: ${result.error.reason}`);

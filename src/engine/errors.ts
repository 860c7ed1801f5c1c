/**
 * The engine's one error class: a stable `name` and `code` for programs, a message for a person, and the cause.
 * @module
 */

/** Every distinct way an engine call can fail. */
export type EngineErrorCode =
  | 'bad-name'
  | 'bad-endpoint'
  | 'bad-text'
  | 'login-failed'
  | 'start-failed'
  | 'bad-store'
  | 'not-online'
  | 'unknown-user'
  | 'stopped';

/** A failed engine call: `start()`, `login()`, `say()`, or an option `createPeer()` cannot use. */
export class EngineError extends Error {
  override readonly name = 'EngineError' as const;
  readonly code: EngineErrorCode;

  constructor(code: EngineErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/**
 * Session secrets: what the server gives an imstate peer in its `Accept` (and to nobody else, never in a broadcast
 * or a list), and what that peer's `ping` and `logout` must carry. Only the endpoint the `Accept` went to can know
 * it, so a correct secret proves the login's endpoint asked (return routability) and that a logout or ping comes
 * from the session, not from whoever read its public session id in the presence stream.
 *
 * Pure: the random bytes come from the caller (the engine passes `crypto.randomBytes`, a test a seeded source).
 * @module
 */

/** Random bytes in a secret: 72 bits, written as 12 base64url characters (no `,`, fits an extension field). */
export const SECRET_BYTES = 9;

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Writes bytes as base64url without padding (what `Buffer#toString('base64url')` writes, without node:buffer). */
export const base64url = (bytes: Uint8Array): string => {
  let text = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1] ?? 0;
    const c = bytes[i + 2] ?? 0;
    const n = (a << 16) | (b << 8) | c;
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let k = 0; k < chars; k++) text += alphabet[(n >> (18 - 6 * k)) & 63];
  }
  return text;
};

/** A fresh secret from `randomBytes` (called with {@link SECRET_BYTES}). */
export const newSecret = (randomBytes: (size: number) => Uint8Array): string => base64url(randomBytes(SECRET_BYTES));

/** True when `text` has the shape of a secret: 12 base64url characters. */
export const isSecretShape = (text: string): boolean => /^[A-Za-z0-9_-]{12}$/.test(text);

/**
 * Whether `given` is `expected`, comparing every character whatever the first difference, so the time taken does not
 * tell an attacker how much of a guess was right. Undefined on either side never matches.
 */
export const sameSecret = (expected: string | undefined, given: string | undefined): boolean => {
  if (expected === undefined || given === undefined || expected.length === 0) return false;
  let difference = expected.length ^ given.length;
  for (let i = 0; i < expected.length; i++) difference |= expected.charCodeAt(i) ^ (given.charCodeAt(i) || 0);
  return difference === 0;
};

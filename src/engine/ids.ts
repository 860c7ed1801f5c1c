/**
 * Identifiers the engine makes so that the machines stay deterministic: login sessions and talk message ids.
 * Both are short, printable and free of `,` so they travel as extension fields.
 * @module
 */
import { randomBytes } from 'node:crypto';

/** A fresh session id for one login of a name (12 base64url characters, 72 random bits). */
export const newSessionId = (): string => randomBytes(9).toString('base64url');

/** Makes message ids unique within one peer: a random prefix per peer and a counter. */
export const messageIdSource = (): (() => string) => {
  const prefix = randomBytes(6).toString('base64url');
  let next = 0;
  return () => `${prefix}.${(next++).toString(36)}`;
};

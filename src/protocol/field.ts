/**
 * What the other text fields may be: session and message ids, imstate's appended `key=value` fields, and the
 * free-text time of a talk. Names have their own rules (name.ts); talk text and refusal reasons may hold anything.
 * @module
 */
import { codePointLength, describeChar, fieldForbidden } from './chars.js';
import { fail, ok, quote, type Result } from './result.js';

/** Longest session or message id, in characters. */
export const maxIdLength = 64;

/**
 * Checks a session or message id: 1–64 printable characters without `,`. `what` names it in the reason
 * (`session`, `message id`). Fails with code `bad-field`.
 */
export function validateId(id: string, what = 'id'): Result<string> {
  if (id.length === 0) return fail('bad-field', `the ${what} is empty`);
  if (id.length > maxIdLength && codePointLength(id) > maxIdLength) {
    return fail('bad-field', `the ${what} is ${codePointLength(id)} characters long; the limit is ${maxIdLength}`);
  }
  const bad = fieldForbidden.exec(id);
  if (bad !== null) return fail('bad-field', `the ${what} ${quote(id)} contains ${describeChar(bad[0])}`);
  return ok(id);
}

/**
 * Checks one appended extension field (usually `key=value`; empty is allowed, as a trailing comma is): no `,`, no
 * control characters or line breaks. Fails with code `bad-field`.
 */
export function validateExtensionField(field: string): Result<string> {
  const bad = fieldForbidden.exec(field);
  if (bad !== null) return fail('bad-field', `the extension field ${quote(field)} contains ${describeChar(bad[0])}`);
  return ok(field);
}

/** Checks a talk's time, which is free text (`10:41:40`, `10:41:40 AM`) but ends at the next `,`. Code `bad-field`. */
export function validateTime(time: string): Result<string> {
  if (time.includes(',')) return fail('bad-field', `the time ${quote(time)} contains a comma`);
  return ok(time);
}

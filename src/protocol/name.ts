/**
 * What a user name may be. The original splits datagrams on `,`, lists on `;` and endpoints on `:`, and never
 * escapes anything, so a name carrying one of them would be misread by every classic party.
 * @module
 */
import { codePointLength, describeChar, nameForbidden } from './chars.js';
import { type CodecLimits, resolveLimits } from './limits.js';
import { fail, ok, quote, type Result } from './result.js';

/**
 * Checks that `name` can travel on the wire: not empty, at most `maxNameLength` characters, and free of `,` `;` `:`,
 * control characters, line separators and unpaired surrogates. Fails with code `bad-name`; returns the name unchanged.
 */
export function validateName(name: string, limits?: Partial<CodecLimits>): Result<string> {
  if (name.length === 0) return fail('bad-name', 'the name is empty');
  const { maxNameLength } = resolveLimits(limits);
  // A code point is at most two code units, so short strings need no counting.
  if (name.length > maxNameLength) {
    const length = codePointLength(name);
    if (length > maxNameLength) {
      return fail('bad-name', `the name is ${length} characters long; the limit is ${maxNameLength}`);
    }
  }
  const bad = nameForbidden.exec(name);
  if (bad !== null) {
    return fail('bad-name', `the name ${quote(name)} contains ${describeChar(bad[0])}, which the wire cannot carry`);
  }
  return ok(name);
}

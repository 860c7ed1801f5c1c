import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64url, isSecretShape, newSecret, sameSecret, SECRET_BYTES } from '../../src/trust/index.js';

describe('session secrets', () => {
  it('writes base64url exactly as Node does (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        expect(base64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
      }),
    );
  });

  it('makes 12-character secrets from 72 random bits, different each time', () => {
    const secrets = new Set(Array.from({ length: 1_000 }, () => newSecret(randomBytes)));
    expect(secrets.size).toBe(1_000);
    for (const secret of secrets) expect(isSecretShape(secret)).toBe(true);
    expect(SECRET_BYTES * 8).toBe(72);
  });

  it('matches only the same secret; undefined, empty and prefixes never match', () => {
    const secret = newSecret(randomBytes);
    expect(sameSecret(secret, secret)).toBe(true);
    expect(sameSecret(secret, `${secret}x`)).toBe(false);
    expect(sameSecret(secret, secret.slice(0, 11))).toBe(false);
    expect(sameSecret(secret, undefined)).toBe(false);
    expect(sameSecret(undefined, secret)).toBe(false);
    expect(sameSecret('', '')).toBe(false);
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => {
      expect(sameSecret(a, b)).toBe(a.length > 0 && a === b);
    }));
  });
});

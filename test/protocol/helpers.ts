/**
 * Small helpers shared by the protocol tests.
 * @module
 */
import { expect } from 'vitest';
import type { ProtocolErrorCode, Result } from '../../src/protocol/index.js';

/** Random inputs per totality property: `IMSTATE_FUZZ_RUNS`, or a count that keeps the folder fast in CI. */
export const fuzzRuns = ((): number => {
  const asked = Number(process.env['IMSTATE_FUZZ_RUNS']);
  return Number.isSafeInteger(asked) && asked > 0 ? asked : 20_000;
})();

/** A test timeout that grows with {@link fuzzRuns}, so that a million-input run is not cut short. */
export const fuzzTimeout = Math.max(30_000, fuzzRuns * 2);

/** `6c 00 6f 00` → bytes. */
export const fromHex = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));

/** Bytes → `6c 00 6f 00`, so that a failed comparison shows the bytes. */
export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').replace(/(..)(?!$)/g, '$1 ');

/** The value of a result that must have succeeded (the test fails with the reason otherwise). */
export function valueOf<T>(result: Result<T>): T {
  if (!result.ok) expect.fail(`expected success, got ${result.error.code}: ${result.error.reason}`);
  return result.value;
}

/** Asserts a failure with `code` and a reason a person can read; returns the reason. */
export function expectFailure(result: Result<unknown>, code: ProtocolErrorCode): string {
  if (result.ok) expect.fail(`expected ${code}, got success: ${JSON.stringify(result.value)}`);
  expect(result.error).toMatchObject({ name: 'ProtocolError', code });
  expect(result.error.reason.length).toBeGreaterThan(10);
  return result.error.reason;
}

/** Every code a codec failure may carry. */
export const errorCodes: readonly ProtocolErrorCode[] = [
  'empty',
  'odd-length',
  'unpaired-surrogate',
  'too-long',
  'unknown-type',
  'field-count',
  'bad-endpoint',
  'bad-port',
  'bad-name',
  'bad-field',
  'bad-list',
  'too-many-entries',
  'frame-too-long',
  'truncated',
  'invalid-utf8',
];

/** UTF-16LE bytes of `text`, written independently of the codec (for building inputs). */
export const utf16le = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'utf16le'));

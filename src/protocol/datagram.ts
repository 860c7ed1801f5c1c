/**
 * Message ⇄ datagram: UTF-16LE text (C#'s `Encoding.Unicode`), no BOM, no terminator, one message per datagram; or,
 * for the one extension that is about bytes, a batch of presence events in UTF-8 (./batch.ts), told apart by its
 * first bytes.
 * @module
 */
import { Buffer } from 'node:buffer';
import { decodeBatch, encodeBatch, isBatchDatagram } from './batch.js';
import { codePointName, unpairedSurrogate } from './chars.js';
import { type CodecLimits, resolveLimits } from './limits.js';
import type { Message } from './message.js';
import { fail, ok, type Result } from './result.js';
import { formatMessage, parseMessage } from './text.js';

/** Where the first unpaired surrogate is, as a reason; undefined for well-formed text. */
const surrogateProblem = (text: string): string | undefined => {
  const at = text.search(unpairedSurrogate);
  if (at < 0) return undefined;
  return `the text has an unpaired surrogate ${codePointName(text.charCodeAt(at))} at byte ${at * 2}`;
};

/**
 * Reads one datagram. Never throws: fails with `empty`, `too-long` (over `maxDatagramBytes`), `odd-length`,
 * `unpaired-surrogate`, or any reason of {@link parseMessage}; a batch (it starts with the UTF-8 bytes of `batch,`)
 * with any reason of `decodeBatch`.
 */
export function decodeDatagram(bytes: Uint8Array, limits?: Partial<CodecLimits>): Result<Message> {
  const resolved = resolveLimits(limits);
  if (bytes.length === 0) return fail('empty', 'the datagram is empty');
  if (bytes.length > resolved.maxDatagramBytes) {
    return fail('too-long', `the datagram is ${bytes.length} bytes; the limit is ${resolved.maxDatagramBytes}`);
  }
  if (isBatchDatagram(bytes)) return decodeBatch(bytes, resolved);
  if (bytes.length % 2 !== 0) {
    return fail('odd-length', `the datagram has an odd number of bytes (${bytes.length}), so it is not UTF-16LE text`);
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf16le');
  const problem = surrogateProblem(text);
  if (problem !== undefined) return fail('unpaired-surrogate', problem);
  return parseMessage(text, resolved);
}

/**
 * Writes one message as a datagram. Fails with any reason of {@link formatMessage}, `unpaired-surrogate` (free text
 * that UTF-16LE cannot carry), or `too-long` (over `maxDatagramBytes`); a batch with any reason of `encodeBatch`.
 */
export function encodeDatagram(m: Message, limits?: Partial<CodecLimits>): Result<Uint8Array> {
  const resolved = resolveLimits(limits);
  if (m.type === 'batch') return encodeBatch(m, resolved);
  const text = formatMessage(m, resolved);
  if (!text.ok) return text;
  const bytes = text.value.length * 2;
  if (bytes > resolved.maxDatagramBytes) {
    return fail('too-long', `the ${m.type} would be ${bytes} bytes; the limit is ${resolved.maxDatagramBytes}`);
  }
  const problem = surrogateProblem(text.value);
  if (problem !== undefined) return fail('unpaired-surrogate', problem);
  return ok(Buffer.from(text.value, 'utf16le'));
}

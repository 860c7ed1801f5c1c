/**
 * The batch datagram (docs/PROTOCOL.md §7, Batched presence): many consecutive presence events in one datagram, for
 * imstate peers that said `batch=1`. It is UTF-8 text, not UTF-16LE, because a batch is about bytes: one line per
 * event, the header first,
 *
 * ```text
 * batch,<first>,<last>
 * +i,<name>,<endpoint>,<session>     a user came online (i: an imstate peer, c: a classic one)
 * -l,<name>,<session>                a user left (l: logout, e: expired, r: replaced)
 * ```
 *
 * lines joined by `\n`. Nothing is escaped and nothing needs to be: a name, an endpoint and a session never hold `,`
 * or a control character (name.ts, field.ts), so any name the codec takes travels as its UTF-8 bytes. A classic
 * user's session is its endpoint, so it is written empty. The header's range says which sequence numbers the lines
 * are, so a replica that loses a batch sees the gap at the next one; a reader checks that it has exactly
 * `last - first + 1` lines. A datagram is a batch when it starts with the bytes of `batch,`; no UTF-16LE message
 * can (its second byte would be 0).
 *
 * Decoding is total; encoding refuses what it cannot write, and {@link packBatches} splits events into datagrams of
 * at most a given size.
 * @module
 */
import { Buffer } from 'node:buffer';
import { formatEndpoint, parseEndpoint, validateEndpoint } from './endpoint.js';
import { formatSeq, parseSeq } from './extensions.js';
import { validateId } from './field.js';
import { resolveLimits, type CodecLimits } from './limits.js';
import type { BatchEntry, BatchMessage, LeaveReason } from './message.js';
import { validateName } from './name.js';
import { fail, ok, quote, within, type Result } from './result.js';

/** The first bytes of every batch datagram: `batch,` in UTF-8. */
export const batchMagic: Uint8Array = Buffer.from('batch,', 'utf8');

const reasonCodes: Readonly<Record<LeaveReason, string>> = { logout: 'l', expired: 'e', replaced: 'r' };
const reasonOf: Readonly<Record<string, LeaveReason>> = { l: 'logout', e: 'expired', r: 'replaced' };
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** True when `bytes` starts with {@link batchMagic}: read it with {@link decodeBatch}. */
export const isBatchDatagram = (bytes: Uint8Array): boolean => {
  if (bytes.length < batchMagic.length) return false;
  for (let i = 0; i < batchMagic.length; i++) if (bytes[i] !== batchMagic[i]) return false;
  return true;
};

/** One event's line (`+i,alice,127.0.0.1:5001,EbFLfCmepyWa`), or why it cannot be written. */
export function formatBatchEntry(entry: BatchEntry, limits?: Partial<CodecLimits>): Result<string> {
  const name = validateName(entry.name, limits);
  if (!name.ok) return name;
  if (entry.type === 'login') {
    const endpoint = validateEndpoint(entry.endpoint);
    if (!endpoint.ok) return endpoint;
    const printed = formatEndpoint(endpoint.value);
    // A classic user's session is its endpoint: left out, and given back by the reader.
    if (!entry.imstate && entry.session === printed) return ok(`+c,${entry.name},${printed},`);
    const session = validateId(entry.session, 'session');
    if (!session.ok) return session;
    return ok(`+${entry.imstate ? 'i' : 'c'},${entry.name},${printed},${entry.session}`);
  }
  if (entry.type !== 'logout' || !Object.hasOwn(reasonCodes, entry.reason)) {
    return fail('bad-field', `a batch entry is a login or a logout with a reason, not ${quote(String((entry as { type?: unknown }).type))}`);
  }
  const session = validateId(entry.session, 'session');
  if (!session.ok) return session;
  return ok(`-${reasonCodes[entry.reason]},${entry.name},${entry.session}`);
}

/** Reads one event's line. Fails with `bad-field`, `bad-name`, `bad-endpoint`, `bad-port` or `field-count`. */
export function parseBatchEntry(line: string, limits?: Partial<CodecLimits>): Result<BatchEntry> {
  const fields = line.split(',');
  const [tag = '', name = '', third = '', fourth = ''] = fields;
  const kind = tag.charAt(0);
  if (tag.length !== 2 || (kind !== '+' && kind !== '-')) {
    return fail('bad-field', `a batch line starts with +i, +c, -l, -e or -r, not ${quote(tag)}`);
  }
  const wanted = kind === '+' ? 4 : 3;
  if (fields.length !== wanted) return fail('field-count', `a ${kind === '+' ? 'login' : 'logout'} line has ${wanted} fields; this one has ${fields.length}`);
  const checkedName = validateName(name, limits);
  if (!checkedName.ok) return checkedName;
  if (kind === '-') {
    const reason = reasonOf[tag.charAt(1)];
    if (reason === undefined) return fail('bad-field', `${quote(tag)} names no reason (l, e or r)`);
    const session = validateId(third, 'session');
    return session.ok ? ok({ type: 'logout', name, session: session.value, reason }) : session;
  }
  const flag = tag.charAt(1);
  if (flag !== 'i' && flag !== 'c') return fail('bad-field', `${quote(tag)} is neither +i (imstate) nor +c (classic)`);
  const endpoint = parseEndpoint(third);
  if (!endpoint.ok) return endpoint;
  const imstate = flag === 'i';
  if (fourth === '' && !imstate) return ok({ type: 'login', name, endpoint: endpoint.value, session: formatEndpoint(endpoint.value), imstate });
  const session = validateId(fourth, 'session');
  return session.ok ? ok({ type: 'login', name, endpoint: endpoint.value, session: session.value, imstate }) : session;
}

/** The header line of a batch of `count` events from `first`. */
const header = (first: number, count: number): string => `batch,${first},${first + count - 1}`;

/**
 * Writes a batch as one datagram. Fails with `bad-field` (no entries, or a first sequence number below 1), any
 * reason of {@link formatBatchEntry}, or `too-long` (over `maxDatagramBytes`).
 */
export function encodeBatch(message: BatchMessage, limits?: Partial<CodecLimits>): Result<Uint8Array> {
  const first = formatSeq(message.first);
  if (!first.ok || message.first < 1) return fail('bad-field', `a batch starts at sequence number 1 or more, not ${message.first}`);
  if (message.entries.length === 0) return fail('bad-field', 'a batch holds at least one event');
  const lines = [header(message.first, message.entries.length)];
  for (const [i, entry] of message.entries.entries()) {
    const line = within(`batch entry ${message.first + i}`, formatBatchEntry(entry, limits));
    if (!line.ok) return line;
    lines.push(line.value);
  }
  const bytes = Buffer.from(lines.join('\n'), 'utf8');
  const max = resolveLimits(limits).maxDatagramBytes;
  return bytes.length > max ? fail('too-long', `the batch would be ${bytes.length} bytes; the limit is ${max}`) : ok(bytes);
}

/**
 * Reads a batch datagram (one that {@link isBatchDatagram}). Never throws: fails with `invalid-utf8`, `field-count`
 * (a header that is not `batch,<first>,<last>`, or not exactly `last - first + 1` lines), `bad-field` for the range,
 * or any reason of {@link parseBatchEntry}, prefixed with the entry's sequence number.
 */
export function decodeBatch(bytes: Uint8Array, limits?: Partial<CodecLimits>): Result<BatchMessage> {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return fail('invalid-utf8', 'the batch is not valid UTF-8');
  }
  const lines = text.split('\n');
  const head = (lines[0] ?? '').split(',');
  if (head.length !== 3) return fail('field-count', `a batch header is batch,<first>,<last>; this one has ${head.length} fields`);
  const first = parseSeq(head[1] ?? '');
  const last = parseSeq(head[2] ?? '');
  if (!first.ok) return within('batch', first);
  if (!last.ok) return within('batch', last);
  if (first.value < 1 || last.value < first.value) {
    return fail('bad-field', `batch: the range ${first.value}–${last.value} is not 1 or more, lowest first`);
  }
  const count = last.value - first.value + 1;
  if (lines.length - 1 !== count) {
    return fail('field-count', `batch: the range ${first.value}–${last.value} is ${count} events; the datagram has ${lines.length - 1}`);
  }
  const entries: BatchEntry[] = [];
  for (let i = 1; i < lines.length; i++) {
    const entry = within(`batch entry ${first.value + i - 1}`, parseBatchEntry(lines[i]!, limits));
    if (!entry.ok) return entry;
    entries.push(entry.value);
  }
  return ok({ type: 'batch', first: first.value, entries });
}

/** One event ready to pack: its sequence number and its line's UTF-8 bytes (from {@link formatBatchEntry}). */
export interface BatchLine {
  readonly seq: number;
  readonly bytes: Uint8Array;
}

/** The UTF-8 bytes of one event's line, to keep until it is packed; undefined when the entry cannot be written. */
export const batchLine = (seq: number, entry: BatchEntry, limits?: Partial<CodecLimits>): BatchLine | undefined => {
  const line = formatBatchEntry(entry, limits);
  return line.ok ? { seq, bytes: Buffer.from(line.value, 'utf8') } : undefined;
};

const newline = 0x0a;

/**
 * Packs lines (in ascending sequence order) into batch datagrams of at most `maxBytes` each: as many consecutive
 * events per datagram as fit, a new datagram wherever the sequence numbers are not consecutive (so a hole in them
 * shows as the gap it is). An event too large to share a datagram of `maxBytes` goes alone, however large. Total.
 */
export function packBatches(lines: readonly BatchLine[], maxBytes: number): Uint8Array[] {
  const datagrams: Uint8Array[] = [];
  let start = 0;
  for (const end of batchCuts(lines, maxBytes)) {
    const first = lines[start]!.seq;
    let body = 0;
    for (let i = start; i < end; i++) body += lines[i]!.bytes.length + 1;
    const head = Buffer.from(header(first, end - start), 'utf8');
    const datagram = Buffer.allocUnsafe(head.length + body);
    head.copy(datagram, 0);
    let at = head.length;
    for (let i = start; i < end; i++) {
      datagram[at++] = newline;
      datagram.set(lines[i]!.bytes, at);
      at += lines[i]!.bytes.length;
    }
    datagrams.push(datagram);
    start = end;
  }
  return datagrams;
}

/**
 * Where {@link packBatches} cuts `lines` into datagrams: the index just past each datagram's last line, in order
 * (the last is `lines.length`). Total.
 */
export function batchCuts(lines: readonly BatchLine[], maxBytes: number): number[] {
  const cuts: number[] = [];
  let start = 0;
  while (start < lines.length) {
    const first = lines[start]!.seq;
    let end = start + 1;
    let body = lines[start]!.bytes.length + 1;
    while (end < lines.length && lines[end]!.seq === first + (end - start)) {
      const next = body + lines[end]!.bytes.length + 1;
      if (header(first, end - start + 1).length + next > maxBytes) break;
      body = next;
      end++;
    }
    cuts.push(end);
    start = end;
  }
  return cuts;
}

/** .NET BinaryWriter strings: LEB128 byte length + UTF-8, read incrementally from TCP chunks. */
import { describe, expect, it } from 'vitest';
import { createBinaryStringReader, encodeBinaryString } from '../../src/protocol/index.js';
import { listStringBytes } from '../../src/protocol/limits.js';
import { expectFailure, fromHex, toHex, valueOf } from './helpers.js';

/** The LEB128 length prefix alone, for a string of `length` bytes. */
const prefix = (length: number): Uint8Array => {
  const bytes: number[] = [];
  for (; length >= 0x80; length = Math.floor(length / 128)) bytes.push((length % 128) | 0x80);
  return Uint8Array.from([...bytes, length]);
};

describe('encodeBinaryString', () => {
  it.each([
    [0, '00'],
    [1, '01'],
    [127, '7f'],
    [128, '80 01'],
    [200, 'c8 01'],
    [16_383, 'ff 7f'],
    [16_384, '80 80 01'],
    [1024 * 1024, '80 80 40'],
  ])('prefixes %d bytes with %s', (length, prefix) => {
    const bytes = encodeBinaryString('a'.repeat(length));
    const prefixLength = prefix.split(' ').length;
    expect(toHex(bytes.subarray(0, prefixLength))).toBe(prefix);
    expect(bytes.length).toBe(prefixLength + length);
  });

  it('counts UTF-8 bytes, not characters', () => {
    expect(toHex(encodeBinaryString('剑痴'))).toBe('06 e5 89 91 e7 97 b4');
    expect(toHex(encodeBinaryString('👍'))).toBe('04 f0 9f 91 8d');
  });

  it('writes an unpaired surrogate as U+FFFD, as .NET does', () => {
    expect(toHex(encodeBinaryString('\ud800'))).toBe('03 ef bf bd');
  });
});

describe('createBinaryStringReader', () => {
  it('returns every string a chunk completes, and nothing for a partial one', () => {
    const reader = createBinaryStringReader();
    const stream = new Uint8Array([...encodeBinaryString('end'), ...encodeBinaryString(''), ...encodeBinaryString('剑痴')]);
    expect(valueOf(reader.push(stream.subarray(0, 6)))).toEqual(['end', '']);
    expect(valueOf(reader.push(stream.subarray(6, 8)))).toEqual([]);
    expect(valueOf(reader.push(stream.subarray(8)))).toEqual(['剑痴']);
    expect(valueOf(reader.end())).toBeUndefined();
  });

  it('reads a two-byte prefix split between chunks, then a body in pieces', () => {
    const text = 'x'.repeat(300);
    const bytes = encodeBinaryString(text);
    const reader = createBinaryStringReader();
    expect(valueOf(reader.push(bytes.subarray(0, 1)))).toEqual([]);
    expect(valueOf(reader.push(bytes.subarray(1, 100)))).toEqual([]);
    expect(valueOf(reader.push(bytes.subarray(100)))).toEqual([text]);
  });

  it('splits a multi-byte character anywhere', () => {
    const bytes = encodeBinaryString('a剑痴👍');
    for (let cut = 0; cut <= bytes.length; cut++) {
      const reader = createBinaryStringReader();
      const strings = [...valueOf(reader.push(bytes.subarray(0, cut))), ...valueOf(reader.push(bytes.subarray(cut)))];
      expect(strings).toEqual(['a剑痴👍']);
    }
  });

  it('keeps a leading BOM, as .NET does', () => {
    expect(valueOf(createBinaryStringReader().push(fromHex('03 ef bb bf')))).toEqual(['\ufeff']);
  });

  it('accepts an over-long prefix within five bytes, as Read7BitEncodedInt does', () => {
    expect(valueOf(createBinaryStringReader().push(fromHex('83 80 80 80 00 65 6e 64')))).toEqual(['end']);
  });

  it('refuses a length over the limit as soon as the prefix shows it', () => {
    const reader = createBinaryStringReader({ maxStringBytes: 100 });
    expect(valueOf(reader.push(fromHex('64')))).toEqual([]); // exactly 100: fine so far
    const big = createBinaryStringReader({ maxStringBytes: 100 });
    expect(expectFailure(big.push(fromHex('65')), 'frame-too-long')).toContain('limit is 100');
    // Without maxStringBytes the bound follows maxListEntries (a list of that many longest entries), refused as
    // soon as the prefix shows it, before any body arrives.
    const bound = listStringBytes({ maxListEntries: 10, maxNameLength: 64 });
    expectFailure(createBinaryStringReader({ maxListEntries: 10 }).push(prefix(bound + 1)), 'frame-too-long');
    expect(valueOf(createBinaryStringReader({ maxListEntries: 10 }).push(prefix(bound)))).toEqual([]);
    // No fixed 1 MiB any more: 0x100001 bytes announced is fine by default (a list of about 35,000 users).
    expect(valueOf(createBinaryStringReader().push(fromHex('81 80 40')))).toEqual([]);
  });

  it('refuses a prefix longer than five bytes', () => {
    const reader = createBinaryStringReader({ maxStringBytes: 2 ** 40 });
    expect(expectFailure(reader.push(fromHex('80 80 80 80 80 00')), 'frame-too-long')).toContain('5 bytes');
  });

  it.each([
    ['ff', '01 ff'],
    ['an over-long slash', '02 c0 af'],
    ['an encoded surrogate', '03 ed a0 80'],
    ['a cut character', '02 e5 89'],
    ['a code point above U+10FFFF', '04 f4 90 80 80'],
  ])('refuses invalid UTF-8: %s', (_, hex) => {
    expectFailure(createBinaryStringReader().push(fromHex(hex)), 'invalid-utf8');
  });

  it('fails end() with truncated inside a prefix or a body, and succeeds between strings', () => {
    const inPrefix = createBinaryStringReader();
    valueOf(inPrefix.push(fromHex('80')));
    expect(expectFailure(inPrefix.end(), 'truncated')).toContain('length prefix');
    const inBody = createBinaryStringReader();
    valueOf(inBody.push(fromHex('03 65 6e')));
    expect(expectFailure(inBody.end(), 'truncated')).toContain('2 of 3 bytes');
    const between = createBinaryStringReader();
    valueOf(between.push(fromHex('03 65 6e 64')));
    expect(between.end().ok).toBe(true);
  });

  it('returns the same error on every call after one', () => {
    const reader = createBinaryStringReader();
    const first = reader.push(fromHex('01 ff'));
    expectFailure(first, 'invalid-utf8');
    expect(reader.push(fromHex('03 65 6e 64'))).toEqual(first);
    expect(reader.end()).toEqual(first);
    const truncated = createBinaryStringReader();
    valueOf(truncated.push(fromHex('05')));
    const ended = truncated.end();
    expect(truncated.push(fromHex('65'))).toEqual(ended);
  });

  it('hands over the strings a chunk completed before an error, and the error on the next call', () => {
    const reader = createBinaryStringReader();
    expect(valueOf(reader.push(fromHex('03 65 6e 64 01 ff')))).toEqual(['end']);
    expectFailure(reader.push(new Uint8Array(0)), 'invalid-utf8');
    const ending = createBinaryStringReader();
    valueOf(ending.push(fromHex('03 65 6e 64 01 ff')));
    expectFailure(ending.end(), 'invalid-utf8');
  });

  it('does not keep a view of the caller\'s chunk, which a socket may reuse', () => {
    const reader = createBinaryStringReader();
    const chunk = fromHex('03 65 6e');
    valueOf(reader.push(chunk));
    chunk.fill(0x78);
    expect(valueOf(reader.push(fromHex('64')))).toEqual(['end']);
  });
});

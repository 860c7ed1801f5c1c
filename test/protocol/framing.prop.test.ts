/**
 * The BinaryWriter string reader reads the same strings, and fails with the same error, however a TCP stream is
 * split into chunks: in one piece, at random places, or one byte at a time.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBinaryStringReader, encodeBinaryString, type ProtocolError } from '../../src/protocol/index.js';
import { fuzzRuns, fuzzTimeout } from './helpers.js';

const limits = { maxStringBytes: 300 };

/** What a reader makes of a stream: the strings it read, and the error that stopped it (from push or end). */
interface Outcome {
  readonly strings: string[];
  readonly error: ProtocolError | undefined;
}

const readAll = (chunks: readonly Uint8Array[]): Outcome => {
  const reader = createBinaryStringReader(limits);
  const strings: string[] = [];
  for (const chunk of chunks) {
    const result = reader.push(chunk);
    if (!result.ok) return { strings, error: result.error };
    strings.push(...result.value);
  }
  const ended = reader.end();
  return { strings, error: ended.ok ? undefined : ended.error };
};

const splitAt = (bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] => {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const point of points) {
    chunks.push(bytes.subarray(from, point)); // empty chunks included: a reader must take them too
    from = point;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
};

/** Valid frames, then now and then a bad ending: garbage, a cut frame, bad UTF-8, or a length over the limit. */
const stream = fc
  .tuple(
    fc.array(fc.string({ unit: 'grapheme', maxLength: 40 }), { maxLength: 5 }),
    fc.oneof(
      fc.constant(new Uint8Array(0)),
      fc.uint8Array({ maxLength: 30 }),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).chain((text) => {
        const frame = encodeBinaryString(text);
        return fc.integer({ min: 1, max: frame.length - 1 }).map((cut) => frame.subarray(0, cut));
      }),
      fc.constantFrom(Uint8Array.of(2, 0xc0, 0xaf), Uint8Array.of(3, 0x65, 0xff, 0x64), Uint8Array.of(0xad, 0x02), Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0x01)),
    ),
  )
  .map(([texts, ending]) => ({ texts, bytes: Uint8Array.from(Buffer.concat([...texts.map(encodeBinaryString), ending])) }));

describe('the framing decoder does not care where a stream is split', () => {
  it(`same strings and error for every split (${fuzzRuns} streams)`, { timeout: fuzzTimeout }, () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 8 }), ({ texts, bytes }, cuts) => {
        const whole = readAll([bytes]);
        // Every valid frame before the bad ending is read, whatever follows it.
        expect(whole.strings.slice(0, texts.length)).toEqual(texts);
        expect(readAll(splitAt(bytes, cuts))).toEqual(whole);
        expect(readAll(Array.from(bytes, (byte) => Uint8Array.of(byte)))).toEqual(whole);
      }),
      { numRuns: fuzzRuns },
    );
  });

  it('every way of cutting one stream in two reads the same', () => {
    const bytes = Uint8Array.from(Buffer.concat(['end', '', '剑痴,[::1]:5;end', 'x'.repeat(200)].map(encodeBinaryString)));
    const whole = readAll([bytes]);
    expect(whole.strings).toHaveLength(4);
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(readAll([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
    }
  });
});

/**
 * Byte vectors captured from the original C# program (original-wire.json, kept in the repository so that a clean
 * clone has them) and more framings of the classic wire (docs/PROTOCOL.md §2 and §5): every one decodes, and
 * re-encodes byte for byte.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createBinaryStringReader,
  decodeDatagram,
  encodeBinaryString,
  encodeDatagram,
  formatUserList,
  parseUserList,
  type ListEntry,
} from '../../src/protocol/index.js';
import { formatMessage } from '../../src/protocol/text.js';
import { fromHex, toHex, valueOf } from './helpers.js';

interface Vector {
  readonly name: string;
  readonly transport: 'udp' | 'tcp';
  readonly hex: string;
  readonly length: number;
  readonly text: string;
}

const { vectors } = JSON.parse(readFileSync(new URL('./original-wire.json', import.meta.url), 'utf8')) as {
  vectors: Vector[];
};

/** Reads every BinaryWriter string of `bytes`, fed in one chunk or one byte at a time. */
const readStrings = (bytes: Uint8Array, byteByByte: boolean): string[] => {
  const reader = createBinaryStringReader();
  const strings: string[] = [];
  const chunks = byteByByte ? Array.from(bytes, (b) => Uint8Array.of(b)) : [bytes];
  for (const chunk of chunks) strings.push(...valueOf(reader.push(chunk)));
  valueOf(reader.end());
  return strings;
};

describe('vectors captured from the original program', () => {
  it('holds all nine captures', () => {
    expect(vectors.map((v) => v.name)).toHaveLength(9);
  });

  for (const vector of vectors.filter((v) => v.transport === 'udp')) {
    it(`${vector.name}: decodes to its text and re-encodes byte for byte`, () => {
      const bytes = fromHex(vector.hex);
      expect(bytes.length).toBe(vector.length);
      const message = valueOf(decodeDatagram(bytes));
      expect(valueOf(formatMessage(message))).toBe(vector.text);
      expect(toHex(valueOf(encodeDatagram(message)))).toBe(toHex(bytes));
    });
  }

  for (const vector of vectors.filter((v) => v.transport === 'tcp')) {
    it(`${vector.name}: reads as one list, in one chunk or byte by byte, and re-encodes byte for byte`, () => {
      const bytes = fromHex(vector.hex);
      expect(bytes.length).toBe(vector.length);
      expect(readStrings(bytes, false)).toEqual([vector.text]);
      expect(readStrings(bytes, true)).toEqual([vector.text]);
      const entries = valueOf(parseUserList(vector.text));
      expect(entries.length).toBe(vector.text.split(';').length - 1);
      expect(toHex(encodeBinaryString(valueOf(formatUserList(entries))))).toBe(toHex(bytes));
    });
  }

  it('reads the talk text after the third comma, commas kept', () => {
    const talk = vectors.find((v) => v.name === 'client-talk');
    expect(valueOf(decodeDatagram(fromHex(talk?.hex ?? '')))).toEqual({
      type: 'talk',
      time: '11:43:19',
      name: 'alice',
      text: '你好, world',
    });
  });
});

describe('more framings of the classic wire (docs/PROTOCOL.md §2, §5)', () => {
  it('login,alice,127.0.0.1:47092 is 54 bytes starting 6c 00 6f 00 67 00', () => {
    const bytes = valueOf(
      encodeDatagram({
        type: 'login',
        name: 'alice',
        endpoint: { family: 'IPv4', address: '127.0.0.1', port: 47092 },
        extensions: [],
      }),
    );
    expect(bytes.length).toBe(54);
    expect(toHex(bytes.subarray(0, 6))).toBe('6c 00 6f 00 67 00');
    expect(valueOf(decodeDatagram(bytes))).toMatchObject({ name: 'alice', endpoint: { port: 47092 } });
  });

  it('the empty list "end" is 03 65 6e 64', () => {
    expect(valueOf(formatUserList([]))).toBe('end');
    expect(toHex(encodeBinaryString('end'))).toBe('03 65 6e 64');
    expect(valueOf(parseUserList('end'))).toEqual([]);
  });

  it('probe,127.0.0.1:47095;end is 19 followed by 25 UTF-8 bytes', () => {
    const entries: ListEntry[] = [{ name: 'probe', endpoint: { family: 'IPv4', address: '127.0.0.1', port: 47095 } }];
    const bytes = encodeBinaryString(valueOf(formatUserList(entries)));
    expect(bytes.length).toBe(26);
    expect(bytes[0]).toBe(0x19);
  });

  it('a 166-byte list is framed with the two-byte prefix a6 01', () => {
    // Six users on 127.0.0.1, the first name padded so that the UTF-8 text is exactly 166 bytes.
    const endpoint = (port: number) => ({ family: 'IPv4' as const, address: '127.0.0.1', port });
    const entries: ListEntry[] = Array.from({ length: 6 }, (_, i) => ({ name: `user${i}`, endpoint: endpoint(21560 + i) }));
    const unpadded = valueOf(formatUserList(entries)).length;
    entries[0] = { name: `user0${'x'.repeat(166 - unpadded)}`, endpoint: endpoint(21560) };
    const text = valueOf(formatUserList(entries));
    expect(Buffer.byteLength(text, 'utf8')).toBe(166);
    const bytes = encodeBinaryString(text);
    expect(bytes.length).toBe(168);
    expect(toHex(bytes.subarray(0, 2))).toBe('a6 01');
    expect(readStrings(bytes, true)).toEqual([text]);
  });

  it('a 200-byte string is framed with c8 01', () => {
    expect(toHex(encodeBinaryString('a'.repeat(200)).subarray(0, 2))).toBe('c8 01');
  });

  it('the name 剑痴 is 51 52 f4 75 inside a datagram', () => {
    const bytes = valueOf(
      encodeDatagram({
        type: 'login',
        name: '剑痴',
        endpoint: { family: 'IPv4', address: '127.0.0.1', port: 21512 },
        extensions: [],
      }),
    );
    expect(toHex(bytes)).toContain('2c 00 51 52 f4 75 2c 00');
    expect(valueOf(decodeDatagram(bytes))).toMatchObject({ type: 'login', name: '剑痴' });
  });
});

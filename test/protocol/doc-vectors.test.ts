/**
 * docs/PROTOCOL.md stays true: every byte vector it shows (a `<!-- wire: udp|tcp, N bytes -->` marker, then a block
 * whose first line is the text and whose other lines are the bytes in hex) decodes to its text and is what the codec
 * writes for it, and the classic vectors are the bytes captured from the original program.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBinaryStringReader, decodeDatagram, encodeBinaryString, encodeDatagram } from '../../src/protocol/index.js';
import { formatMessage, parseMessage } from '../../src/protocol/text.js';
import { fromHex, toHex, valueOf } from './helpers.js';

const doc = readFileSync(new URL('../../docs/PROTOCOL.md', import.meta.url), 'utf8');

interface DocVector {
  readonly transport: 'udp' | 'tcp';
  readonly length: number;
  readonly text: string;
  readonly hex: string;
}

const vectors: DocVector[] = [...doc.matchAll(/<!-- wire: (udp|tcp), (\d+) bytes -->\n```text\n([\s\S]*?)\n```/g)].map((match) => {
  const [text = '', ...rows] = match[3]!.split('\n');
  return { transport: match[1] as 'udp' | 'tcp', length: Number(match[2]), text, hex: rows.join(' ') };
});

/** The batch vectors (`<!-- wire: batch, N bytes -->`): the batch's lines of UTF-8 text, then its bytes in hex. */
const batchVectors = [...doc.matchAll(/<!-- wire: batch, (\d+) bytes -->\n```text\n([\s\S]*?)\n```/g)].map((match) => {
  const lines = match[2]!.split('\n');
  const isHex = (line: string): boolean => /^[0-9a-f]{2}( [0-9a-f]{2})*$/.test(line);
  return { length: Number(match[1]), text: lines.filter((line) => !isHex(line)).join('\n'), hex: lines.filter(isHex).join(' ') };
});

const { vectors: captures } = JSON.parse(readFileSync(new URL('./original-wire.json', import.meta.url), 'utf8')) as {
  vectors: { name: string; hex: string; text: string }[];
};

describe('docs/PROTOCOL.md', () => {
  it('shows a vector for every classic datagram, the list and each extension', () => {
    const types = new Set(vectors.filter((v) => v.transport === 'udp').map((v) => v.text.split(',')[0]));
    expect([...types].sort()).toEqual(['Accept', 'Refuse', 'login', 'logout', 'ping', 'pong', 'receipt', 'rtalk', 'talk', 'unknown']);
    expect(vectors.filter((v) => v.transport === 'tcp').length).toBeGreaterThanOrEqual(5);
  });

  for (const vector of vectors) {
    it(`${vector.transport} ${vector.text.slice(0, 60)}: its bytes decode to its text, and the codec writes those bytes`, () => {
      const bytes = fromHex(vector.hex);
      expect(bytes.length).toBe(vector.length);
      if (vector.transport === 'udp') {
        expect(valueOf(formatMessage(valueOf(decodeDatagram(bytes))))).toBe(vector.text);
        expect(toHex(valueOf(encodeDatagram(valueOf(parseMessage(vector.text)))))).toBe(toHex(bytes));
      } else {
        const reader = createBinaryStringReader();
        expect(valueOf(reader.push(bytes))).toEqual([vector.text]);
        valueOf(reader.end());
        expect(toHex(encodeBinaryString(vector.text))).toBe(toHex(bytes));
      }
    });
  }

  it('shows a batch datagram', () => {
    expect(batchVectors.length).toBeGreaterThanOrEqual(1);
  });

  for (const vector of batchVectors) {
    it(`batch ${vector.text.split('\n')[0]}: its bytes are its text in UTF-8, decode to a batch, and the codec writes those bytes`, () => {
      const bytes = fromHex(vector.hex);
      expect(bytes.length).toBe(vector.length);
      expect(Buffer.from(bytes).toString('utf8')).toBe(vector.text);
      const batch = valueOf(decodeDatagram(bytes));
      expect(batch.type).toBe('batch');
      expect(toHex(valueOf(encodeDatagram(batch)))).toBe(toHex(bytes));
    });
  }

  it('the classic vectors are the bytes captured from the original program', () => {
    const shown = ['client-login', 'client-talk', 'client-logout', 'server-accept', 'server-list-1', 'server-forwarded-login-cjk', 'server-list-2-cjk', 'server-list-8-long'];
    for (const name of shown) {
      const capture = captures.find((c) => c.name === name)!;
      const vector = vectors.find((v) => v.text === capture.text);
      expect(vector, name).toBeDefined();
      expect(toHex(fromHex(vector!.hex)), name).toBe(toHex(fromHex(capture.hex)));
    }
  });
});

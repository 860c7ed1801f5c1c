/** decode(encode(x)) = x for every message kind, user lists, list extensions, endpoints and BinaryWriter strings. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createBinaryStringReader,
  decodeDatagram,
  encodeBinaryString,
  encodeDatagram,
  formatEndpoint,
  formatListExtension,
  formatUserList,
  parseEndpoint,
  parseListExtension,
  parseUserList,
  type MessageType,
} from '../../src/protocol/index.js';
import { formatMessage, parseMessage } from '../../src/protocol/text.js';
import {
  endpointArbitrary,
  listExtensionArbitrary,
  messageArbitraries,
  nameArbitrary,
  talkTextArbitrary,
  userListArbitrary,
} from '../../src/testing/arbitraries.js';
import { valueOf } from './helpers.js';

// The text layer is UTF-16LE text; a batch is UTF-8 bytes of its own (test/protocol/batch.test.ts).
const types = (Object.keys(messageArbitraries) as MessageType[]).filter((type) => type !== 'batch');

describe('every message kind survives a round trip', () => {
  it.each(types)('%s: decodeDatagram(encodeDatagram(m)) = m, and the text layer agrees', (type) => {
    fc.assert(
      fc.property(messageArbitraries[type], (message) => {
        const bytes = valueOf(encodeDatagram(message));
        expect(valueOf(decodeDatagram(bytes))).toEqual(message);
        const text = valueOf(formatMessage(message));
        expect(bytes.length).toBe(text.length * 2);
        expect(valueOf(parseMessage(text))).toEqual(message);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps talk text after the third comma exactly, whatever it holds', () => {
    fc.assert(
      fc.property(nameArbitrary(), talkTextArbitrary(), (name, text) => {
        const message = valueOf(decodeDatagram(valueOf(encodeDatagram({ type: 'talk', time: '10:41:40', name, text }))));
        expect(message).toEqual({ type: 'talk', time: '10:41:40', name, text });
      }),
    );
  });
});

describe('the other formats survive a round trip', () => {
  it('endpoints, IPv4 and IPv6', () => {
    fc.assert(
      fc.property(endpointArbitrary(), (endpoint) => {
        expect(valueOf(parseEndpoint(formatEndpoint(endpoint)))).toEqual(endpoint);
      }),
      { numRuns: 1000 },
    );
  });

  it('user lists, through the BinaryWriter framing', () => {
    fc.assert(
      fc.property(userListArbitrary(), (entries) => {
        const text = valueOf(formatUserList(entries));
        const strings = valueOf(createBinaryStringReader().push(encodeBinaryString(text)));
        expect(strings).toEqual([text]);
        expect(valueOf(parseUserList(text))).toEqual(entries);
      }),
    );
  });

  it('list extensions', () => {
    fc.assert(
      fc.property(listExtensionArbitrary(), (extension) => {
        expect(valueOf(parseListExtension(valueOf(formatListExtension(extension))))).toEqual(extension);
      }),
    );
  });

  it('BinaryWriter strings of well-formed text', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 5 }), (texts) => {
        const reader = createBinaryStringReader();
        const bytes = Buffer.concat(texts.map(encodeBinaryString));
        expect(valueOf(reader.push(bytes))).toEqual(texts);
        expect(reader.end().ok).toBe(true);
      }),
    );
  });
});

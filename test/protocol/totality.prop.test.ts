/**
 * Every decoder is total: on any input it returns a result, never throws, fails only with a known code and a
 * reason, and whatever it accepts it can encode again and read back the same. IMSTATE_FUZZ_RUNS sets the count.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createBinaryStringReader,
  decodeDatagram,
  encodeDatagram,
  formatEndpoint,
  formatListExtension,
  formatUserList,
  parseEndpoint,
  parseListExtension,
  parseUserList,
  type ListExtension,
  type Result,
} from '../../src/protocol/index.js';
import { formatMessage, parseMessage } from '../../src/protocol/text.js';
import { errorCodes, fuzzRuns, fuzzTimeout, valueOf } from './helpers.js';
import { hostileDatagram, listText, messageText, wireText } from './wire-soup.js';

/** A failure must carry a known code and a reason; a success must survive re-encoding. */
function checkResult<T>(result: Result<T>, reencode: (value: T) => Result<T>): void {
  if (!result.ok) {
    expect(errorCodes).toContain(result.error.code);
    expect(typeof result.error.reason).toBe('string');
    expect(result.error.reason.length).toBeGreaterThan(0);
    return;
  }
  expect(reencode(result.value)).toEqual(result);
}

const runs = { numRuns: fuzzRuns };

describe(`decoders are total (${fuzzRuns} inputs each; IMSTATE_FUZZ_RUNS sets it)`, () => {
  it('decodeDatagram: random bytes, token soup, mutated datagrams', { timeout: fuzzTimeout }, () => {
    // Half the time under a small datagram limit, so that `too-long` is reached too.
    const limits = fc.constantFrom(undefined, { maxDatagramBytes: 160 });
    fc.assert(
      fc.property(hostileDatagram(), limits, (bytes, limit) => {
        checkResult(decodeDatagram(bytes, limit), (message) => decodeDatagram(valueOf(encodeDatagram(message, limit)), limit));
      }),
      runs,
    );
  });

  it('the hostile datagrams reach every reason decodeDatagram has, and success', () => {
    const seen = new Set<string>();
    for (const bytes of fc.sample(hostileDatagram(), { numRuns: 5000, seed: 2 })) {
      const result = decodeDatagram(bytes, { maxDatagramBytes: 160 });
      seen.add(result.ok ? 'ok' : result.error.code);
    }
    expect([...seen].sort()).toEqual(
      ['ok', 'empty', 'odd-length', 'unpaired-surrogate', 'too-long', 'unknown-type', 'field-count', 'bad-endpoint', 'bad-port', 'bad-name', 'bad-field', 'invalid-utf8'].sort(),
    );
  });

  it('parseMessage: any UTF-16 text', { timeout: fuzzTimeout }, () => {
    fc.assert(
      fc.property(fc.oneof(messageText(), wireText(), fc.string({ unit: 'binary', maxLength: 60 })), (text) => {
        checkResult(parseMessage(text), (message) => parseMessage(valueOf(formatMessage(message))));
      }),
      runs,
    );
  });

  it('parseEndpoint: any text', { timeout: fuzzTimeout }, () => {
    const endpointish = fc.array(fc.constantFrom('[', ']', ':', '::', '.', '%', '0', '1', '12', '255', '256', 'ffff', 'FfF', 'g', 'eth0', '65535', '65536'), { maxLength: 16 });
    fc.assert(
      fc.property(fc.oneof(endpointish.map((parts) => parts.join('')), wireText(8)), (text) => {
        checkResult(parseEndpoint(text), (endpoint) => parseEndpoint(formatEndpoint(endpoint)));
      }),
      runs,
    );
  });

  it('parseUserList: any text', { timeout: fuzzTimeout }, () => {
    fc.assert(
      fc.property(fc.oneof(listText(), wireText()), (text) => {
        checkResult(parseUserList(text), (entries) => parseUserList(valueOf(formatUserList(entries))));
      }),
      runs,
    );
  });

  it('parseListExtension: any text, shaped like it or not', { timeout: fuzzTimeout }, () => {
    const header = fc.array(fc.constantFrom('seq=0', 'seq=7', 'seq=-1', 'seq=', 'hb=500', 'hb=0', 'x=1', ''), { maxLength: 3 });
    const entry = fc.oneof(fc.constantFrom('0', '1', '1s', '0s', '2s', '', '1a;b'), wireText(3));
    const shaped = fc
      .tuple(header, fc.option(fc.array(entry, { maxLength: 4 })))
      .map(([fields, entries]) => fields.join(',') + (entries === null ? '' : '\n' + entries.join(',')));
    const reencode = (extension: ListExtension): Result<ListExtension> => {
      const text = formatListExtension(extension);
      return text.ok ? parseListExtension(text.value) : text;
    };
    fc.assert(
      fc.property(fc.oneof(fc.json(), shaped, wireText()), (text) => {
        checkResult(parseListExtension(text), reencode);
      }),
      runs,
    );
  });

  it('the BinaryWriter string reader: any bytes in any chunks', { timeout: fuzzTimeout }, () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 6 }), (chunks) => {
        const reader = createBinaryStringReader({ maxStringBytes: 64 });
        for (const chunk of chunks) checkResult(reader.push(chunk), (strings) => ({ ok: true, value: strings }));
        checkResult(reader.end(), () => ({ ok: true, value: undefined }));
      }),
      runs,
    );
  });
});

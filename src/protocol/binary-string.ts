/**
 * .NET's `BinaryWriter.Write(string)` framing, which carries the user list over TCP: the UTF-8 byte length as an
 * unsigned LEB128 number (7 bits a byte, low group first, high bit on every byte but the last), then the UTF-8.
 * `"end"` is `03 65 6E 64`; a 200-byte string starts `C8 01`.
 * @module
 */
import { type CodecLimits, resolveLimits } from './limits.js';
import { fail, ok, type Result } from './result.js';

// .NET's Read7BitEncodedInt reads at most five bytes (an Int32).
const maxPrefixBytes = 5;

const utf8 = new TextEncoder();

/** What the reader needs of a `TextDecoder` (whose type the Node typings give only as a value). */
interface Utf8Decoder {
  decode(bytes: Uint8Array, options?: { stream?: boolean }): string;
}

/**
 * Frames one string as `BinaryWriter.Write(string)` does. Unpaired surrogates become U+FFFD (`EF BF BD`), as
 * .NET's UTF-8 encoder writes them.
 */
export function encodeBinaryString(text: string): Uint8Array {
  const body = utf8.encode(text);
  const prefix: number[] = [];
  let length = body.length;
  while (length >= 0x80) {
    prefix.push((length & 0x7f) | 0x80);
    length >>>= 7;
  }
  prefix.push(length);
  const framed = new Uint8Array(prefix.length + body.length);
  framed.set(prefix, 0);
  framed.set(body, prefix.length);
  return framed;
}

/** Reads BinaryWriter strings from a TCP stream, chunk by chunk. */
export interface BinaryStringReader {
  /**
   * Feeds the next chunk, split anywhere; returns every string this chunk completed. After an error every later
   * call returns that same error. An error found after strings were completed in the same chunk is reported by
   * the next call, so that no completed string is lost and every way of splitting a stream reads the same.
   */
  push(chunk: Uint8Array): Result<string[]>;
  /** The stream ended: fails with `truncated` when a string was started but not finished, or with the earlier error. */
  end(): Result<void>;
}

/**
 * Starts a reader. Fails with `frame-too-long` when a length prefix announces more than `maxStringBytes` (or runs
 * past five bytes), `invalid-utf8` when a string is not UTF-8, `truncated` when the stream ends inside a string.
 * A BOM at the start of a string is kept as U+FEFF, as .NET's reader keeps it.
 *
 * A string that spans chunks is decoded as its bytes arrive (a streaming UTF-8 decoder, pieces joined once at its
 * end): memory follows the bytes received, not the length announced, and no chunk is copied or read twice.
 */
export function createBinaryStringReader(limits?: Partial<CodecLimits>): BinaryStringReader {
  const { maxStringBytes } = resolveLimits(limits);
  const whole: Utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let error: Result<never> | undefined;
  let read = 0; // strings completed so far, to number them in reasons
  // The length prefix being read: bytes seen, value so far.
  let prefixBytes = 0;
  let length = 0;
  // The string being received across chunks, once its length is known: its decoder, pieces, bytes still to come.
  let partial: { decoder: Utf8Decoder; pieces: string[]; total: number; remaining: number } | undefined;

  const invalid = (): Result<never> => fail('invalid-utf8', `string ${read + 1} of the stream is not valid UTF-8`);

  const decode = (decoder: Utf8Decoder, bytes: Uint8Array, stream: boolean): string | undefined => {
    try {
      return decoder.decode(bytes, { stream });
    } catch {
      return undefined;
    }
  };

  /** Reads `chunk` into `strings`; returns the failure that stopped it, if one did. */
  const consume = (chunk: Uint8Array, strings: string[]): Result<never> | undefined => {
    let at = 0;
    while (at < chunk.length) {
      if (partial === undefined) {
        // Reading the length prefix; `length` grows by multiplication because 35 bits overflow `<<`.
        const byte = chunk[at++] ?? 0;
        length += (byte & 0x7f) * 2 ** (7 * prefixBytes);
        prefixBytes++;
        if (length > maxStringBytes) {
          return fail('frame-too-long', `string ${read + 1} announces ${length}+ bytes; the limit is ${maxStringBytes}`);
        }
        if (byte & 0x80) {
          if (prefixBytes === maxPrefixBytes) {
            return fail('frame-too-long', `the length prefix of string ${read + 1} runs past ${maxPrefixBytes} bytes`);
          }
          continue;
        }
        prefixBytes = 0;
        if (chunk.length - at >= length) {
          // The whole body is in this chunk: decode it in place.
          const text = decode(whole, chunk.subarray(at, at + length), false);
          if (text === undefined) return invalid();
          at += length;
          length = 0;
          read++;
          strings.push(text);
          continue;
        }
        partial = { decoder: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }), pieces: [], total: length, remaining: length };
        length = 0;
      }
      const take = Math.min(partial.remaining, chunk.length - at);
      partial.remaining -= take;
      const last = partial.remaining === 0;
      // Decoded at once: a socket may reuse its chunks, and the decoder keeps a split character's bytes itself.
      const piece = decode(partial.decoder, chunk.subarray(at, at + take), !last);
      if (piece === undefined) return invalid();
      partial.pieces.push(piece);
      at += take;
      if (last) {
        strings.push(partial.pieces.join(''));
        partial = undefined;
        read++;
      }
    }
    return undefined;
  };

  return {
    push(chunk) {
      if (error !== undefined) return error;
      const strings: string[] = [];
      const failure = consume(chunk, strings);
      if (failure !== undefined) {
        error = failure;
        // Hand over what this chunk completed now; the error waits for the next call.
        return strings.length > 0 ? ok(strings) : failure;
      }
      return ok(strings);
    },
    end() {
      if (error !== undefined) return error;
      if (prefixBytes > 0 || partial !== undefined) {
        const got = partial === undefined ? 'inside its length prefix' : `after ${partial.total - partial.remaining} of ${partial.total} bytes`;
        error = fail('truncated', `the stream ended in string ${read + 1}, ${got}`);
        return error;
      }
      return ok(undefined);
    },
  };
}

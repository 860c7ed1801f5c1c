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
 */
export function createBinaryStringReader(limits?: Partial<CodecLimits>): BinaryStringReader {
  const { maxStringBytes } = resolveLimits(limits);
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let error: Result<never> | undefined;
  let read = 0; // strings completed so far, to number them in reasons
  // The length prefix being read: bytes seen, value so far.
  let prefixBytes = 0;
  let length = 0;
  // The body being filled, once its length is known and it did not fit in one chunk.
  let body: Uint8Array | undefined;
  let filled = 0;

  const decode = (bytes: Uint8Array): Result<string> => {
    try {
      return ok(decoder.decode(bytes));
    } catch {
      return fail('invalid-utf8', `string ${read + 1} of the stream is not valid UTF-8`);
    }
  };

  /** Reads `chunk` into `strings`; returns the failure that stopped it, if one did. */
  const consume = (chunk: Uint8Array, strings: string[]): Result<never> | undefined => {
    let at = 0;
    while (at < chunk.length) {
      if (body === undefined) {
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
          const text = decode(chunk.subarray(at, at + length));
          if (!text.ok) return text;
          at += length;
          length = 0;
          read++;
          strings.push(text.value);
          continue;
        }
        // Copied, not kept as views: a socket may reuse its chunks. At most maxStringBytes.
        body = new Uint8Array(length);
        filled = 0;
      }
      const take = Math.min(body.length - filled, chunk.length - at);
      body.set(chunk.subarray(at, at + take), filled);
      filled += take;
      at += take;
      if (filled === body.length) {
        const text = decode(body);
        if (!text.ok) return text;
        body = undefined;
        length = 0;
        read++;
        strings.push(text.value);
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
      if (prefixBytes > 0 || body !== undefined) {
        const got = body === undefined ? 'inside its length prefix' : `after ${filled} of ${body.length} bytes`;
        error = fail('truncated', `the stream ended in string ${read + 1}, ${got}`);
        return error;
      }
      return ok(undefined);
    },
  };
}

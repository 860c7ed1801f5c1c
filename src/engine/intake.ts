/**
 * Where a datagram becomes a message: decode it, and turn anything malformed into a counted, logged rejection
 * instead of an exception. Shared by the server and the peer, which both must survive any datagram.
 * @module
 */
import { decodeDatagram, type CodecLimits, type Message } from '../protocol/index.js';
import { formatAddress, type SocketAddress } from '../transport/index.js';
import type { Counters } from './counters.js';
import type { LogEntry } from './types.js';

/** Decodes one datagram; on success returns the message, on failure counts and logs it and returns undefined. */
export const intake = (
  bytes: Uint8Array,
  from: SocketAddress,
  counters: Counters,
  log: (entry: LogEntry) => void,
  limits?: Partial<CodecLimits>,
): Message | undefined => {
  counters.add('datagramsIn');
  const decoded = decodeDatagram(bytes, limits);
  if (decoded.ok) return decoded.value;
  counters.add('rejected');
  counters.add(`rejected.${decoded.error.code}`);
  log({
    at: Date.now(),
    level: 'warn',
    kind: 'rejected',
    text: `rejected a ${bytes.byteLength}-byte datagram from ${formatAddress(from)}: ${decoded.error.reason}`,
  });
  return undefined;
};

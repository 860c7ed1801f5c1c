/**
 * The peer's side of the TCP list fetch: connect to the server, read the classic list string and, from an imstate
 * server, the list extension that follows it; the server closes. Raw strings go to the peer machine, which parses.
 * @module
 */
import { createBinaryStringReader, formatEndpoint, type CodecLimits } from '../protocol/index.js';
import type { Network, SocketAddress } from '../transport/index.js';
import type { FetchedList } from '../../machines/peer.wire.js';


/**
 * Fetches the list from `to`. Resolves when the server closes after at least one string; rejects with a readable
 * Error when the connection fails, the stream is malformed or truncated, or the server closes without a list.
 * Aborting `signal` destroys the connection.
 */
export const fetchList = (
  network: Network,
  to: SocketAddress,
  options: { readonly signal?: AbortSignal; readonly timeoutMs?: number; readonly limits?: Partial<CodecLimits> } = {},
): Promise<FetchedList> =>
  new Promise<FetchedList>((resolve, reject) => {
    const reader = createBinaryStringReader(options.limits);
    const strings: string[] = [];
    const where = formatEndpoint(to);
    const subscription = network.tcpConnect(to, { timeoutMs: options.timeoutMs }).subscribe({
      next(chunk) {
        const read = reader.push(chunk);
        if (!read.ok) {
          queueMicrotask(() => subscription.unsubscribe());
          reject(new Error(`the user list from ${where} is malformed: ${read.error.reason}`));
          return;
        }
        strings.push(...read.value);
      },
      error: (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))),
      complete() {
        const end = reader.end();
        const [list, extension] = strings;
        if (!end.ok) reject(new Error(`the user list from ${where} was cut short: ${end.error.reason}`));
        else if (list === undefined) reject(new Error(`${where} closed the connection without sending the user list`));
        else resolve(extension === undefined ? { list } : { list, extension });
      },
    });
    options.signal?.addEventListener('abort', () => subscription.unsubscribe(), { once: true });
  });

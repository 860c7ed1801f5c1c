/**
 * The server's side of the TCP list fetch: the classic list as one BinaryWriter string, then the compact list
 * extension as a second string (the original client reads one string and closes, so it never sees the second), then
 * close.
 *
 * Encoded once: the bytes of both strings are kept for the presence state they were made from (an immutable value,
 * so the same state means the same list) and every fetch until the next change writes that one buffer, without
 * copying it. A list the encoder refuses (a user the wire cannot carry, more users than `maxListEntries`) is never
 * replaced by a shorter or empty one: the connection is closed without a list, and the refusal is logged and counted
 * once per state, so that the peer's fetch fails honestly instead of believing a wrong list.
 * @module
 */
import { encodeBinaryString } from '../protocol/binary-string.js';
import { formatListExtensionHeader, formatListExtensionUser } from '../protocol/list-extension.js';
import { fail, ok, type ProtocolError, type Result } from '../protocol/result.js';
import type { CodecLimits } from '../protocol/limits.js';
import { classicListEntry, listExtensionUser } from '../presence/classic.js';
import { forEachUser, presenceSeq, presenceSize, type PresenceState } from '../presence/index.js';
import { resolveLimits } from '../protocol/limits.js';
import type { TcpConnection } from '../transport/index.js';

/**
 * Encodes the list of `presence` as the bytes a fetch gets: both BinaryWriter strings, back to back. Fails with
 * `too-many-entries` over `limits.maxListEntries`, or the error of the first user the wire cannot carry.
 */
export const encodeListResponse = (
  presence: PresenceState,
  heartbeatMs: number | undefined,
  limits?: Partial<CodecLimits>,
): Result<Uint8Array> => {
  const { maxListEntries } = resolveLimits(limits);
  const size = presenceSize(presence);
  if (size > maxListEntries) {
    return fail('too-many-entries', `the user list has ${size} entries; the limit is ${maxListEntries}`);
  }
  const classic: string[] = [];
  const extension: string[] = [];
  let refused: ProtocolError | undefined;
  forEachUser(presence, (user) => {
    if (refused !== undefined) return;
    const entry = classicListEntry(user);
    if (!entry.ok) {
      refused = { ...entry.error, reason: `user list entry ${classic.length + 1}: ${entry.error.reason}` };
      return;
    }
    classic.push(entry.value);
    extension.push(formatListExtensionUser(listExtensionUser(user)));
  });
  if (refused !== undefined) return { ok: false, error: refused };
  const header = formatListExtensionHeader(presenceSeq(presence), heartbeatMs);
  const list = encodeBinaryString(classic.join('') + 'end');
  const more = encodeBinaryString(extension.length === 0 ? header : `${header}\n${extension.join(',')}`);
  const bytes = new Uint8Array(list.length + more.length);
  bytes.set(list, 0);
  bytes.set(more, list.length);
  return ok(bytes);
};

/** Serves the list to each TCP connection, from the bytes encoded for the current state. */
export interface ListServer {
  /**
   * Writes the list of `presence` (with `hb=<heartbeatMs>` when given) to `connection` and ends it; returns false
   * when the encoder refused that list and the connection was ended without one.
   */
  serve(connection: TcpConnection, presence: PresenceState, heartbeatMs: number | undefined): boolean;
  /**
   * Keeps `connection` until the machine says to serve it (a fetch may prove a pending login, and is answered once
   * that login is listed); returns the id its `list.requested` event carries.
   */
  hold(connection: TcpConnection): number;
  /** Serves the held fetch `id` as {@link ListServer.serve} does; undefined when no such fetch is held. */
  serveHeld(id: number, presence: PresenceState, heartbeatMs: number | undefined): boolean | undefined;
  /** Ends every held fetch without a list (the server is stopping). */
  dropHeld(): void;
}

/** Options of {@link createListServer}. */
export interface ListServerOptions {
  readonly limits?: Partial<CodecLimits>;
  /** Told once per presence state whose list the encoder refused (the engine logs and counts it). */
  readonly refused: (error: ProtocolError, seq: number) => void;
}

/** Creates a {@link ListServer} that keeps the encoded list of the last state it served. */
export const createListServer = (options: ListServerOptions): ListServer => {
  let cached: { presence: PresenceState; heartbeatMs: number | undefined; bytes: Result<Uint8Array> } | undefined;
  const held = new Map<number, TcpConnection>();
  let nextId = 1;
  const serve = (connection: TcpConnection, presence: PresenceState, heartbeatMs: number | undefined): boolean => {
    if (cached?.presence !== presence || cached.heartbeatMs !== heartbeatMs) {
      const bytes = encodeListResponse(presence, heartbeatMs, options.limits);
      cached = { presence, heartbeatMs, bytes };
      if (!bytes.ok) options.refused(bytes.error, presenceSeq(presence));
    }
    if (cached.bytes.ok) connection.write(cached.bytes.value);
    connection.end();
    return cached.bytes.ok;
  };
  return {
    serve,
    hold(connection) {
      const id = nextId++;
      held.set(id, connection);
      return id;
    },
    serveHeld(id, presence, heartbeatMs) {
      const connection = held.get(id);
      if (connection === undefined) return undefined;
      held.delete(id);
      return serve(connection, presence, heartbeatMs);
    },
    dropHeld() {
      for (const connection of held.values()) connection.destroy();
      held.clear();
    },
  };
};

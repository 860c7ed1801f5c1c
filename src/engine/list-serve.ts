/**
 * The server's side of the TCP list fetch: write the classic list as one BinaryWriter string, then the list extension
 * as a second string (the original client reads one string and closes, so it never sees the second), then close.
 * @module
 */
import { encodeBinaryString, formatListExtension } from '../protocol/index.js';
import { snapshotToClassicList, snapshotToListExtension } from '../presence/classic.js';
import type { Snapshot } from '../presence/types.js';
import type { TcpConnection } from '../transport/index.js';

/** Writes `snapshot` to `connection` in both forms and ends it. `heartbeatMs` is advertised in the extension. */
export const serveList = (connection: TcpConnection, snapshot: Snapshot, heartbeatMs: number | undefined): void => {
  connection.write(encodeBinaryString(snapshotToClassicList(snapshot)));
  const extension = snapshotToListExtension(snapshot);
  connection.write(
    encodeBinaryString(formatListExtension(heartbeatMs === undefined ? extension : { ...extension, heartbeatMs })),
  );
  connection.end();
};

/**
 * `--store redis://host:port[/db]`: where a shared presence log lives. Parsed once at the edge into a typed value;
 * anything else is a {@link StoreError} whose message says what to write instead.
 * @module
 */

/** A Redis (or Valkey) server and database to keep the shared presence log in. */
export interface StoreAddress {
  readonly host: string;
  readonly port: number;
  readonly db: number;
}

/** Every distinct way the shared store can fail. */
export type StoreErrorCode = 'bad-store' | 'unreachable' | 'closed';

/** A store that cannot be used: a bad `--store`, a Redis that does not answer, a log already closed. */
export class StoreError extends Error {
  override readonly name = 'StoreError' as const;
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

const EXAMPLE = 'write it as redis://host:port or redis://host:port/db, e.g. redis://127.0.0.1:6379';

/** Parses `redis://host:port[/db]` (port default 6379, db default 0); throws a {@link StoreError} otherwise. */
export const parseStoreUrl = (text: string): StoreAddress => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new StoreError('bad-store', `"${text}" is not a store address — ${EXAMPLE}`);
  }
  if (url.protocol !== 'redis:') throw new StoreError('bad-store', `"${text}" is not a redis:// address — ${EXAMPLE}`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new StoreError('bad-store', `"${text}" names no host — ${EXAMPLE}`);
  const port = url.port === '' ? 6379 : Number(url.port);
  const path = url.pathname.replace(/^\//, '');
  const db = path === '' ? 0 : Number(path);
  if (!Number.isInteger(db) || db < 0 || !/^\d*$/.test(path)) {
    throw new StoreError('bad-store', `"${text}": the database "${path}" is not a number — ${EXAMPLE}`);
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new StoreError('bad-store', `"${text}": only host, port and database are understood — ${EXAMPLE}`);
  }
  return { host, port, db };
};

/** The address as `host:port/db`, for log lines. */
export const formatStore = ({ host, port, db }: StoreAddress): string => `${host.includes(':') ? `[${host}]` : host}:${port}/${db}`;

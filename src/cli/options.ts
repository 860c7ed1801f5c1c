/**
 * The options of `imstate server` and `imstate peer`: their types, defaults, and the parsers commander runs on
 * each value so that a typo is refused before any socket is opened.
 * @module
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { InvalidArgumentError } from 'commander';
import { formatEndpoint } from '../protocol/index.js';
import { parseStoreUrl, StoreError } from '../engine/redis/store-url.js';

/** The index server's well-known UDP port, as in the original program's server window. */
export const DEFAULT_SERVER_PORT = 9000;
/** Where peers look for the index server unless told otherwise. */
export const DEFAULT_SERVER = `127.0.0.1:${DEFAULT_SERVER_PORT}`;
/** Loopback: nothing is exposed to the network unless asked for. */
export const DEFAULT_HOST = '127.0.0.1';

/** `imstate server` after parsing. */
export interface ServerCommandOptions {
  readonly host: string;
  readonly port: number;
  readonly tcpPort: number;
  readonly json: boolean;
  /** `redis://host:port[/db]`: share presence with the other servers on that store; undefined keeps it in-process. */
  readonly store?: string | undefined;
  /** The server's lease in the store, in ms; undefined leaves the engine's default. */
  readonly leaseMs?: number | undefined;
  /** How often imstate peers ping, in ms (they take the server as gone after 3 unanswered); undefined: the default. */
  readonly heartbeatMs?: number | undefined;
  /** `--nat`: serve logins at their observed source (the trust option `natSource`). */
  readonly nat?: boolean;
  /** `--users-per-host`: sessions at most on one IP (the trust option `maxSessionsPerAddress`); undefined: the default. */
  readonly usersPerHost?: number | undefined;
  /** `--logins-per-second`: logins one IP earns back each second (`loginsPerSecond`); undefined: the default. */
  readonly loginsPerSecond?: number | undefined;
  /** `--pings-per-second`: pings and logouts one IP earns back each second (`pingsPerSecond`); undefined: the default. */
  readonly pingsPerSecond?: number | undefined;
}

/** `imstate peer` after parsing. */
export interface PeerCommandOptions {
  readonly name: string;
  readonly server: string;
  readonly host: string;
  readonly port: number;
  /** Login tries; undefined leaves the engine's default. */
  readonly tries: number | undefined;
  readonly json: boolean;
  /** Keep conversations (and the outbox) on disk; `--no-history` turns it off. */
  readonly history: boolean;
}

const parseInteger = (value: string, what: string, min: number, max: number): number => {
  // Number('') is 0 and Number('1e3') is 1000: only plain digits are a port or a count.
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`${what} must be a whole number, got "${value}".`);
  const n = Number(value.trim());
  if (n < min || n > max) throw new InvalidArgumentError(`${what} must be between ${min} and ${max}, got ${n}.`);
  return n;
};

/** A port to listen on: 0–65535, where 0 asks the system for a free one. */
export const parseListenPort = (value: string): number => parseInteger(value, 'A port', 0, 65535);

/** How many times to try logging in: 1–100. */
export const parseTries = (value: string): number => parseInteger(value, 'The number of tries', 1, 100);

/** `--store`: a `redis://host:port[/db]` address, checked here so that a typo is refused before anything starts. */
export const parseStore = (value: string): string => {
  try {
    parseStoreUrl(value.trim());
  } catch (error) {
    if (error instanceof StoreError) throw new InvalidArgumentError(`${error.message}.`);
    throw error;
  }
  return value.trim();
};

/** `--lease <seconds>`: 1–300 s, returned in ms. */
export const parseLease = (value: string): number => parseInteger(value, 'The lease', 1, 300) * 1_000;

/** `--heartbeat <seconds>`: 1–300 s, returned in ms. */
export const parseHeartbeat = (value: string): number => parseInteger(value, 'The heartbeat', 1, 300) * 1_000;

/** `--users-per-host <count>`: 1–1,000,000 sessions on one IP address. */
export const parseUsersPerHost = (value: string): number => parseInteger(value, 'The users per host', 1, 1_000_000);

/** `--logins-per-second` and `--pings-per-second`: 1–1,000,000 a second for one IP address. */
export const parsePerSecond = (value: string): number => parseInteger(value, 'The rate per host', 1, 1_000_000);

/** An address to bind: a literal IPv4 or IPv6 address (the wire prints endpoints as addresses, never names). */
export const parseHost = (value: string): string => {
  const host = value.trim();
  if (isIP(host) === 0) throw new InvalidArgumentError(`"${value}" is not an IP address (try 127.0.0.1 or ::1).`);
  return host;
};

/** A host name as DNS writes it (`localhost`, `chat.example.org`): letters, digits, hyphens, dots. */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

/**
 * The index server's address: `host:port`, `[v6]:port`, `name:port` (resolved later by {@link resolveServerAddress}),
 * or a bare port meaning `127.0.0.1:port`. Returns it in the wire's own form (`127.0.0.1:9000`, `[::1]:9000`).
 */
export const parseServerAddress = (value: string): string => {
  const text = value.trim();
  if (/^\d+$/.test(text)) return `${DEFAULT_HOST}:${parseInteger(text, 'The server port', 1, 65535)}`;
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(text);
  const plain = /^([^:[\]]+):(\d+)$/.exec(text);
  const match = bracketed ?? plain;
  if (match === null && bracketed === null && text.split(':').length > 2) {
    throw new InvalidArgumentError(`Write an IPv6 server in brackets, e.g. [::1]:9000 (got "${value}").`);
  }
  if (match === null || match[1] === undefined || match[2] === undefined) {
    throw new InvalidArgumentError(`"${value}" is not a server address (write 127.0.0.1:9000, localhost:9000 or [::1]:9000).`);
  }
  const host = match[1];
  const family = isIP(host);
  if (family === 0 && (bracketed !== null || !HOST_NAME.test(host))) {
    throw new InvalidArgumentError(`"${host}" in "${value}" is neither an IP address nor a host name.`);
  }
  const port = parseInteger(match[2], 'The server port', 1, 65535);
  return formatEndpoint({ address: host, port, family: family === 6 ? 'IPv6' : 'IPv4' });
};

/** A server address that names a host which cannot be found. */
export class UnknownHostError extends Error {
  override readonly name = 'UnknownHostError';
}

/**
 * The server address with its host name looked up (IPv4 first, since servers listen on 127.0.0.1 by default and
 * `localhost` may list ::1 first). Addresses already in IP form come back unchanged. Rejects with an
 * {@link UnknownHostError} whose message is for a person.
 */
export const resolveServerAddress = async (
  address: string,
  resolve: (host: string) => Promise<readonly { address: string; family: number }[]> = (host) => lookup(host, { all: true }),
): Promise<string> => {
  const match = /^([^:[\]]+):(\d+)$/.exec(address);
  if (match === null || match[1] === undefined || isIP(match[1]) !== 0) return address;
  const [, host, port] = match;
  let found: readonly { address: string; family: number }[];
  try {
    found = await resolve(host);
  } catch (cause) {
    throw new UnknownHostError(`cannot find the server "${host}" (${cause instanceof Error ? cause.message : String(cause)}) — check --server`, { cause });
  }
  const chosen = found.find((entry) => entry.family === 4) ?? found[0];
  if (chosen === undefined) throw new UnknownHostError(`cannot find the server "${host}" — check --server`);
  return formatEndpoint({ address: chosen.address, port: Number(port), family: chosen.family === 6 ? 'IPv6' : 'IPv4' });
};

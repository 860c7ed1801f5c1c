/**
 * The options of `imstate server` and `imstate peer`: their types, defaults, and the parsers commander runs on
 * each value so that a typo is refused before any socket is opened.
 * @module
 */
import { isIP } from 'node:net';
import { InvalidArgumentError } from 'commander';

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

/** An address to bind: a literal IPv4 or IPv6 address (the wire prints endpoints as addresses, never names). */
export const parseHost = (value: string): string => {
  const host = value.trim();
  if (isIP(host) === 0) throw new InvalidArgumentError(`"${value}" is not an IP address (try 127.0.0.1 or ::1).`);
  return host;
};

/**
 * The index server's address: `host:port`, `[v6]:port`, or a bare port meaning `127.0.0.1:port`.
 * Returns it in the wire's own form (`127.0.0.1:9000`, `[::1]:9000`).
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
    throw new InvalidArgumentError(`"${value}" is not a server address (write 127.0.0.1:9000 or [::1]:9000).`);
  }
  const host = match[1];
  const family = isIP(host);
  if (family === 0) throw new InvalidArgumentError(`"${host}" in "${value}" is not an IP address.`);
  const port = parseInteger(match[2], 'The server port', 1, 65535);
  return family === 6 ? `[${host}]:${port}` : `${host}:${port}`;
};

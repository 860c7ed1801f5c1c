/**
 * Who may read the inspector. Actor contexts hold user names, endpoints and message text, so a web page the user
 * happens to visit must not be able to read them: bound to loopback, the inspector answers only requests whose
 * `Host` names loopback (which defeats DNS rebinding) and WebSocket upgrades whose `Origin`, when a browser sends
 * one, is the inspector's own page.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

const LOOPBACK_NAMES: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** True for a host a browser on another machine cannot reach: `localhost`, 127.0.0.0/8, `::1`. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (LOOPBACK_NAMES.has(bare)) return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/** Splits a `Host` header or URL authority into host and port; `undefined` when it is not one. */
export function splitAuthority(authority: string): { host: string; port: string } | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(authority);
  if (!match?.[1]) return undefined;
  return { host: match[1].toLowerCase(), port: match[2] ?? '80' };
}

/**
 * True when an HTTP request may be answered: always when the inspector was bound to a non-loopback address on
 * purpose; otherwise only for a loopback `Host` with the inspector's port.
 */
export function hostAllowed(req: IncomingMessage, boundHost: string, port: number): boolean {
  if (!isLoopbackHost(boundHost)) return true;
  const authority = splitAuthority(req.headers.host ?? '');
  return authority !== undefined && isLoopbackHost(authority.host) && authority.port === String(port);
}

/**
 * True when a WebSocket upgrade may proceed: the host check, and an `Origin` (browsers always send one) naming the
 * same host and port as `Host`. Programs that send no `Origin` (tests, scripts) are let in.
 */
export function upgradeAllowed(req: IncomingMessage, boundHost: string, port: number): boolean {
  if (!hostAllowed(req, boundHost, port)) return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === (req.headers.host ?? '').toLowerCase();
}

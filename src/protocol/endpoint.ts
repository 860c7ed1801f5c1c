/**
 * Endpoints as .NET's `IPEndPoint.ToString()` writes them: `127.0.0.1:5001` and `[::1]:5001`. The original reads
 * them with `Split(':')`, so it can never see an IPv6 endpoint; ours reads both.
 * @module
 */
import { canonicalIPv6, parseIPv4 } from './ip-address.js';
import type { Endpoint } from './message.js';
import { fail, ok, quote, type Result } from './result.js';

const portPattern = /^[1-9]\d{0,4}$/;

/** Reads a port as .NET prints one: decimal digits, no sign, no leading zero, 1–65535. Fails with `bad-port`. */
export function parsePort(text: string): Result<number> {
  if (text.length === 0) return fail('bad-port', 'the port is missing');
  const port = portPattern.test(text) ? Number(text) : NaN;
  if (!(port <= 65535)) {
    return fail('bad-port', `the port ${quote(text)} is not a whole number from 1 to 65535 (without leading zeros)`);
  }
  return ok(port);
}

/**
 * Reads `1.2.3.4:5` or `[::1]:5`. The IPv4 address must be dotted decimal without leading zeros; the IPv6 address
 * may be spelled any RFC 4291 way and comes back in .NET's canonical form (so equal addresses compare equal).
 * Fails with `bad-endpoint` for the address or the shape, `bad-port` for the port.
 */
export function parseEndpoint(text: string): Result<Endpoint> {
  if (text.length === 0) return fail('bad-endpoint', 'the endpoint is empty');
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return fail('bad-endpoint', `the endpoint ${quote(text)} has no closing ']'`);
    if (text.charAt(close + 1) !== ':') {
      return fail('bad-endpoint', `the endpoint ${quote(text)} has no ':port' after ']'`);
    }
    const address = canonicalIPv6(text.slice(1, close));
    if (address === undefined) {
      return fail('bad-endpoint', `${quote(text.slice(1, close))} is not an IPv6 address`);
    }
    const port = parsePort(text.slice(close + 2));
    return port.ok ? ok({ family: 'IPv6', address, port: port.value }) : port;
  }
  const colon = text.lastIndexOf(':');
  if (colon < 0) return fail('bad-endpoint', `the endpoint ${quote(text)} has no port (expected address:port)`);
  const address = text.slice(0, colon);
  if (address.includes(':')) {
    return fail('bad-endpoint', `the endpoint ${quote(text)} looks like IPv6 but is not in brackets ([address]:port)`);
  }
  if (parseIPv4(address) === undefined) return fail('bad-endpoint', `${quote(address)} is not an IPv4 address`);
  const port = parsePort(text.slice(colon + 1));
  return port.ok ? ok({ family: 'IPv4', address, port: port.value }) : port;
}

/** Prints an endpoint exactly as .NET does: `127.0.0.1:5001`, `[::1]:5001`. Assumes a valid endpoint. */
export function formatEndpoint(endpoint: Endpoint): string {
  return endpoint.family === 'IPv6'
    ? `[${endpoint.address}]:${endpoint.port}`
    : `${endpoint.address}:${endpoint.port}`;
}

/**
 * Checks an endpoint built by hand before it goes on the wire: the family matches the address, the port is 1–65535.
 * Returns it with an IPv6 address in canonical form. Fails with `bad-endpoint` or `bad-port`.
 */
export function validateEndpoint(endpoint: Endpoint): Result<Endpoint> {
  const { family, address, port } = endpoint;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return fail('bad-port', `the port ${String(port)} is not a whole number from 1 to 65535`);
  }
  if (family === 'IPv4') {
    return parseIPv4(address) === undefined
      ? fail('bad-endpoint', `${quote(String(address))} is not an IPv4 address`)
      : ok(endpoint);
  }
  const canonical = family === 'IPv6' ? canonicalIPv6(address) : undefined;
  if (canonical === undefined) return fail('bad-endpoint', `${quote(String(address))} is not an ${String(family)} address`);
  return canonical === address ? ok(endpoint) : ok({ family, address: canonical, port });
}

/**
 * Builds an endpoint from a Node socket address (`rinfo.address`, `socket.remoteAddress`): the family follows from
 * the text, an IPv6 address is put in .NET's form, a scope (`%eth0`) is kept. Text that is no address is kept as
 * it is, for {@link validateEndpoint} to refuse.
 */
export function endpointFrom(address: string, port: number): Endpoint {
  if (!address.includes(':')) return { family: 'IPv4', address, port };
  return { family: 'IPv6', address: canonicalIPv6(address) ?? address, port };
}

/**
 * Small helpers about addresses shared by both networks: which family a host is, and how to print an endpoint.
 * @module
 */
import { isIPv6 } from 'node:net';
import { formatEndpoint } from '../protocol/endpoint.js';
import type { SocketAddress } from './types.js';

/** `localhost` as `127.0.0.1`, so that UDP and TCP bind the same address (Node may resolve it to `::1` for TCP). */
export const resolveHost = (host: string): string => (host === 'localhost' ? '127.0.0.1' : host);

/** The address family a bind host implies: IPv6 for an IPv6 literal, IPv4 for anything else (`localhost` too). */
export const familyOf = (host: string): 'IPv4' | 'IPv6' => (isIPv6(host) ? 'IPv6' : 'IPv4');

/**
 * Prints an address as C# `IPEndPoint.ToString()` does: `127.0.0.1:5001`, `[::1]:5001` (the protocol's printer; the
 * family is read from the address, so a bind host given as text prints too).
 */
export const formatAddress = (address: { readonly address: string; readonly port: number; readonly family?: string }): string =>
  formatEndpoint({
    address: address.address,
    port: address.port,
    // A socket's own address (and every datagram's rinfo) says its family: reading it beats matching the IPv6 pattern.
    family: address.family === 'IPv4' || address.family === 'IPv6' ? address.family : familyOf(address.address),
  });

/** Builds a {@link SocketAddress}, taking the family from the address itself. */
export const socketAddress = (address: string, port: number): SocketAddress => ({
  address,
  port,
  family: familyOf(address),
});

/** True when two socket addresses name the same endpoint. */
export const sameAddress = (a: SocketAddress, b: SocketAddress): boolean =>
  a.port === b.port && a.address === b.address;

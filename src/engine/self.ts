/**
 * The index server's own UDP endpoint, as a hostile datagram could name it. A `login` naming the server's endpoint
 * would make the server send its `Accept` and every broadcast to itself, read them back as logins and logouts, and
 * talk to itself forever, replacing real users as it goes; one spoofed datagram was enough. So the server refuses such
 * a login, never sends to itself, and drops whatever comes from its own socket.
 * @module
 */
import { networkInterfaces } from 'node:os';
import { canonicalIPv6 } from '../protocol/ip-address.js';
import type { Message } from '../protocol/index.js';
import type { SocketAddress } from '../transport/index.js';

const isWildcard = (address: string): boolean => address === '0.0.0.0' || address === '::';
const isLoopback = (address: string): boolean => address === '::1' || address.startsWith('127.');

/** An address in one spelling: IPv6 canonical and without a zone, IPv4-mapped IPv6 as IPv4. */
const canonical = (address: string): string => {
  const bare = address.split('%', 1)[0] ?? address;
  if (!bare.includes(':')) return bare;
  const v6 = canonicalIPv6(bare) ?? bare;
  return v6.startsWith('::ffff:') && v6.includes('.') ? v6.slice('::ffff:'.length) : v6;
};

/** The addresses this host answers on, for a server bound to the wildcard. */
const hostAddresses = (): Set<string> => {
  const addresses = new Set<string>();
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) addresses.add(canonical(entry.address));
  }
  return addresses;
};

/**
 * A test for "is this the server's own endpoint?", given where its UDP socket is bound. For a specific address it is
 * that address (or the wildcard) and the port; for the wildcard, the port on any address of this host.
 */
export const ownEndpoint = (local: SocketAddress): ((endpoint: { address: string; port: number }) => boolean) => {
  if (!isWildcard(local.address)) {
    const bound = canonical(local.address);
    // Sent to the wildcard, a datagram goes to this host (Linux delivers it on loopback).
    return ({ address, port }) => port === local.port && (canonical(address) === bound || isWildcard(canonical(address)));
  }
  const addresses = hostAddresses();
  return ({ address, port }) => {
    if (port !== local.port) return false;
    const spelled = canonical(address);
    return isWildcard(spelled) || isLoopback(spelled) || addresses.has(spelled);
  };
};

/** Why a datagram aims at the server itself, in a word (`from-self`, `own-endpoint`) and a sentence for the log. */
export interface SelfAim {
  readonly code: 'from-self' | 'own-endpoint';
  readonly text: string;
}

/**
 * Whether a datagram aims at the server itself: it came from the server's own socket, or it is a login naming the
 * server's endpoint. `isSelf` is {@link ownEndpoint}'s test; undefined when the datagram is fine.
 */
export const aimAtSelf = (
  isSelf: (endpoint: { address: string; port: number }) => boolean,
  message: Message,
  from: SocketAddress,
): SelfAim | undefined => {
  if (isSelf(from)) return { code: 'from-self', text: "it came from the server's own socket" };
  if (message.type === 'login' && isSelf(message.endpoint)) return { code: 'own-endpoint', text: "its endpoint is the server's own" };
  return undefined;
};

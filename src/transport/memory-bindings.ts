/**
 * The in-memory network's port table: who is bound where, with the real OS's rules. Port 0 picks a free port; a
 * port taken on the same address, or by a wildcard (`0.0.0.0`, `::`), is in use; only loopback and wildcard
 * addresses exist on this "machine".
 * @module
 */
import { familyOf } from './address.js';
import type { TransportErrorCode } from './errors.js';
import type { SocketAddress } from './types.js';

const FIRST_EPHEMERAL = 49152;
const LAST_PORT = 65535;

/** The wildcard address of a family. */
export const wildcardOf = (family: 'IPv4' | 'IPv6'): string => (family === 'IPv6' ? '::' : '0.0.0.0');

/** The loopback address of a family: the source the OS picks for a socket bound to the wildcard. */
export const loopbackOf = (family: 'IPv4' | 'IPv6'): string => (family === 'IPv6' ? '::1' : '127.0.0.1');

const isWildcard = (address: string): boolean => address === '0.0.0.0' || address === '::';

/** Addresses this simulated machine has: 127.0.0.0/8, ::1, and the wildcards. */
export const isLocalAddress = (address: string): boolean =>
  isWildcard(address) || address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);

/** The outcome of a bind: the real local address, or why not. */
export type BindResult<T> =
  | { readonly ok: true; readonly local: SocketAddress; readonly owner: T }
  | { readonly ok: false; readonly code: TransportErrorCode; readonly detail: string };

/** One namespace of ports (UDP and TCP each have their own, as in the OS). */
export class BindingTable<T> {
  /** `${family}|${port}` → address → owner. */
  private readonly ports = new Map<string, Map<string, T>>();
  private nextPort = FIRST_EPHEMERAL;

  /** Binds at host:port (port 0 = the next free ephemeral port) the owner `create` makes for the real address. */
  bind<U extends T>(host: string, port: number, create: (local: SocketAddress) => U): BindResult<U> {
    if (!Number.isInteger(port) || port < 0 || port > LAST_PORT)
      return { ok: false, code: 'other', detail: `port must be an integer from 0 to ${LAST_PORT}` };
    if (!isLocalAddress(host)) return { ok: false, code: 'address-not-available', detail: 'not a loopback address' };
    const family = familyOf(host);
    const chosen = port === 0 ? this.freePort(family) : port;
    if (chosen === undefined) return { ok: false, code: 'address-in-use', detail: 'no free port left' };
    const key = `${family}|${chosen}`;
    const taken = this.ports.get(key);
    if (taken !== undefined && (isWildcard(host) || taken.has(host) || taken.has(wildcardOf(family))))
      return { ok: false, code: 'address-in-use', detail: 'simulated EADDRINUSE' };
    const local: SocketAddress = { address: host, port: chosen, family };
    const owner = create(local);
    const owners = taken ?? new Map<string, T>();
    owners.set(host, owner);
    this.ports.set(key, owners);
    return { ok: true, local, owner };
  }

  /** Frees `local` if `owner` still holds it (a later bind may have taken the port after a crash). */
  release(local: SocketAddress, owner: T): void {
    const key = `${local.family}|${local.port}`;
    const owners = this.ports.get(key);
    if (owners?.get(local.address) !== owner) return;
    owners.delete(local.address);
    if (owners.size === 0) this.ports.delete(key);
  }

  /** Who receives traffic sent to `to`: the exact binding, else a wildcard on that port. */
  lookup(to: SocketAddress): T | undefined {
    // The family is taken from the address itself, so a hand-built SocketAddress with the wrong family still routes.
    const family = familyOf(to.address);
    const owners = this.ports.get(`${family}|${to.port}`);
    if (owners === undefined) return undefined;
    return owners.get(to.address) ?? (isLocalAddress(to.address) ? owners.get(wildcardOf(family)) : undefined);
  }

  /** The owner bound exactly at `at` (no wildcard matching), for crash(). */
  exact(at: SocketAddress): T | undefined {
    return this.ports.get(`${familyOf(at.address)}|${at.port}`)?.get(at.address);
  }

  private freePort(family: 'IPv4' | 'IPv6'): number | undefined {
    const span = LAST_PORT - FIRST_EPHEMERAL + 1;
    for (let tries = 0; tries < span; tries++) {
      const port = this.nextPort;
      this.nextPort = port === LAST_PORT ? FIRST_EPHEMERAL : port + 1;
      if (!this.ports.has(`${family}|${port}`)) return port;
    }
    return undefined;
  }
}

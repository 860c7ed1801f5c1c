/**
 * Logins the server has answered with one small `Accept` but whose endpoint has not yet proven it asked: not listed,
 * not broadcast, not sent anything more. A pending login becomes a session when its host proves return routability
 * (a TCP list fetch from the endpoint's IP, or an imstate peer echoing the secret its `Accept` carried) and is
 * forgotten after `pendingMs` otherwise.
 *
 * Bounded twice: at most `maxPending` in all and `maxPendingPerAddress` naming one IP, so a spray of forged logins
 * can neither grow memory nor crowd out another host's logins. Pure (time is a parameter); the Map is owned by the
 * server machine and mutated in place, like the session directory's, because copying it per login would cost
 * O(pending) where a flood arrives.
 * @module
 */

/** One pending login. */
export interface PendingLogin {
  readonly name: string;
  /** The login's session (an imstate peer's `session=`, a classic peer's endpoint). */
  readonly session: string;
  /** The endpoint the `Accept` went to, as printed. */
  readonly endpoint: string;
  /** The endpoint's IP address (what a TCP list fetch must come from). */
  readonly address: string;
  readonly imstate: boolean;
  /** It said `batch=1`: once online it gets presence in batch datagrams. */
  readonly batch?: boolean;
  /** The secret the `Accept` carried (imstate peers only). */
  readonly secret?: string;
  /** When it was first accepted (ms). */
  readonly at: number;
}

/** The table's bounds. */
export interface PendingOptions {
  /** Pending logins at most, over all addresses. */
  readonly maxPending: number;
  /** Pending logins at most whose endpoint is on one IP address. */
  readonly maxPendingPerAddress: number;
  /** How long a login may stay pending before it is forgotten (ms). */
  readonly pendingMs: number;
}

/** Why a login cannot be added: the whole table is full, or the IP has its share. */
export type PendingRoom = 'ok' | 'pending-full' | 'pending-per-address';

/** The pending logins, by name and session. */
export interface PendingLogins {
  /** The pending login of `name` under `session`, if any. */
  find(name: string, session: string): PendingLogin | undefined;
  /** Whether a new login naming `address` fits (changes nothing: for a guard). */
  room(address: string): PendingRoom;
  /** Adds (or, for the same name and session, keeps) a pending login; call after {@link room} said `ok`. */
  add(login: PendingLogin): PendingLogin;
  /** Forgets one pending login (it was proven or refused). */
  remove(name: string, session: string): void;
  /** Every pending login whose endpoint is on `address`, oldest first. */
  onAddress(address: string): PendingLogin[];
  /** Forgets and returns every login pending for `pendingMs` or longer at `now`, oldest first. */
  expire(now: number): PendingLogin[];
  readonly size: number;
  readonly options: PendingOptions;
}

const keyOf = (name: string, session: string): string => `${name}\n${session}`;

/** Creates an empty {@link PendingLogins}. */
export const createPendingLogins = (options: PendingOptions): PendingLogins => {
  // Insertion order is acceptance order (a retransmission keeps its first place), so expiry walks from the front.
  const logins = new Map<string, PendingLogin>();
  const perAddress = new Map<string, number>();
  const forget = (key: string): PendingLogin | undefined => {
    const login = logins.get(key);
    if (login === undefined) return undefined;
    logins.delete(key);
    const left = (perAddress.get(login.address) ?? 1) - 1;
    if (left <= 0) perAddress.delete(login.address);
    else perAddress.set(login.address, left);
    return login;
  };
  return {
    options,
    get size() {
      return logins.size;
    },
    find: (name, session) => logins.get(keyOf(name, session)),
    room(address) {
      if (logins.size >= options.maxPending) return 'pending-full';
      if ((perAddress.get(address) ?? 0) >= options.maxPendingPerAddress) return 'pending-per-address';
      return 'ok';
    },
    add(login) {
      const key = keyOf(login.name, login.session);
      const known = logins.get(key);
      if (known !== undefined && known.endpoint === login.endpoint) return known;
      if (known !== undefined) forget(key);
      logins.set(key, login);
      perAddress.set(login.address, (perAddress.get(login.address) ?? 0) + 1);
      return login;
    },
    remove(name, session) {
      forget(keyOf(name, session));
    },
    onAddress(address) {
      if (!perAddress.has(address)) return [];
      return [...logins.values()].filter((login) => login.address === address);
    },
    expire(now) {
      const expired: PendingLogin[] = [];
      for (const [key, login] of logins) {
        if (now - login.at < options.pendingMs) break;
        forget(key);
        expired.push(login);
      }
      return expired;
    },
  };
};

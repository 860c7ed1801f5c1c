/**
 * The hostile sender of the chaos suite: a socket on another loopback host (127.0.0.66) spraying forged datagrams
 * at the index server for as long as it runs — logins of invented names aimed at a victim host's endpoint
 * (127.0.0.77, which only counts what it gets), logins taking over real users' names, classic and imstate logouts
 * and pings naming real users and their (public) sessions. Everything it may know, it uses: the server's
 * presence stream tells it every user's endpoint and session.
 * @module
 */
import { createRandom } from '../../src/transport/index.js';
import type { User } from '../../src/presence/types.js';
import { bindSocket } from './relay.js';

/** The attacker's host and the victim's: other hosts, as far as the server can tell. */
export const ATTACKER_HOST = '127.0.0.66';
export const VICTIM_HOST = '127.0.0.77';

/** Forgeries invent names with this prefix: none of them may ever be listed. */
export const FORGED_PREFIX = 'forged';

/** A running hostile sender. */
export interface Hostile {
  /** Forged datagrams sent so far. */
  readonly sent: number;
  /** Datagrams the victim host received, and the types of those (by first field). */
  readonly victim: { readonly received: number; readonly types: ReadonlySet<string> };
  /** Stops spraying (the victim keeps counting until close). */
  stop(): void;
  close(): Promise<void>;
}

/**
 * Starts spraying the server at `127.0.0.1:serverPort()` every `everyMs`, `burst` datagrams at a time, picking real
 * users from `users()`.
 */
export const startHostile = async (options: {
  readonly serverPort: () => number;
  readonly users: () => readonly User[];
  readonly seed: number;
  readonly everyMs?: number;
  readonly burst?: number;
}): Promise<Hostile> => {
  const random = createRandom(options.seed);
  const attacker = await bindSocket(ATTACKER_HOST);
  const victim = await bindSocket(VICTIM_HOST);
  const victimEndpoint = `${VICTIM_HOST}:${victim.address().port}`;
  const types = new Set<string>();
  let received = 0;
  victim.on('message', (bytes) => {
    received++;
    types.add(bytes.toString('utf16le').split(',', 1)[0] ?? '');
  });
  let sent = 0;
  let forged = 0;

  const forgery = (): string => {
    const users = options.users();
    const real = users.length === 0 ? undefined : users[random.intBetween(0, users.length - 1)];
    const kind = random.intBetween(0, real === undefined ? 1 : 6);
    const name = `${FORGED_PREFIX}${forged++}`;
    if (kind === 0 || real === undefined) return `login,${name},${victimEndpoint}`; // a reflector aimed at the victim
    if (kind === 1) return `login,${name},${victimEndpoint},imstate=1,session=${name}`;
    if (kind === 2) return `login,${real.name},${victimEndpoint},imstate=1`; // a takeover of a live name
    if (kind === 3) return `logout,${real.name},${real.endpoint}`; // classic logout, from the wrong host
    if (kind === 4) return `logout,${real.name},${real.endpoint},session=${real.session}`; // the session is public
    if (kind === 5) return `ping,${real.name},${real.session}`;
    return `login,${real.name},${real.endpoint},imstate=1,session=${real.session}`; // a replay of its login
  };

  const burst = options.burst ?? 8;
  const timer = setInterval(() => {
    for (let i = 0; i < burst; i++) {
      sent++;
      attacker.send(Buffer.from(forgery(), 'utf16le'), options.serverPort(), '127.0.0.1');
    }
  }, options.everyMs ?? 20);

  return {
    get sent() {
      return sent;
    },
    victim: {
      get received() {
        return received;
      },
      types,
    },
    stop: () => clearInterval(timer),
    async close() {
      clearInterval(timer);
      await Promise.all([attacker, victim].map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))));
    },
  };
};

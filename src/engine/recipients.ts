/**
 * Who the server's fan-out sends to, kept beside the machine's online list: each online user with its endpoint
 * already parsed into a socket address, in one of two maps by what the user reads. The classic peers and the imstate
 * peers without `batch=1` get one datagram per event (`perEvent`); the others get batches (`batched`). The maps follow
 * the machine's fold by its differences (`presenceChanges`, which skips what two lists share), so a login at 100,000
 * users online costs one parse and one map entry, not 100,000 parses per broadcast, and a broadcast to the few
 * per-event users need not walk the many batched ones.
 * @module
 */
import { emptyPresence, presenceChanges, type PresenceState } from '../presence/index.js';
import type { User } from '../presence/types.js';
import { parseEndpoint } from '../protocol/index.js';
import type { SocketAddress } from '../transport/index.js';

/** One online user, ready to be sent to. */
export interface Recipient {
  readonly user: User;
  /** The user's endpoint, parsed once when the user came online. */
  readonly address: SocketAddress;
}

/** The fan-out's recipients, by what they read. */
export interface Recipients {
  /**
   * Brings both maps to `state` (the machine's fold): O(changes) from the last state given. Returns how many users
   * could not be placed because their endpoint does not parse (none that came through the codec).
   */
  sync(state: PresenceState): number;
  /** Classic peers and imstate peers without batches, by name: one datagram per event each. */
  readonly perEvent: ReadonlyMap<string, Recipient>;
  /** imstate peers that said `batch=1`, by name: batch datagrams. */
  readonly batched: ReadonlyMap<string, Recipient>;
}

/** True for a user the server sends batches to. */
export const takesBatches = (user: User): boolean => user.imstate && user.batch === true;

/** Empty recipients (the list before the first sync is the empty one). */
export const createRecipients = (): Recipients => {
  const perEvent = new Map<string, Recipient>();
  const batched = new Map<string, Recipient>();
  let synced = emptyPresence();
  return {
    perEvent,
    batched,
    sync(state) {
      if (state === synced) return 0;
      const { left, joined } = presenceChanges(synced, state);
      synced = state;
      // Leaves first: a user that changed (a replaced session) is in both lists, and its new entry must win.
      for (const user of left) {
        perEvent.delete(user.name);
        batched.delete(user.name);
      }
      let unplaced = 0;
      for (const user of joined) {
        const endpoint = parseEndpoint(user.endpoint);
        if (!endpoint.ok) {
          unplaced++;
          continue;
        }
        (takesBatches(user) ? batched : perEvent).set(user.name, { user, address: endpoint.value });
      }
      return unplaced;
    },
  };
};

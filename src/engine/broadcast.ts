/**
 * The server's fan-out: one presence change to every online user, in the form each understands. The two datagrams
 * are encoded once and the same bytes go to every recipient (the transport never changes bytes it was given).
 * @module
 */
import { encodeDatagram, parseEndpoint, type Message } from '../protocol/index.js';
import type { User } from '../presence/types.js';
import type { UdpSocket } from '../transport/index.js';
import type { Counters } from './counters.js';

/** What to send: `extended` to imstate users, `classic` to the others, nobody named `except`. */
export interface Broadcast {
  readonly classic: Message;
  readonly extended: Message;
  readonly except?: string;
}

/** Walks the online users once, calling `visit` for each: `(visit) => forEachUser(presence, visit)`. */
export type UserWalk = (visit: (user: User) => void) => void;

/**
 * Sends `broadcast` from `socket` to each user `users` walks, without copying the list (a login at 100,000 users
 * online costs the datagrams, not also a 100,000-entry array). A user whose endpoint cannot be parsed (none that came
 * through the codec) is skipped and counted, never thrown at.
 */
export const sendBroadcast = (socket: UdpSocket, users: UserWalk, broadcast: Broadcast, counters: Counters): void => {
  const classic = encodeDatagram(broadcast.classic);
  const extended = encodeDatagram(broadcast.extended);
  let sent = 0;
  let skipped = 0;
  users((user) => {
    if (user.name === broadcast.except) return;
    const bytes = user.imstate ? extended : classic;
    const endpoint = parseEndpoint(user.endpoint);
    if (!bytes.ok || !endpoint.ok) {
      skipped++;
      return;
    }
    socket.send(bytes.value, endpoint.value);
    sent++;
  });
  // Counted once per broadcast rather than once per datagram.
  if (sent > 0) counters.add('datagramsOut', sent);
  if (skipped > 0) counters.add('broadcastSkipped', skipped);
};

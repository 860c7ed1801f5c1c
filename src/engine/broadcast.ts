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

/**
 * Sends `broadcast` from `socket` to each of `users`. A user whose endpoint cannot be parsed (none that came through
 * the codec) is skipped and counted, never thrown at.
 */
export const sendBroadcast = (socket: UdpSocket, users: Iterable<User>, broadcast: Broadcast, counters: Counters): void => {
  const classic = encodeDatagram(broadcast.classic);
  const extended = encodeDatagram(broadcast.extended);
  for (const user of users) {
    if (user.name === broadcast.except) continue;
    const bytes = user.imstate ? extended : classic;
    const endpoint = parseEndpoint(user.endpoint);
    if (!bytes.ok || !endpoint.ok) {
      counters.add('broadcastSkipped');
      continue;
    }
    socket.send(bytes.value, endpoint.value);
    counters.add('datagramsOut');
  }
};

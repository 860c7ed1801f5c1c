/**
 * Which datagrams a peer takes only from its index server. The classic protocol authenticates nothing and the
 * original server answers from throw-away sockets, so from a classic server anything goes, as in the original. But
 * an imstate server sends every datagram from its own UDP socket, so a datagram that claims to come from one (an
 * extension, or any server message once the server has said it speaks imstate) and arrives from elsewhere is a spoof:
 * one `pong,<huge seq>` from a stranger would otherwise send the peer fetching the list in a loop, and one
 * `logout,<name>,...` would take a user off its list.
 * @module
 */
import { extensionKeys, parseEndpoint, readExtensions, type Endpoint, type Message } from '../protocol/index.js';
import type { SocketAddress } from '../transport/index.js';

/**
 * True when `message` may only come from the index server: `pong`, `unknown` and `Refuse` always (only an imstate
 * server sends them); an `Accept` announcing `imstate=1` and a `login`/`logout` carrying `seq=` always; and every
 * `Accept`, `login` and `logout` once the server is known to speak imstate (`serverImstate`).
 */
export const onlyFromServer = (message: Message, serverImstate: boolean): boolean => {
  switch (message.type) {
    case 'pong':
    case 'unknown':
    case 'Refuse':
      return true;
    case 'Accept':
      return serverImstate || readExtensions(message.extensions).get(extensionKeys.imstate) === '1';
    case 'login':
    case 'logout':
      return serverImstate || readExtensions(message.extensions).has(extensionKeys.seq);
    default:
      return false;
  }
};

/** True when a datagram's source is the server's endpoint (addresses compared in canonical form). */
export const fromEndpoint = (server: Endpoint, from: SocketAddress): boolean => {
  if (from.port !== server.port) return false;
  const source = parseEndpoint(from.family === 'IPv6' ? `[${from.address}]:${from.port}` : `${from.address}:${from.port}`);
  return source.ok && source.value.family === server.family && source.value.address === server.address;
};

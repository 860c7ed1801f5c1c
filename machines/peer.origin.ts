/**
 * Which datagrams a peer takes only from its index server, as the peer machine's rule (its `notFromServer` guard).
 * The classic protocol authenticates nothing and the original server answers from throw-away sockets, so from a
 * classic server anything goes, as in the original. But an imstate server sends every datagram from its own UDP
 * socket, so a datagram that claims to come from one (an extension, or any server message once the server has said
 * it speaks imstate) and arrives from elsewhere (another port, or, once accepted, another endpoint than the
 * `Accept`'s) is a spoof: one `pong,<huge seq>` from a stranger would otherwise send the peer fetching the list in a
 * loop, and one `logout,<name>,...` would take a user off its list. Pure: the engine only passes each datagram's
 * source in its event.
 * @module
 */
import { parseEndpoint, type Endpoint, type Message } from '../src/protocol/index.js';

/**
 * True when `message` may only come from the index server: `pong`, `unknown`, `Refuse` and `batch` always (only an
 * imstate server sends them); an `Accept` announcing `imstate=1` and a `login`/`logout` carrying `seq=` always; and every
 * `Accept`, `login` and `logout` once the server is known to speak imstate (`serverImstate`).
 */
export const onlyFromServer = (message: Message, serverImstate: boolean): boolean => {
  switch (message.type) {
    case 'pong':
    case 'unknown':
    case 'Refuse':
    case 'batch':
      return true;
    case 'Accept':
      return serverImstate || message.imstate === true;
    case 'login':
    case 'logout':
      return serverImstate || message.seq !== undefined;
    default:
      return false;
  }
};

/**
 * True when a datagram's source (`from`) can be the index server (`server`, as printed). Once an imstate
 * server has accepted the peer, the server is where that `Accept` came from, exactly (`accepted`). Before that, only
 * the port can be checked: a server bound to the wildcard answers from whatever address the route back picks, which
 * need not be the address the peer sent to (a multi-homed host, or a peer on the server's machine that dialled its
 * LAN address).
 */
export const fromServer = (server: string, accepted: Endpoint | undefined, from: Endpoint): boolean => {
  if (accepted !== undefined) return from.port === accepted.port && from.family === accepted.family && from.address === accepted.address;
  const configured = parseEndpoint(server);
  return configured.ok && from.port === configured.value.port;
};

/** True when the peer must drop `message` from `from`: only the server sends it, and `from` is not the server. */
export const isSpoofed = (
  context: { readonly server: string; readonly serverImstate?: boolean; readonly accept?: { readonly imstate: boolean; readonly from: Endpoint } },
  message: Message,
  from: Endpoint,
): boolean =>
  onlyFromServer(message, context.serverImstate === true) &&
  !fromServer(context.server, context.accept?.imstate === true ? context.accept.from : undefined, from);

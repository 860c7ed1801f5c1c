/**
 * Datagrams for machine tests, built the way the server and peers write them.
 * @module
 */
import { formatListExtension, parseEndpoint, type Endpoint, type LeaveReason, type Message } from '../../../src/protocol/index.js';

/** Reads an endpoint the test wrote (throws on a typo in the test itself). */
export const ep = (text: string): Endpoint => {
  const parsed = parseEndpoint(text);
  if (!parsed.ok) throw new Error(`bad endpoint in test: ${text}`);
  return parsed.value;
};

/** The original server's `Accept,<tcpPort>`. */
export const classicAccept = (tcpPort = 9001): Message => ({ type: 'Accept', tcpPort, extensions: [] });

/** An imstate server's `Accept,<tcpPort>,imstate=1,hb=<ms>,seq=<n>`. */
export const imstateAccept = (seq: number, hb = 1000, tcpPort = 9001): Message => ({
  type: 'Accept',
  tcpPort,
  imstate: true,
  heartbeatMs: hb,
  seq,
  extensions: [],
});

/** A forwarded login from an imstate server. */
export const joined = (name: string, endpoint: string, seq: number, imstate = true): Message => ({
  type: 'login',
  name,
  endpoint: ep(endpoint),
  ...(imstate ? { imstate: true } : {}),
  seq,
  session: `s-${name}`,
  extensions: [],
});

/** A forwarded logout from an imstate server. */
export const left = (name: string, endpoint: string, seq: number, reason: LeaveReason = 'logout', session = `s-${name}`): Message => ({
  type: 'logout',
  name,
  endpoint: ep(endpoint),
  seq,
  session,
  reason,
  extensions: [],
});

/** A classic forwarded login or logout. */
export const classic = (type: 'login' | 'logout', name: string, endpoint: string): Message => ({
  type,
  name,
  endpoint: ep(endpoint),
  extensions: [],
});

/** The strings an imstate server sends over TCP: the classic list, then the list extension. */
export const imstateList = (
  seq: number,
  users: readonly { name: string; endpoint: string; imstate?: boolean }[],
): { list: string; extension: string } => ({
  list: users.map((u) => `${u.name},${u.endpoint};`).join('') + 'end',
  extension: ((text) => (text.ok ? text.value : ''))(
    formatListExtension({ seq, users: users.map((u) => ({ session: `s-${u.name}`, imstate: u.imstate ?? true })) }),
  ),
});

/** An `rtalk` from `name`. */
export const rtalk = (id: string, name: string, text: string): Message => ({ type: 'rtalk', id, time: '10:41:40', name, text });

/**
 * A crowd for the terminal tests, in a process of its own so that the test's blocking tmux calls never stall it: an
 * index server (port 0) and `count` peers named `<prefix>000…`, logged in in batches. Prints the server's `ready`
 * line (as `imstate server --json` does) once everyone is online, then a `message` line for every message any of
 * them receives. Stops everything and exits when stdin ends.
 *
 * Usage: node --import tsx test/cli/support/crowd.ts <count> [prefix] [server]   (with a server: no server of its own)
 */
import { createIndexServer, createPeer } from '../../../src/engine/index.js';
import type { PeerHandle } from '../../../src/engine/types.js';
import { messageLine, serverReadyLine } from '../../../src/cli/json/lines.js';

const count = Number(process.argv[2] ?? 200);
const prefix = process.argv[3] ?? 'user';
const given = process.argv[4];
const server = given === undefined ? createIndexServer() : undefined;
const address = server === undefined
  ? { host: '127.0.0.1', udpPort: Number(given!.split(':')[1]), tcpPort: 0 }
  : await server.start();
const peers: PeerHandle[] = [];
const names = Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);
// A loaded machine can make a list fetch time out: such a peer is made again and retried, a few times.
// Each peer on a loopback address of its own, as each person is on a host of their own: a server lets one host hold
// only a few sessions.
const hostOf = (i: number): string => `127.0.${10 + (i >> 8)}.${(i & 255) + 1}`;
const online = async (name: string, i: number): Promise<PeerHandle> => {
  for (let attempt = 1; ; attempt += 1) {
    const peer = createPeer({ name, server: `127.0.0.1:${address.udpPort}`, host: hostOf(i), timings: { listTimeoutMs: 10_000 } });
    peer.messages$.subscribe((m) => m.direction === 'in' && process.stdout.write(`${JSON.stringify(messageLine(m))}\n`));
    try {
      await peer.login();
      return peer;
    } catch (error) {
      await peer.stop();
      if (attempt === 3) throw error;
    }
  }
};
for (let i = 0; i < names.length; i += 20) peers.push(...(await Promise.all(names.slice(i, i + 20).map((name, j) => online(name, i + j)))));
process.stdout.write(`${JSON.stringify(serverReadyLine(address))}\n`);
process.stdin.resume();
process.stdin.on('end', async () => {
  await Promise.all(peers.map((peer) => peer.stop()));
  await server?.stop();
  process.exit(0);
});

/**
 * What "the cluster converged" means, as a list of everything that is not so (empty when it converged):
 * - at least one server is up, and every live server is running;
 * - every live server lists exactly the users the schedule left online, each name once, and they all list the same
 *   users (names, endpoints, sessions, the imstate flag);
 * - every peer the schedule left online is online, listed at the endpoint it bound, and its session is held (in the
 *   log) by the server it logged in to, so that server fans out to it and watches its heartbeats;
 * - every online peer's list equals the servers' list;
 * - no bound was broken on the way (a killed server's users still listed after the orphan bound).
 * @module
 */
import { listLines } from '../../engine/sim/world.js';
import type { ClusterWorld } from './cluster-world.js';

/** Everything that is not as converged, one sentence each. */
export const clusterDisagreements = (world: ClusterWorld): string[] => {
  const problems: string[] = [...world.broken];
  const up = world.servers().filter((server) => server.live);
  const peers = world.peers();
  const first = up[0];
  if (first === undefined) return [...problems, 'no server is up'];
  const expected = peers.filter((peer) => peer.expectedOnline).map((peer) => peer.name).sort();
  const reference = listLines(first.users);
  for (const server of up) {
    if (!server.state.startsWith('running')) problems.push(`${server.id} is ${server.state}, not running`);
    const listed = server.users.map((user) => user.name).sort();
    if (new Set(listed).size !== listed.length) problems.push(`${server.id} lists a name twice: [${listed.join(', ')}]`);
    if (listed.join() !== expected.join()) problems.push(`${server.id} lists [${listed.join(', ')}] but the schedule left [${expected.join(', ')}] online`);
    const lines = listLines(server.users);
    if (lines.join('\n') !== reference.join('\n')) problems.push(`${server.id}'s list is [${lines.join(', ')}], ${first.id}'s is [${reference.join(', ')}]`);
  }
  for (const peer of peers) {
    const online = peer.state.startsWith('online');
    if (peer.expectedOnline && !online) {
      problems.push(`${peer.name} is ${peer.state}${peer.reason ? ` (${peer.reason})` : ''} but the schedule left it online`);
    }
    const entry = first.users.find((user) => user.name === peer.name);
    if (peer.expectedOnline && entry !== undefined) {
      if (entry.endpoint !== peer.endpoint) problems.push(`${first.id} has ${peer.name} at ${entry.endpoint}, but it listens at ${peer.endpoint ?? 'nothing'}`);
      const own = up.find((server) => server.address === peer.server);
      const owner = world.ownerOf(peer.name);
      if (own === undefined || owner !== own.id) {
        problems.push(`${peer.name} logged in to ${own?.id ?? peer.server ?? 'nothing'}, but the log says ${owner ?? 'nobody'} holds its session`);
      }
    }
    const lines = listLines(peer.users);
    if (online && lines.join('\n') !== reference.join('\n')) {
      problems.push(`${peer.name}'s list is [${lines.join(', ')}], the servers' is [${reference.join(', ')}]`);
    }
  }
  return problems;
};

/**
 * A server started on a presence log that already holds a history (a restart on a log that outlived the old server)
 * begins from the log's snapshot instead of an empty list. For any history the server's policy could have written:
 * - it starts listing exactly the log's online users, having sent nothing (no broadcast per user);
 * - a new peer's list is that list plus itself, and its join is numbered right after the log's last event;
 * - the imstate sessions it started with expire when their peers never ping, the classic ones stay (they never
 *   could ping), and the new peer's list follows.
 * On the memory network and a simulated clock; `IMSTATE_FUZZ_RUNS` sets the count, `IMSTATE_FUZZ_SEED` replays.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIndexServer, createPeer } from '../../src/engine/index.js';
import { createMemoryLog, findUser, listUsers, type User } from '../../src/presence/index.js';
import { presenceHistoryArbitrary } from '../../src/testing/presence-arbitraries.js';
import { createMemoryNetwork } from '../../src/transport/index.js';
import { SteppedClock } from './sim/stepped-clock.js';
import { listLines, PEER_TIMINGS, SERVER_TIMINGS } from './sim/world.js';

const CI_RUNS = 40;
const asked = Number(process.env['IMSTATE_FUZZ_RUNS']);
const runs = Number.isSafeInteger(asked) && asked > 0 ? asked : CI_RUNS;
const seed = Number(process.env['IMSTATE_FUZZ_SEED']);
const replay = Number.isSafeInteger(seed) ? { seed } : {};

/** Not in the history arbitrary's name pool, so the newcomer never replaces a preloaded user. */
const NEWCOMER = 'newcomer';

describe(`a server started on a presence log (${runs} histories; IMSTATE_FUZZ_RUNS sets it)`, () => {
  it('starts from the log, numbers on after it, and expires only the imstate sessions nobody pings', async () => {
    await fc.assert(
      fc.asyncProperty(presenceHistoryArbitrary(), async (history) => {
        fc.pre(findUser(history.state, NEWCOMER) === undefined);
        const clock = new SteppedClock();
        const network = createMemoryNetwork({ clock });
        const log = createMemoryLog();
        await log.append(history.events.map(({ seq: _seq, ...change }) => change), 0);
        const preloaded = listUsers(history.state);

        const server = createIndexServer({ network, clock, log, port: 9000, tcpPort: 9001, ...SERVER_TIMINGS });
        let serverUsers: readonly User[] = [];
        server.users$.subscribe((users) => (serverUsers = users));
        const started = server.start();
        await clock.advance(0);
        await started;
        expect(listLines(serverUsers)).toEqual(listLines(preloaded));
        expect(network.stats.sent, 'datagrams sent by a server starting on a log').toBe(0);

        const peer = createPeer({ name: NEWCOMER, network, clock, server: '127.0.0.1:9000', timings: PEER_TIMINGS });
        let peerUsers: readonly User[] = [];
        peer.users$.subscribe((users) => (peerUsers = users));
        const online = peer.login();
        await clock.advance(100);
        await online;
        expect(log.seq, 'the newcomer is the next event after the history').toBe(history.events.length + 1);
        const newcomer = findUser(log.state, NEWCOMER);
        expect(newcomer?.endpoint).toBe(peer.endpoint);
        expect(listLines(peerUsers)).toEqual(listLines([...preloaded, newcomer!]));

        // Past the expiry of a session silent since the start: missed heartbeats, one period more, and a sweep.
        await clock.advance((SERVER_TIMINGS.missedHeartbeats + 2) * SERVER_TIMINGS.heartbeatMs);
        const survivors = [...preloaded.filter((user) => !user.imstate), newcomer!];
        expect(listLines(serverUsers)).toEqual(listLines(survivors));
        expect(listLines(peerUsers)).toEqual(listLines(survivors));

        const stopping = Promise.all([peer.stop(), server.stop()]);
        await clock.advance(PEER_TIMINGS.logoutTimeoutMs ?? 1_000);
        await stopping;
        expect(clock.pending, 'timers left after stop()').toBe(0);
      }),
      { numRuns: runs, ...replay },
    );
  });
});

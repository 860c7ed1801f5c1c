/**
 * The chaos suite: 100 imstate peers on real loopback sockets, each behind its own loopback address, talking to the
 * index server and to each other through a relay that drops 30% of datagrams, duplicates and reorders; peers killed
 * at random (they vanish without a word); the server restarted once; and a hostile sender on another loopback host
 * spraying forged logins, logouts and pings throughout, with every user's endpoint and session in hand.
 *
 * After the faults are lifted and everything settles: every live peer is online and its list equals the server's;
 * the server lists exactly the live peers at their own endpoints (no forged user, no victim endpoint); every killed
 * peer is gone; the victim host got nothing but small Accepts; and no message the sender saw delivered is missing at
 * its receiver. The run prints peers, datagrams, faults, forgeries, and messages sent/delivered/failed/lost.
 * Real time, bounded: every phase has a deadline, and everything started is stopped.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createIndexServer, createPeer, type IndexServerHandle, type PeerHandle } from '../../src/engine/index.js';
import type { User } from '../../src/presence/types.js';
import { createRandom } from '../../src/transport/index.js';
import { ATTACKER_HOST, FORGED_PREFIX, startHostile, VICTIM_HOST, type Hostile } from './hostile.js';
import { noFaults, startRelay, type Relay } from './relay.js';

const PEERS = 100;
const KILLS = 10;
const SEED = Number(process.env['IMSTATE_CHAOS_SEED'] ?? 20_261_203);
const SERVER_OPTIONS = { heartbeatMs: 200, missedHeartbeats: 3 } as const;
/** Patient peers: at 30% loss each way a login or a list fetch needs a few tries. */
const TIMINGS = {
  loginRetryMs: 100,
  loginRetryMaxMs: 800,
  loginTries: 60,
  listTimeoutMs: 1_000,
  listTries: 20,
  resyncDelayMs: 100,
  logoutTimeoutMs: 300,
  receiptTimeoutMs: 150,
  talkTries: 20,
};

interface Slot {
  readonly name: string;
  handle?: PeerHandle;
  killed: boolean;
  killedAt?: number;
  users: readonly User[];
  state: string;
  readonly inbox: Set<string>;
}

const started: { stop(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const thing of started.splice(0).reverse()) await thing.stop().catch(() => undefined);
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const until = async (check: () => boolean, ms: number): Promise<boolean> => {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await sleep(50);
  return check();
};
const lines = (users: readonly User[]): string => users.map((u) => `${u.name}@${u.endpoint}#${u.session}`).sort().join('\n');

describe('chaos', () => {
  it(`${PEERS} peers through 30% loss, duplication and reordering, killed peers, a server restart and a forger agree`, async () => {
    const random = createRandom(SEED);
    let server: IndexServerHandle = createIndexServer(SERVER_OPTIONS);
    const { udpPort } = await server.start();
    let serverUsers: readonly User[] = [];
    const left = new Map<string, number>();
    const watch = (handle: IndexServerHandle): void => {
      handle.users$.subscribe((users) => (serverUsers = users));
      handle.presence$.subscribe((update) => {
        if (update.type === 'left') left.set(update.user.name, Date.now());
      });
    };
    watch(server);
    started.push({ stop: () => server.stop() });
    const relay: Relay = await startRelay({
      upstream: udpPort,
      seed: SEED,
      faults: { loss: 0.3, duplicate: 0.05, reorder: 0.1, maxDelayMs: 40 },
    });
    started.push({ stop: () => relay.close() });
    const hostile: Hostile = await startHostile({ serverPort: () => udpPort, users: () => serverUsers, seed: SEED + 1 });
    started.push({ stop: () => hostile.close() });

    const slots: Slot[] = Array.from({ length: PEERS }, (_, i) => ({ name: `p${i}`, killed: false, users: [], state: 'idle', inbox: new Set() }));
    const outgoing = new Map<string, { to: string; status: string }>();
    let sent = 0;
    const logIn = async (slot: Slot): Promise<void> => {
      for (let attempt = 0; attempt < 5 && !slot.killed; attempt++) {
        const handle = createPeer({ name: slot.name, server: `127.0.0.1:${relay.port}`, timings: TIMINGS });
        slot.handle = handle;
        started.push(handle);
        handle.users$.subscribe((users) => (slot.users = users));
        handle.state$.subscribe((state) => (slot.state = state.value));
        handle.messages$.subscribe((m) => {
          if (m.direction === 'in') slot.inbox.add(m.text);
          else if (outgoing.has(m.text)) outgoing.set(m.text, { to: m.to, status: m.status });
        });
        const ok = await handle.login().then(() => true, () => false);
        if (ok) return;
        await handle.stop();
      }
    };
    for (let i = 0; i < PEERS; i += 20) await Promise.all(slots.slice(i, i + 20).map(logIn));

    // Chatter, kills and one server restart, with the forger spraying throughout.
    const alive = (): Slot[] => slots.filter((slot) => !slot.killed && slot.state.startsWith('online'));
    const deadline = Date.now() + 8_000;
    let kills = 0;
    let restarted = false;
    while (Date.now() < deadline) {
      const live = alive();
      const from = live[random.intBetween(0, Math.max(0, live.length - 1))];
      const to = live[random.intBetween(0, Math.max(0, live.length - 1))];
      if (from?.handle !== undefined && to !== undefined && from !== to) {
        const text = `m${sent++} ${from.name}→${to.name}`;
        outgoing.set(text, { to: to.name, status: 'sending' });
        void from.handle.say(to.name, text).catch(() => outgoing.set(text, { to: to.name, status: 'refused' }));
      }
      if (kills < KILLS && random.chance(0.05)) {
        const victim = live[random.intBetween(0, Math.max(0, live.length - 1))];
        if (victim?.handle?.endpoint !== undefined) {
          kills++;
          victim.killed = true;
          victim.killedAt = Date.now();
          relay.kill(victim.handle.endpoint);
          void victim.handle.stop();
        }
      }
      if (!restarted && Date.now() > deadline - 4_000) {
        restarted = true;
        await server.stop();
        server = createIndexServer({ ...SERVER_OPTIONS, port: udpPort });
        watch(server);
        await server.start();
      }
      await sleep(25);
    }

    hostile.stop();
    relay.faults = noFaults;
    const live = (): Slot[] => slots.filter((slot) => !slot.killed);
    const converged = (): boolean => {
      const expected = live().map((slot) => slot.name).sort().join();
      return (
        serverUsers.map((user) => user.name).sort().join() === expected &&
        live().every((slot) => slot.state.startsWith('online') && lines(slot.users) === lines(serverUsers))
      );
    };
    const agreed = await until(converged, 60_000);
    await until(() => [...outgoing.values()].every((m) => m.status !== 'sending' && m.status !== 'sent' && m.status !== 'queued'), 15_000);

    const messages = [...outgoing.entries()];
    const delivered = messages.filter(([, m]) => m.status === 'delivered');
    const lost = delivered.filter(([text, m]) => !(slots.find((slot) => slot.name === m.to)?.inbox.has(text) ?? false));
    const failed = messages.filter(([, m]) => m.status === 'failed' || m.status === 'refused');
    const counts = relay.counts();
    const refusals = Object.entries(server.stats()).filter(([key]) => key.startsWith('rejected') || key.startsWith('refused'));
    const killedGone = slots.filter((slot) => slot.killed).map((slot) => (left.get(slot.name) ?? Number.NaN) - (slot.killedAt ?? 0));
    console.log(
      [
        `chaos (seed ${SEED}): ${PEERS} peers, ${kills} killed, server restarted ${restarted ? 'once' : 'never'}`,
        `relay: ${counts.received} datagrams in, ${counts.sent} out, ${counts.dropped} dropped, ${counts.duplicated} duplicated, ${counts.reordered} reordered`,
        `forger: ${hostile.sent} forged datagrams from ${ATTACKER_HOST}; victim ${VICTIM_HOST} got ${hostile.victim.received} (${[...hostile.victim.types].join(', ') || 'nothing'})`,
        `server refusals (this run of the restarted server): ${refusals.map(([k, v]) => `${k}=${v}`).join(', ') || 'none'}`,
        `killed peers left the server's list after (ms, last leave seen): ${killedGone.map((ms) => Math.round(ms)).join(', ')}`,
        `messages: ${messages.length} sent, ${delivered.length} delivered, ${failed.length} failed, ${lost.length} lost`,
      ].join('\n'),
    );

    expect(agreed, 'every live peer online with the server’s list, and the server listing exactly the live peers').toBe(true);
    expect(serverUsers.filter((user) => user.name.startsWith(FORGED_PREFIX))).toEqual([]);
    expect(serverUsers.filter((user) => user.endpoint.startsWith(`${ATTACKER_HOST}:`) || user.endpoint.startsWith(`${VICTIM_HOST}:`))).toEqual([]);
    for (const slot of live()) {
      const listed = serverUsers.find((user) => user.name === slot.name);
      expect(listed?.endpoint).toBe(relay.relayEndpointOf(slot.handle?.endpoint ?? ''));
    }
    expect([...hostile.victim.types].filter((type) => type !== 'Accept')).toEqual([]);
    expect(lost.map(([text]) => text)).toEqual([]);
    expect(delivered.length).toBeGreaterThan(0);
  }, 150_000);
});

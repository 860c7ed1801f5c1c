/**
 * Two `imstate server --store redis://…` processes on one real redis-server, as a person would start them: an
 * imstate peer on one, the original client on the other, and each sees the other; then the first server is killed
 * (SIGKILL: no goodbye, its lease simply stops being renewed) and the second expires its users within the bound
 * `--help` states (lease × 1.5), telling its own peers in the classic form.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JsonLine, ServerReadyLine } from '../../src/cli/json/lines.js';
import { startOriginalClient, type OriginalClient } from '../engine/fakes/original-client.js';
import { killAll, spawnJson, type JsonProcess } from '../cli/support/processes.js';
import { startRedis, type TestRedis } from './support/redis-server.js';

let redis: TestRedis;
const clients: OriginalClient[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await killAll();
});

const isServerReady = (line: JsonLine): line is ServerReadyLine => line.type === 'ready' && line.role === 'server';
const joined = (name: string) => (line: JsonLine) => line.type === 'user-joined' && line.name === name;
const left = (name: string) => (line: JsonLine) => line.type === 'user-left' && line.name === name;

/** A lease of 1 s: a killed server's users are gone from the others' lists within 1.5 s (plus the sweep's own work). */
const LEASE_S = 1;

const server = async (db: number): Promise<{ process: JsonProcess; ready: ServerReadyLine }> => {
  const process = spawnJson(['server', '--port', '0', '--json', '--store', `${redis.url}/${db}`, '--lease', String(LEASE_S)]);
  return { process, ready: await process.next('the server to be ready', isServerReady) };
};

/** Polls `check` every 10 ms for at most `ms` (the bound under test); fails saying what it waited for. */
const within = async (ms: number, check: () => boolean, what: string): Promise<void> => {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!check()) throw new Error(`${what}: not within ${ms} ms`);
};

describe('two server processes on one Redis', () => {
  it('act as one for an imstate peer and the original client, and a killed server’s users leave within the bound', async () => {
    const first = await server(1);
    const second = await server(1);
    const alice = spawnJson(['peer', '--name', 'alice', '--server', `127.0.0.1:${first.ready.udpPort}`, '--tries', '2', '--json']);
    await second.process.next('the second server to list alice, who logged in to the first', joined('alice'));

    const carol = await startOriginalClient('carol');
    clients.push(carol);
    await carol.login({ address: '127.0.0.1', port: second.ready.udpPort });
    await first.process.next('the first server to list carol, who logged in to the second', joined('carol'));
    await alice.next('alice to see carol (in her list, or joining after it)', (line) =>
      joined('carol')(line) || (line.type === 'users' && line.users.some((user) => user.name === 'carol')));
    await within(10_000, () => carol.view.has('alice') && carol.view.has('carol'), 'the original client to list alice and itself');
    expect(carol.nonClassic).toEqual([]);

    await first.process.kill();
    // The lease lapses 1 s after its last renewal; one sweep (half a lease) later the second server expires alice.
    // Generous slack for a loaded machine: the bound itself is what the bench and --help state.
    await second.process.next('the second server to expire alice', left('alice'), LEASE_S * 1_500 + 5_000);
    await within(2_000, () => !carol.view.has('alice'), 'the original client to see alice leave');
    expect(carol.view.has('carol')).toBe(true);
  });
});

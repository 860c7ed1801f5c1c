/**
 * Measures what a new session costs as sessions pile up (`npx tsx test/machines/spawn-cost.measure.ts`): XState's
 * `spawnChild` on one parent against the session directory the server machine uses, timing the first and the last
 * 1,000 of N. Not a test (nothing is asserted on time); the figures are in machines/README.md.
 *
 * Environment: SESSIONS (default 100000) for the directory and the server; NAIVE (default 20000) for spawnChild,
 * whose cost grows with every child already there (100,000 take many minutes).
 * @module
 */
import { createActor, fromPromise, setup, spawnChild, SimulatedClock } from 'xstate';
import type { Message } from '../../src/protocol/index.js';
import { datagramEvent } from '../../machines/commands.js';
import { serverMachine, type BindRequest } from '../../machines/server.machine.js';
import { sessionMachine } from '../../machines/session.machine.js';
import { ep } from './support/wire.js';

const report = (label: string, n: number, first: number, last: number): void =>
  console.log(`${label}: ${n} sessions, first 1000 ${first.toFixed(1)} ms, last 1000 ${last.toFixed(1)} ms, ratio ${(last / first).toFixed(2)}`);

/** Times `step(i)` for i in [0, n), returning the time of the first and the last 1,000. */
const firstAndLast = (n: number, step: (i: number) => void): [number, number] => {
  let first = 0;
  let last = 0;
  let t0 = performance.now();
  for (let i = 0; i < n; i++) {
    step(i);
    if (i === 999) first = performance.now() - t0;
    if (i === n - 1001) t0 = performance.now();
  }
  last = performance.now() - t0;
  return [first, last];
};

const user = (i: number) => ({ name: `u${i}`, endpoint: `127.0.0.1:${1024 + (i % 60000)}`, session: `s${i}`, imstate: true });

const naive = (n: number, quiet = false): void => {
  const parent = setup({ actors: { session: sessionMachine } }).createMachine({
    on: {
      open: {
        actions: spawnChild('session', {
          id: ({ event }) => (event as unknown as { id: string }).id,
          input: ({ event }) => ({ user: user(Number((event as unknown as { id: string }).id)) }),
        }),
      },
    },
  });
  const actor = createActor(parent, { clock: new SimulatedClock() }).start();
  const [first, last] = firstAndLast(n, (i) => actor.send({ type: 'open', id: String(i) } as never));
  if (!quiet) report('spawnChild on one parent', n, first, last);
};

const server = async (n: number, quiet = false): Promise<void> => {
  const machine = serverMachine.provide({
    actors: {
      bind: fromPromise<BindRequest, BindRequest>(async ({ input }) => input),
      unbind: fromPromise<void, void>(async () => {}),
    },
  });
  const clock = new SimulatedClock();
  const actor = createActor(machine, { input: { host: '127.0.0.1', udpPort: 9000, tcpPort: 9001, heartbeatMs: 1000 }, clock });
  actor.start();
  actor.send({ type: 'START' });
  await new Promise((resolve) => setImmediate(resolve));
  const login = (i: number): Message => ({
    type: 'login',
    name: `u${i}`,
    endpoint: { family: 'IPv4', address: '127.0.0.1', port: 1024 + (i % 60000) },
    imstate: true,
    session: `s${i}`,
    extensions: [],
  });
  const [first, last] = firstAndLast(n, (i) => actor.send(datagramEvent(login(i), ep('127.0.0.1:1'))));
  if (quiet) return void actor.stop();
  report('server machine login (directory)', n, first, last);
  const sweep = performance.now();
  clock.increment(1000);
  console.log(`one heartbeat sweep over ${n} sessions (none expiring): ${(performance.now() - sweep).toFixed(1)} ms`);
  const t0 = performance.now();
  for (let i = 0; i < 1000; i++) {
    const { name, endpoint } = login(i) as Extract<Message, { type: 'login' }>;
    actor.send(datagramEvent({ type: 'logout', name, endpoint, session: `s${i}`, extensions: [] }, ep('127.0.0.1:1')));
  }
  console.log(`server machine logout at ${n} online: 1000 logouts ${(performance.now() - t0).toFixed(1)} ms`);
  actor.stop();
};

const sessions = Number(process.env['SESSIONS'] ?? 100_000);
const naiveCount = Number(process.env['NAIVE'] ?? 20_000);
// A warm-up run of each first, so the first 1,000 are not mostly JIT compilation.
await server(3000, true);
await server(sessions);
if (naiveCount > 0) {
  naive(3000, true);
  naive(naiveCount);
}

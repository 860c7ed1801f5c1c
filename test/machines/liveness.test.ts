/**
 * Liveness on a simulated clock: with the defaults, an imstate peer that crashes leaves the list (its `left expired`
 * recorded and broadcast to everyone) within 30 s of its last `ping`, whatever the phase of its crash against the
 * server's sweep; and never before it has missed the periods the options allow. The bound follows from the options:
 * `(missedHeartbeats + 1) × heartbeatMs`.
 */
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/protocol/index.js';
import { defaultServerOptions } from '../../machines/server.wire.js';
import { livenessBoundS } from '../../machines/server.trust.js';
import { settle, startServer, type ServerRig } from './support/harness.js';
import { ep } from './support/wire.js';

const session = 'crashy-sess1';
const login: Message = { type: 'login', name: 'crashy', endpoint: ep('127.0.0.1:5001'), imstate: true, session, extensions: [] };
const witness: Message = { type: 'login', name: 'witness', endpoint: ep('127.0.0.1:5002'), extensions: [] };

/** The time (simulated ms) the log records crashy's expiry, stepping `step` ms at a time up to `limit`. */
const expiryTime = async (rig: ServerRig, limit: number, step = 50): Promise<number | undefined> => {
  for (let waited = 0; waited <= limit; waited += step) {
    const events = await rig.log.readFrom(0);
    if (events.some((event) => event.type === 'left' && event.name === 'crashy' && event.reason === 'expired')) return rig.clock.now();
    rig.advance(step);
    await settle();
  }
  return undefined;
};

/**
 * Starts a server with `options`, lets `phase` ms pass, logs crashy in (proved by its list fetch), has it ping on
 * time `pings` times, then crash; returns its last ping's time, when it expired, and what was broadcast then.
 */
const crash = async (options: { heartbeatMs?: number; missedHeartbeats?: number }, phase: number, pings: number) => {
  const rig = startServer({ input: { heartbeatMs: options.heartbeatMs, missedHeartbeats: options.missedHeartbeats } });
  const { heartbeatMs, missedHeartbeats } = rig.actor.getSnapshot().context.options;
  rig.actor.send({ type: 'START' });
  await settle();
  await rig.receive(witness, '127.0.0.1:5002');
  await rig.receive(login, '127.0.0.1:5001');
  await rig.fetchList('127.0.0.1:47000');
  const accept = rig.emitted.flatMap((e) => (e.type === 'send' && e.to === '127.0.0.1:5001' && e.message.type === 'Accept' ? [e.message] : [])).at(-1);
  const secret = accept?.secret;
  expect(secret).toBeDefined();
  rig.advance(phase);
  let lastPing = rig.clock.now();
  for (let i = 0; i < pings; i++) {
    rig.advance(heartbeatMs);
    await settle();
    await rig.receive({ type: 'ping', name: 'crashy', session, ...(secret === undefined ? {} : { secret }) }, '127.0.0.1:5001');
    lastPing = rig.clock.now();
  }
  const mark = rig.emitted.length;
  const expired = await expiryTime(rig, (missedHeartbeats + 2) * heartbeatMs);
  const broadcasts = rig.emitted.slice(mark).filter((e) => e.type === 'broadcast');
  return { lastPing, expired, broadcasts, bound: livenessBoundS(heartbeatMs, missedHeartbeats) * 1000, missed: missedHeartbeats * heartbeatMs };
};

describe('liveness: a crashed imstate peer leaves every list within the bound', () => {
  it('is 30 s with the defaults (10 s heartbeats, 2 missed), as --help and the README say', () => {
    expect(defaultServerOptions).toMatchObject({ heartbeatMs: 10_000, missedHeartbeats: 2 });
    expect(livenessBoundS(defaultServerOptions.heartbeatMs, defaultServerOptions.missedHeartbeats)).toBe(30);
  });

  it.each([0, 1, 2_500, 5_000, 9_999])('with the defaults, crashed %i ms into a period: gone within 30 s, not before 20 s', async (phase) => {
    const { lastPing, expired, broadcasts, bound, missed } = await crash({ heartbeatMs: undefined, missedHeartbeats: undefined }, phase, 2);
    expect(bound).toBe(30_000);
    expect(expired).toBeDefined();
    const gone = (expired ?? Infinity) - lastPing;
    expect(gone).toBeLessThanOrEqual(bound);
    expect(gone).toBeGreaterThan(missed);
    // Everyone else is told at that moment: the witness (classic) in the classic form.
    expect(broadcasts).toEqual([expect.objectContaining({ classic: expect.objectContaining({ type: 'logout', name: 'crashy' }) })]);
  });

  it.each([0, 1_234])('follows the options: 2 s heartbeats and 4 missed give 10 s (crashed %i ms into a period)', async (phase) => {
    const { lastPing, expired, bound, missed } = await crash({ heartbeatMs: 2_000, missedHeartbeats: 4 }, phase, 3);
    expect(bound).toBe(10_000);
    const gone = (expired ?? Infinity) - lastPing;
    expect(gone).toBeLessThanOrEqual(bound);
    expect(gone).toBeGreaterThan(missed);
  });
});

/** What the chat client says while its server does not answer, as pure functions of the state and the time. */
import { describe, expect, it } from 'vitest';
import type { LifecycleState } from '../../src/engine/types.js';
import { hasList, knowsList, listIsStale, outageText } from '../../src/cli/view/outage.js';

const reconnecting = (attempt: number, inMs: number, of?: number): LifecycleState => ({
  value: 'reconnecting',
  retry: of === undefined ? { attempt, inMs, reconnecting: true } : { attempt, inMs, of, reconnecting: true },
});

describe('the outage sentence', () => {
  it('says the server is unreachable, counts down to the next try and gives the try', () => {
    const state = reconnecting(3, 8_000);
    expect(outageText(state, 10_000, 10_000)).toBe('server unreachable — retrying in 8 s (try 3)');
    expect(outageText(state, 10_000, 12_500)).toBe('server unreachable — retrying in 6 s (try 3)');
    expect(outageText(state, 10_000, 18_000)).toBe('server unreachable — retrying now (try 3)');
    // A late screen (a slow draw) never counts below zero.
    expect(outageText(state, 10_000, 60_000)).toBe('server unreachable — retrying now (try 3)');
  });

  it('gives the limit when the tries are limited, as a first login always is', () => {
    expect(outageText(reconnecting(2, 4_000, 5), 0, 0)).toBe('server unreachable — retrying in 4 s (try 2 of 5)');
    const firstLogin: LifecycleState = { value: 'awaitingAccept', retry: { attempt: 2, inMs: 1_000, of: 5, reconnecting: false } };
    expect(outageText(firstLogin, 0, 0)).toBe('server unreachable — retrying in 1 s (try 2 of 5)');
  });

  it('says nothing while the server answers', () => {
    expect(outageText({ value: 'online.presence.live+heartbeat.beating' }, 0, 0)).toBeUndefined();
    expect(outageText({ value: 'awaitingAccept' }, 0, 0)).toBeUndefined();
  });
});

describe('the list while the server is away', () => {
  it('is there and stale while reconnecting, fresh online, unknown before the first login', () => {
    expect([hasList(reconnecting(1, 2_000)), listIsStale(reconnecting(1, 2_000))]).toEqual([true, true]);
    expect([hasList({ value: 'online.presence.live+heartbeat.beating' }), listIsStale({ value: 'online.presence.live' })]).toEqual([true, false]);
    expect([hasList({ value: 'awaitingAccept' }), listIsStale({ value: 'awaitingAccept' })]).toEqual([false, false]);
    expect(knowsList({ state: { value: 'awaitingAccept' }, users: [] })).toBe(false);
    // A list once had stays known (failed after being online: who was there is still on screen).
    expect(knowsList({ state: { value: 'failed' }, users: [{}] })).toBe(true);
    expect(knowsList({ state: { value: 'online' }, users: [] })).toBe(true);
  });
});

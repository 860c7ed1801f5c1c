/**
 * The duplicate-name policy (replace the older session) and the server's other decisions, on examples; the same
 * rules under random histories are in policy.prop.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { decideExpiry, decideLogin, decideLogout } from '../../src/presence/policy.js';
import { applyEvents, emptyPresence, type PresenceState } from '../../src/presence/state.js';
import type { PresenceChange, PresenceEvent, User } from '../../src/presence/types.js';

const alice: User = { name: 'alice', endpoint: '127.0.0.1:5001', session: 's1', imstate: true };
const classicBob: User = { name: 'bob', endpoint: '127.0.0.1:5002', session: '127.0.0.1:5002', imstate: false };

const online = (...users: User[]): PresenceState =>
  applyEvents(
    emptyPresence(),
    users.map((user, i): PresenceEvent => ({ type: 'joined', seq: i + 1, user })),
  );

describe('decideLogin', () => {
  it('joins a new name', () => {
    expect(decideLogin(emptyPresence(), alice)).toEqual([{ type: 'joined', user: alice }]);
  });

  it('changes nothing for a retransmitted login (same name, session and endpoint)', () => {
    expect(decideLogin(online(alice), { ...alice })).toEqual([]);
    expect(decideLogin(online(classicBob), { ...classicBob })).toEqual([]);
  });

  it('replaces the older session: left(old, replaced) first, then joined(new)', () => {
    const newer: User = { ...alice, session: 's2', endpoint: '[::1]:6000' };
    expect(decideLogin(online(alice), newer)).toEqual<PresenceChange[]>([
      { type: 'left', name: 'alice', session: 's1', reason: 'replaced' },
      { type: 'joined', user: newer },
    ]);
  });

  it('replaces a classic entry logging in again from another endpoint (its session is its endpoint)', () => {
    const moved: User = { ...classicBob, endpoint: '127.0.0.1:5009', session: '127.0.0.1:5009' };
    expect(decideLogin(online(classicBob), moved)).toEqual<PresenceChange[]>([
      { type: 'left', name: 'bob', session: '127.0.0.1:5002', reason: 'replaced' },
      { type: 'joined', user: moved },
    ]);
  });

  it('replaces the entry when the same session comes from a new endpoint, so the list carries the one that works', () => {
    const moved: User = { ...alice, endpoint: '127.0.0.1:7000' };
    expect(decideLogin(online(alice), moved).map((change) => change.type)).toEqual(['left', 'joined']);
  });
});

describe('decideLogout', () => {
  it('removes the online session', () => {
    expect(decideLogout(online(alice), 'alice', 's1')).toEqual([{ type: 'left', name: 'alice', session: 's1', reason: 'logout' }]);
  });

  it('ignores a logout for another session (late, or spoofed)', () => {
    expect(decideLogout(online(alice), 'alice', 's0')).toEqual([]);
  });

  it('removes by name for a classic logout without a session, naming the session that was online', () => {
    expect(decideLogout(online(alice), 'alice')).toEqual([{ type: 'left', name: 'alice', session: 's1', reason: 'logout' }]);
  });

  it('ignores a logout of a name not online', () => {
    expect(decideLogout(online(alice), 'carol')).toEqual([]);
  });
});

describe('decideExpiry', () => {
  it('expires the online session only', () => {
    expect(decideExpiry(online(alice), 'alice', 's1')).toEqual([{ type: 'left', name: 'alice', session: 's1', reason: 'expired' }]);
    expect(decideExpiry(online(alice), 'alice', 's2')).toEqual([]);
    expect(decideExpiry(emptyPresence(), 'alice', 's1')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { createPendingLogins, type PendingLogin } from '../../src/trust/index.js';

const login = (name: string, address: string, at: number, session = `s-${name}`): PendingLogin => ({
  name,
  session,
  endpoint: `${address}:5000`,
  address,
  imstate: true,
  secret: 'AAAAAAAAAAAA',
  at,
});

describe('pending logins', () => {
  it('finds a login by name and session, and a retransmission keeps the first one (and its secret)', () => {
    const pending = createPendingLogins({ maxPending: 10, maxPendingPerAddress: 5, pendingMs: 1_000 });
    const first = pending.add(login('alice', '127.0.0.1', 0));
    const again = pending.add({ ...login('alice', '127.0.0.1', 500), secret: 'BBBBBBBBBBBB' });
    expect(again).toBe(first);
    expect(pending.size).toBe(1);
    expect(pending.find('alice', 's-alice')?.secret).toBe('AAAAAAAAAAAA');
    expect(pending.find('alice', 'other')).toBeUndefined();
  });

  it('caps the whole table and each address, and says which cap a login hit', () => {
    const pending = createPendingLogins({ maxPending: 4, maxPendingPerAddress: 2, pendingMs: 1_000 });
    pending.add(login('a', '127.0.0.2', 0));
    pending.add(login('b', '127.0.0.2', 0));
    expect(pending.room('127.0.0.2')).toBe('pending-per-address');
    expect(pending.room('127.0.0.1')).toBe('ok');
    pending.add(login('c', '127.0.0.1', 0));
    pending.add(login('d', '127.0.0.3', 0));
    expect(pending.room('127.0.0.4')).toBe('pending-full');
    pending.remove('a', 's-a');
    expect(pending.room('127.0.0.2')).toBe('ok');
  });

  it('lists the logins on an address, and expires the ones pending for pendingMs, oldest first', () => {
    const pending = createPendingLogins({ maxPending: 10, maxPendingPerAddress: 10, pendingMs: 1_000 });
    pending.add(login('a', '127.0.0.1', 0));
    pending.add(login('b', '127.0.0.2', 100));
    pending.add(login('c', '127.0.0.1', 200));
    expect(pending.onAddress('127.0.0.1').map((l) => l.name)).toEqual(['a', 'c']);
    expect(pending.onAddress('127.0.0.9')).toEqual([]);
    expect(pending.expire(999)).toEqual([]);
    expect(pending.expire(1_100).map((l) => l.name)).toEqual(['a', 'b']);
    expect(pending.size).toBe(1);
    expect(pending.room('127.0.0.2')).toBe('ok');
  });

  it('a login of the same name and session at another endpoint replaces the pending one', () => {
    const pending = createPendingLogins({ maxPending: 10, maxPendingPerAddress: 10, pendingMs: 1_000 });
    pending.add(login('a', '127.0.0.1', 0));
    pending.add({ ...login('a', '127.0.0.1', 10), endpoint: '127.0.0.1:6000' });
    expect(pending.size).toBe(1);
    expect(pending.find('a', 's-a')?.endpoint).toBe('127.0.0.1:6000');
  });
});

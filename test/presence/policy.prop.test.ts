/**
 * The policy under random server inputs: what each decision promises holds after every command, and the log it
 * writes never needs the reducer's forgiveness (no stale leave, no join over a name without its leave first).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEvents, emptyPresence, findUser, listUsers } from '../../src/presence/state.js';
import type { PresenceEvent } from '../../src/presence/types.js';
import { decidePresence, presenceCommandArbitrary } from '../../src/testing/presence-arbitraries.js';
import { expectUniqueNames, propertyRuns, propertyTimeout } from './helpers.js';

const RUNS = 300;

describe('presence policy properties', () => {
  it('keeps every promise of the policy after every command', () => {
    fc.assert(
      fc.property(fc.array(presenceCommandArbitrary(), { maxLength: 60, size: 'medium' }), (commands) => {
        let state = emptyPresence();
        let seq = 0;
        for (const command of commands) {
          const before = state;
          const changes = decidePresence(state, command);
          const events = changes.map((change): PresenceEvent => ({ ...change, seq: ++seq }) as PresenceEvent);
          // The log the policy writes is clean: a leave names the session online, a join's name is free.
          let check = before;
          for (const event of events) {
            if (event.type === 'left') expect(findUser(check, event.name)?.session).toBe(event.session);
            else expect(findUser(check, event.user.name)).toBeUndefined();
            check = applyEvents(check, [event]);
          }
          state = applyEvents(state, events);
          expectUniqueNames(listUsers(state));

          const online = findUser(before, command.type === 'login' ? command.user.name : command.name);
          if (command.type === 'login') {
            expect(findUser(state, command.user.name)).toEqual(command.user);
            // A login sent again right away is a retransmission.
            expect(decidePresence(state, command)).toEqual([]);
            if (online !== undefined && changes.length > 0) {
              expect(changes[0]).toEqual({ type: 'left', name: online.name, session: online.session, reason: 'replaced' });
            }
          } else if (online !== undefined && (command.type === 'logout' && command.session === undefined ? true : online.session === command.session)) {
            expect(findUser(state, command.name)).toBeUndefined();
            expect(events).toHaveLength(1);
          } else {
            expect(events).toEqual([]);
            expect(state).toBe(before);
          }
        }
      }),
      { numRuns: propertyRuns(RUNS) },
    );
  }, propertyTimeout(RUNS));
});

/**
 * One presence authority: whatever the history (logins, retransmissions, replacements, logouts stale or not, pings,
 * expiries, and another writer appending to the same log at any moment), the server machine's fold equals the log's
 * snapshot, users and sequence number, after every step; and every append the machine asked for was decided on
 * a fold the log had reached.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideLogin, toSnapshot } from '../../src/presence/index.js';
import type { Message } from '../../src/protocol/index.js';
import { settle, startServer } from './support/harness.js';
import { ep } from './support/wire.js';

const runs = Number(process.env['IMSTATE_FUZZ_RUNS'] ?? 40);
const names = ['alice', 'bob', 'carol'];
const sessions = ['s1', 's2'];

type Step =
  | { readonly kind: 'login'; readonly name: string; readonly session?: string; readonly port: number }
  | { readonly kind: 'logout'; readonly name: string; readonly session?: string }
  | { readonly kind: 'ping'; readonly name: string; readonly session: string }
  | { readonly kind: 'time'; readonly ms: number }
  | { readonly kind: 'other'; readonly name: string; readonly session: string };

const name = fc.constantFrom(...names);
const session = fc.constantFrom(...sessions);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('login' as const), name, session: fc.option(session, { nil: undefined }), port: fc.integer({ min: 5001, max: 5003 }) }),
  fc.record({ kind: fc.constant('logout' as const), name, session: fc.option(session, { nil: undefined }) }),
  fc.record({ kind: fc.constant('ping' as const), name, session }),
  fc.record({ kind: fc.constant('time' as const), ms: fc.integer({ min: 1, max: 2500 }) }),
  fc.record({ kind: fc.constant('other' as const), name, session }),
);

const datagram = (s: Extract<Step, { kind: 'login' | 'logout' }>): Message => {
  const endpoint = ep(`127.0.0.1:${s.kind === 'login' ? s.port : 5001}`);
  const fields = s.session === undefined ? {} : s.kind === 'login' ? { imstate: true, session: s.session } : { session: s.session };
  return { type: s.kind, name: s.name, endpoint, ...fields, extensions: [] } as Message;
};

describe(`the server machine and its presence log agree (${runs} histories; IMSTATE_FUZZ_RUNS sets it)`, () => {
  it('its fold equals the log snapshot after every step, another writer or not', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), async (steps) => {
        const rig = startServer();
        rig.actor.send({ type: 'START' });
        await settle();
        for (const s of steps) {
          if (s.kind === 'login' || s.kind === 'logout') await rig.receive(datagram(s), '127.0.0.1:40000');
          else if (s.kind === 'ping') await rig.receive({ type: 'ping', name: s.name, session: s.session }, '127.0.0.1:40000');
          else if (s.kind === 'time') {
            rig.advance(s.ms);
            await settle();
          } else {
            // Another server on the same log: it decides on the log's own fold and appends at its head.
            const user = { name: s.name, endpoint: '127.0.0.1:6000', session: `other-${s.session}`, imstate: true };
            await rig.log.append(decideLogin(rig.log.state, user), rig.log.seq);
            await settle();
          }
          expect(toSnapshot(rig.actor.getSnapshot().context.presence)).toEqual(await rig.log.snapshot());
        }
        for (const command of rig.emitted) {
          if (command.type === 'presence.append') expect(command.at).toBeLessThanOrEqual(rig.log.seq);
        }
        rig.actor.stop();
      }),
      { numRuns: runs },
    );
  });
});

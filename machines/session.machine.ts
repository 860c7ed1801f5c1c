/**
 * One user's session on the server: `joining → online → gone`. One actor per online user, so an inspector shows
 * each session and why it ended.
 *
 * - `joining`: the server has sent `Accept`. An imstate session stays here until its first `ping` proves the peer got
 *   the `Accept`; a classic session (which can never ping) is online at once.
 * - `online`: heartbeats keep arriving (imstate) or nothing is expected (classic).
 * - `gone` (final): left by `logout`, replaced by a newer login of the name, expired, or the server stopped.
 *
 * ## Contract
 * - **Input** {@link SessionInput}: the user (from src/presence).
 * - **Events in** {@link SessionEvent}: `heartbeat` (a `ping` the server accepted), `leave { reason }`, `expire`.
 *   The session directory (./session.directory.ts) sends them; it, not this machine, counts missed heartbeats, so
 *   that no session holds a timer (see machines/README.md: a timer per actor makes every actor stop O(timers)).
 * - **Guards**: `isClassic`. **Output**: `{ name, session, reason }`.
 * @module
 */
import { assign, setup } from 'xstate';
import type { LeaveReason, User } from '../src/presence/index.js';

/** Why a session ended: a presence reason, or the server stopping. */
export type SessionEndReason = LeaveReason | 'shutdown';

/** What the directory gives each session. */
export interface SessionInput {
  readonly user: User;
}

/** What a session reacts to. */
export type SessionEvent =
  | { readonly type: 'heartbeat' }
  | { readonly type: 'leave'; readonly reason: SessionEndReason }
  | { readonly type: 'expire' };

/** A session's context: the user and, once gone, why. */
export interface SessionContext {
  readonly user: User;
  /** `ping`s received. */
  readonly heartbeats: number;
  readonly reason?: SessionEndReason;
}

/** The session machine. See the module comment for its contract. */
export const sessionMachine = setup({
  types: {
    context: {} as SessionContext,
    events: {} as SessionEvent,
    input: {} as SessionInput,
    output: {} as { name: string; session: string; reason: SessionEndReason },
  },
  guards: {
    isClassic: ({ context }) => !context.user.imstate,
  },
  actions: {
    countHeartbeat: assign({ heartbeats: ({ context }) => context.heartbeats + 1 }),
    takeReason: assign({ reason: ({ event }) => (event.type === 'leave' ? event.reason : 'expired') }),
  },
}).createMachine({
  id: 'session',
  context: ({ input }) => ({ user: input.user, heartbeats: 0 }),
  initial: 'joining',
  states: {
    joining: {
      always: { guard: 'isClassic', target: 'online' },
      on: {
        heartbeat: { target: 'online', actions: 'countHeartbeat' },
        leave: { target: 'gone', actions: 'takeReason' },
        expire: { target: 'gone', actions: 'takeReason' },
      },
    },
    online: {
      on: {
        heartbeat: { actions: 'countHeartbeat' },
        leave: { target: 'gone', actions: 'takeReason' },
        expire: { target: 'gone', actions: 'takeReason' },
      },
    },
    gone: { type: 'final' },
  },
  output: ({ context }) => ({ name: context.user.name, session: context.user.session, reason: context.reason ?? 'shutdown' }),
});

/**
 * The server's session directory: one actor that owns every session actor (./session.machine.ts) and counts missed
 * heartbeats for all of them, so that a login costs the same with 10 or 100,000 users online.
 *
 * Why not `spawnChild` on the server machine: XState 5.33 copies the parent's `children` record on every spawn and
 * every stop (`resolveSpawn`: `{ ...snapshot.children, [id]: actorRef }`), about 0.4 µs per child already there, and
 * spawning 100,000 sessions that way took minutes (machines/README.md has the figures). Why no timer per session:
 * stopping any actor runs `scheduler.cancelAll`, which walks every delayed event in the system (72 ms with 100,000
 * pending), so 100,000 expiry timers would make each logout and expiry cost that much. Here sessions are created
 * with `createActor(session, { parent })` and kept in a Map (O(1) to add, find and remove), and one `sweep` per
 * heartbeat period (the server machine's `heartbeatSweep` delay) walks the Map once, cheaply, to expire the silent.
 *
 * The Map is mutated in place: this actor is its only owner and it is never drafted or compared, so copying it per
 * event would buy nothing but the O(n) cost this module exists to avoid.
 *
 * ## Contract
 * - **Input** {@link SessionDirectoryInput}: `server` (the actor to tell about expiries), `missedHeartbeats`,
 *   `sessionActors` (default true; the engine turns it on only for an inspector), and `users` already online when the
 *   server started (from the presence log's snapshot). Those get their session actor at their first `heartbeat` (a
 *   session actor costs about 1.5-2 KB and 0.1 ms, too much to make 100,000 of at start), and expire like any other
 *   if none comes. Without `sessionActors` a session is its entry alone (name, session, last heartbeat period): the
 *   directory expires and ends it the same way, and 100,000 active users cost ~600 B each instead of ~2.6 KB.
 * - **Events in** {@link SessionDirectoryEvent}: `open { user }`, `close { name, session, reason }`,
 *   `heartbeat { name, session }`, `sweep` (end of a heartbeat period).
 * - **Events out** (to `server`): {@link SessionExpired} for each imstate session silent for `missedHeartbeats`
 *   whole periods. Classic sessions never expire (the original client cannot heartbeat).
 * - Stopping the directory ends every session with reason `shutdown`.
 * @module
 */
import { createActor, fromTransition, type ActorLogic, type ActorSystem, type AnyActorRef, type EventObject } from 'xstate';

type AnyActorSystem = ActorSystem<any>;
import type { User } from '../src/presence/index.js';
import { sessionMachine, type SessionEndReason, type SessionEvent } from './session.machine.js';

/** What the server gives its session directory. */
export interface SessionDirectoryInput {
  /** Where {@link SessionExpired} goes (the server machine passes `self`). */
  readonly server: AnyActorRef;
  readonly missedHeartbeats: number;
  /**
   * Whether each session gets its actor (default true). Off, a session is its entry only: the same expiry, no actor
   * to inspect, ~1.5 KB less per user (an XState actor costs that much even for the smallest logic).
   */
  readonly sessionActors?: boolean;
  /** Online when the server started; default none. */
  readonly users?: readonly User[];
}

/** What the directory is told by the server. */
export type SessionDirectoryEvent =
  | { readonly type: 'open'; readonly user: User }
  | { readonly type: 'close'; readonly name: string; readonly session: string; readonly reason: SessionEndReason }
  | { readonly type: 'heartbeat'; readonly name: string; readonly session: string }
  | { readonly type: 'sweep' };

/** Told to the server: this session missed too many heartbeats. */
export interface SessionExpired {
  readonly type: 'session.expired';
  readonly name: string;
  readonly session: string;
}

interface Entry {
  /** The session actor (with `sessionActors`); made at the first heartbeat for a user the server started with. */
  ref: AnyActorRef | undefined;
  readonly user: User;
  readonly session: string;
  readonly imstate: boolean;
  /** The heartbeat period of the last `ping` (or of the login). */
  lastBeat: number;
}

/** The directory's state: counters to read, and the Map it owns. */
export interface SessionDirectoryState {
  readonly server: AnyActorRef;
  readonly missedHeartbeats: number;
  /** Whether sessions get actors (see {@link SessionDirectoryInput.sessionActors}). */
  readonly sessionActors: boolean;
  /** Heartbeat periods completed (sweeps received). */
  sweeps: number;
  /** Online sessions by user name (names are unique among online users). */
  readonly entries: Map<string, Entry>;
}

/** The id a session actor gets: readable in an inspector. */
export const sessionActorId = (name: string): string => `session:${name}`;

const end = (state: SessionDirectoryState, name: string, event: SessionEvent, defer: (fn: () => void) => void): void => {
  const entry = state.entries.get(name);
  if (entry === undefined) return;
  state.entries.delete(name);
  const { ref } = entry;
  if (ref !== undefined) defer(() => ref.send(event));
};

/**
 * Builds the directory logic around a session logic (the server machine uses {@link sessionMachine}; a test may give
 * another). Register it as the server's `sessions` actor.
 */
export const createSessionDirectory = (
  session: ActorLogic<any, SessionEvent, { user: User }, AnyActorSystem, EventObject> = sessionMachine,
) =>
  fromTransition<SessionDirectoryState, SessionDirectoryEvent | EventObject, AnyActorSystem, SessionDirectoryInput>(
    (state, event, scope) => {
      const directoryEvent = event as SessionDirectoryEvent;
      switch (directoryEvent.type) {
        case 'open': {
          const { user } = directoryEvent;
          end(state, user.name, { type: 'leave', reason: 'replaced' }, scope.defer);
          const ref = state.sessionActors ? createActor(session, { parent: scope.self, id: sessionActorId(user.name), input: { user } }) : undefined;
          state.entries.set(user.name, { ref, user, session: user.session, imstate: user.imstate, lastBeat: state.sweeps });
          if (ref !== undefined) scope.defer(() => ref.start());
          return state;
        }
        case 'close': {
          if (state.entries.get(directoryEvent.name)?.session !== directoryEvent.session) return state;
          end(state, directoryEvent.name, { type: 'leave', reason: directoryEvent.reason }, scope.defer);
          return state;
        }
        case 'heartbeat': {
          const entry = state.entries.get(directoryEvent.name);
          if (entry === undefined || entry.session !== directoryEvent.session) return state;
          entry.lastBeat = state.sweeps;
          if (!state.sessionActors) return state;
          if (entry.ref === undefined) {
            const ref = createActor(session, { parent: scope.self, id: sessionActorId(entry.user.name), input: { user: entry.user } });
            entry.ref = ref;
            scope.defer(() => ref.start());
          }
          const { ref } = entry;
          scope.defer(() => ref.send({ type: 'heartbeat' }));
          return state;
        }
        case 'sweep': {
          state.sweeps++;
          const silentSince = state.sweeps - 1 - state.missedHeartbeats;
          // forEach rather than for…of: no [key, value] pair allocated per session on a walk over all of them.
          state.entries.forEach((entry, name) => {
            if (!entry.imstate || entry.lastBeat > silentSince) return;
            end(state, name, { type: 'expire' }, scope.defer);
            const expired: SessionExpired = { type: 'session.expired', name, session: entry.session };
            scope.defer(() => state.server.send(expired));
          });
          return state;
        }
      }
      if (event.type === 'xstate.stop') {
        for (const name of [...state.entries.keys()]) end(state, name, { type: 'leave', reason: 'shutdown' }, (fn) => fn());
      }
      return state;
    },
    ({ input }) => ({
      server: input.server,
      missedHeartbeats: input.missedHeartbeats,
      sessionActors: input.sessionActors ?? true,
      sweeps: 0,
      entries: new Map(
        (input.users ?? []).map((user) => [user.name, { ref: undefined, user, session: user.session, imstate: user.imstate, lastBeat: 0 }]),
      ),
    }),
  );

/** The directory the server machine registers by default, around {@link sessionMachine}. */
export const sessionDirectory = createSessionDirectory();

/** How many sessions a directory snapshot holds (for tests and stats). */
export const sessionCount = (state: SessionDirectoryState): number => state.entries.size;

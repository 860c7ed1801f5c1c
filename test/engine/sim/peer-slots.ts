/**
 * The peers of a world: one slot per name, each holding at most one real peer engine at a time. A schedule logs a slot
 * in (to the server address it is given), logs it out, or crashes it (its socket vanishes); the slot remembers what
 * the schedule last said (`expectedOnline`) and what its peer believes (state, list), for the convergence checks.
 * @module
 */
import type { Subscription } from 'rxjs';
import { createPeer, type LifecycleState, type PeerHandle } from '../../../src/engine/index.js';
import type { User } from '../../../src/presence/index.js';
import { parseEndpoint } from '../../../src/protocol/index.js';
import type { MemoryNetwork } from '../../../src/transport/index.js';
import type { PeerOptions } from '../../../machines/peer.options.js';
import type { WorldTime } from './world-time.js';

/** What one peer slot is and believes. */
export interface PeerView {
  readonly name: string;
  /** The schedule's last word on this slot was a login. */
  readonly expectedOnline: boolean;
  /** The current handle's lifecycle state, or `none` when the slot has no handle. */
  readonly state: string;
  readonly reason?: string;
  readonly endpoint?: string;
  /** The server address the current handle logs in to. */
  readonly server?: string;
  readonly users: readonly User[];
}

/** One slot (mutable by the world that owns it). */
export interface Slot {
  readonly name: string;
  handle?: PeerHandle;
  /** The server address the handle logs in to. */
  server?: string;
  expectedOnline: boolean;
  state: LifecycleState;
  users: readonly User[];
  subscriptions: Subscription[];
  /** Handles made so far, to tell one login's log lines from the next. */
  handles: number;
  /** When the schedule last logged this slot out or crashed it (the time's ms). */
  endedAt: number;
}

/** How often the peers took the paths that make convergence hard. */
export interface PeerTally {
  /** Peers told `unknown` by a server that did not know them (it restarted, or expired them). */
  rejoined: number;
  /** Peers that took the server for gone after unanswered pings. */
  serverSilent: number;
  /** Resync list fetches after a gap in the presence sequence. */
  resyncs: number;
}

/** Options of {@link createSlots}. */
export interface SlotsOptions {
  readonly names: readonly string[];
  readonly network: MemoryNetwork;
  readonly time: WorldTime;
  readonly timings: Partial<PeerOptions>;
  /** How long a datagram may stay in flight: a name logs in again only this long after its last session ended. */
  readonly lifetime: number;
  /** Log in again at once, datagrams of the previous session in flight or not (see sim/world.ts). */
  readonly reloginWithinLifetime?: boolean;
  readonly note: (who: string, text: string) => void;
  readonly tally: PeerTally;
}

/** The slots and what a schedule does to them. */
export interface Slots {
  readonly all: readonly Slot[];
  /** The schedule logs `slot` in to `server` (nothing more when it has a handle already). */
  login(slot: Slot, server: string): Promise<void>;
  /** Ends the slot's handle: a logout, or (`crash`) a stop whose datagrams go nowhere. Keeps `expectedOnline`. */
  end(slot: Slot, crash: boolean): void;
  views(): PeerView[];
  /** Logs every slot out and resolves when every handle ever made has ended (logins and logouts). */
  endAll(): Promise<void>;
  /** Unsubscribes from every handle. */
  close(): void;
}

/** Makes the slots, one per name, none logged in. */
export const createSlots = (options: SlotsOptions): Slots => {
  const { network, time, note, tally } = options;
  const endings: Promise<unknown>[] = [];
  const all: Slot[] = options.names.map((name) => ({
    name,
    expectedOnline: false,
    state: { value: 'none' },
    users: [],
    subscriptions: [],
    handles: 0,
    endedAt: Number.NEGATIVE_INFINITY,
  }));

  const login = async (slot: Slot, server: string): Promise<void> => {
    slot.expectedOnline = true;
    if (slot.handle !== undefined) return; // logged in or logging in: a second click changes nothing
    const wait = slot.endedAt + options.lifetime - time.now();
    if (wait > 0 && options.reloginWithinLifetime !== true) await time.pass(wait);
    const handle = createPeer({ name: slot.name, network, ...(time.clock === undefined ? {} : { clock: time.clock }), server, timings: options.timings });
    slot.handle = handle;
    slot.server = server;
    slot.state = { value: 'idle' };
    slot.users = [];
    const who = `${slot.name}#${++slot.handles}`;
    // The old handles' subscriptions stay until close(): their logouts still log.
    slot.subscriptions.push(
      handle.state$.subscribe((state) => {
        if (state.value.includes('resyncing')) tally.resyncs++;
        if (slot.handle === handle) slot.state = state;
      }),
      handle.users$.subscribe((users) => slot.handle === handle && (slot.users = users)),
      handle.log$.subscribe((line) => {
        if (line.text.includes('does not know this session')) tally.rejoined++;
        if (line.text.includes('answered none of the last')) tally.serverSilent++;
        note(who, `${line.kind}: ${line.text}`);
      }),
    );
    // A login ended by the schedule's own logout or crash rejects; one that fails by itself shows in the final state.
    endings.push(handle.login().catch((error: unknown) => note(who, `login() rejected: ${String(error)}`)));
  };

  const end = (slot: Slot, crash: boolean): void => {
    const handle = slot.handle;
    if (handle === undefined) return;
    slot.endedAt = time.now();
    if (crash) {
      const endpoint = handle.endpoint === undefined ? undefined : parseEndpoint(handle.endpoint);
      if (endpoint?.ok === true) network.crash(endpoint.value);
    }
    slot.handle = undefined;
    delete slot.server;
    slot.state = { value: 'none' };
    slot.users = [];
    endings.push(handle.logout());
  };

  return {
    all,
    login,
    end,
    views: () =>
      all.map((slot) => ({
        name: slot.name,
        expectedOnline: slot.expectedOnline,
        state: slot.state.value,
        ...(slot.state.reason === undefined ? {} : { reason: slot.state.reason }),
        ...(slot.handle?.endpoint === undefined ? {} : { endpoint: slot.handle.endpoint }),
        ...(slot.server === undefined ? {} : { server: slot.server }),
        users: slot.users,
      })),
    async endAll() {
      for (const slot of all) {
        slot.expectedOnline = false;
        end(slot, false);
      }
      await Promise.all(endings);
    },
    close() {
      for (const slot of all) for (const subscription of slot.subscriptions) subscription.unsubscribe();
    },
  };
};

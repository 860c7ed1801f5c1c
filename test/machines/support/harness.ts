/**
 * Runs the machines on a simulated clock with test doubles for the engine's actors, recording every command they
 * emit. No sockets: a "datagram" is an event sent by the test.
 * @module
 */
import { createActor, fromPromise, SimulatedClock, type Actor } from 'xstate';
import { linkPresenceLog } from '../../../src/engine/presence-link.js';
import { createMemoryLog, type MemoryPresenceLog } from '../../../src/presence/index.js';
import type { Message } from '../../../src/protocol/index.js';
import { datagramEvent } from '../../../machines/commands.js';
import { peerMachine, type PeerEmitted, type PeerInput } from '../../../machines/peer.machine.js';
import type { FetchedList, ListAddress } from '../../../machines/peer.wire.js';
import { ep } from './wire.js';
import { serverMachine, type BindRequest, type ServerEmitted, type ServerInput } from '../../../machines/server.machine.js';

/**
 * Moves a simulated clock forward 1 ms at a time. `SimulatedClock.increment(n)` fires what is due at the end, but a
 * timer set while firing counts from the end too, so a repeating delay would fire once per call instead of per period.
 */
export const tick = (clock: SimulatedClock, ms: number): void => {
  for (let i = 0; i < ms; i++) clock.increment(1);
};

/** Lets promise actors settle (they resolve on the microtask queue). Not a timed wait: one macrotask turn. */
export const settle = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

/** A promise the test resolves or rejects by hand, to order a list fetch against datagrams. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}

/** Makes a {@link Deferred}. */
export const deferred = <T>(): Deferred<T> => {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

/** A peer machine under test. */
export interface PeerRig {
  readonly actor: Actor<typeof peerMachine>;
  readonly clock: SimulatedClock;
  /** Every emitted command, in order. */
  readonly emitted: PeerEmitted[];
  /** The datagrams sent, in order. */
  sent(): { to: string; message: Message }[];
  /** The list fetches asked for, in order. */
  readonly fetches: ListAddress[];
  /** Hands the machine a datagram. */
  receive(message: Message, from: string): void;
  /** Moves the simulated clock. */
  advance(ms: number): void;
}

/** Options of {@link startPeer}. */
export interface PeerRigOptions {
  readonly input?: Partial<PeerInput>;
  /** The endpoint bindSocket resolves to. */
  readonly endpoint?: string;
  /** Answers each list fetch (default: a list with only this peer, classic). */
  readonly fetchList?: (address: ListAddress, attempt: number) => Promise<FetchedList>;
  readonly bindSocket?: () => Promise<string>;
}

/** Starts a peer machine (not yet logged in) with test doubles. */
export const startPeer = (options: PeerRigOptions = {}): PeerRig => {
  const clock = new SimulatedClock();
  const endpoint = options.endpoint ?? '127.0.0.1:5001';
  const fetches: ListAddress[] = [];
  const input: PeerInput = { name: 'alice', server: '127.0.0.1:9000', session: 's-alice', ...options.input };
  const machine = peerMachine.provide({
    actors: {
      bindSocket: fromPromise(async () => (options.bindSocket ? options.bindSocket() : endpoint)),
      fetchList: fromPromise<FetchedList, ListAddress>(async ({ input: address }) => {
        fetches.push(address);
        if (options.fetchList) return options.fetchList(address, fetches.length);
        return { list: `${input.name},${endpoint};end` };
      }),
    },
  });
  const actor = createActor(machine, { input, clock });
  const emitted: PeerEmitted[] = [];
  actor.on('*', (event) => emitted.push(event));
  actor.start();
  return {
    actor,
    clock,
    emitted,
    fetches,
    sent: () => emitted.flatMap((e) => (e.type === 'send' ? [{ to: e.to, message: e.message }] : [])),
    receive: (message, from) => actor.send(datagramEvent(message, ep(from))),
    advance: (ms) => tick(clock, ms),
  };
};

/** A server machine under test, linked to an in-memory presence log as the engine links it. */
export interface ServerRig {
  readonly actor: Actor<typeof serverMachine>;
  readonly clock: SimulatedClock;
  readonly emitted: ServerEmitted[];
  /** The presence log the machine appends to and follows. */
  readonly log: MemoryPresenceLog;
  /** Hands the machine a datagram; resolves once the log's answers (appends resolve on the microtask queue) are in. */
  receive(message: Message, from: string): Promise<void>;
  /**
   * A TCP list fetch from `from` (what proves a pending login's host asked); resolves once its answers are in. Its id
   * is returned: the machine's `list.serve` names it.
   */
  fetchList(from: string): Promise<number>;
  advance(ms: number): void;
}

/** Starts a server machine (idle) whose bind resolves to `address`, or rejects with `bindError`. */
export const startServer = (
  options: {
    input?: Partial<ServerInput>;
    address?: BindRequest;
    bindError?: string;
    unbindError?: string;
    /** The log to start on (default: a fresh one); the rig does not send START. */
    log?: MemoryPresenceLog;
  } = {},
): ServerRig => {
  const clock = new SimulatedClock();
  const input: ServerInput = { host: '127.0.0.1', udpPort: 9000, tcpPort: 9001, heartbeatMs: 1000, missedHeartbeats: 3, ...options.input };
  const machine = serverMachine.provide({
    actors: {
      bind: fromPromise<BindRequest, BindRequest>(async ({ input: request }) => {
        if (options.bindError !== undefined) throw new Error(options.bindError);
        return options.address ?? request;
      }),
      unbind: fromPromise<void, void>(async () => {
        if (options.unbindError !== undefined) throw new Error(options.unbindError);
      }),
    },
  });
  const actor = createActor(machine, { input, clock });
  const emitted: ServerEmitted[] = [];
  const log = options.log ?? createMemoryLog();
  actor.on('*', (event) => emitted.push(event));
  actor.start();
  const link = linkPresenceLog(actor, log, log.seq, { failed: (text) => emitted.push({ type: 'log', level: 'error', kind: 'log', text }) });
  actor.on('presence.append', (command) => link.append(command));
  let fetches = 0;
  return {
    actor,
    clock,
    emitted,
    log,
    receive: async (message, from) => {
      actor.send(datagramEvent(message, ep(from)));
      await settle();
    },
    fetchList: async (from) => {
      const id = ++fetches;
      actor.send({ type: 'list.requested', id, from: ep(from) });
      await settle();
      return id;
    },
    advance: (ms) => tick(clock, ms),
  };
};

/**
 * Helpers for the inspector tests: a small real machine to watch, a WebSocket client on loopback that records what
 * the inspector sends and waits (boundedly) for a message, and the property run count.
 * @module
 */
import WebSocket from 'ws';
import { assign, setup } from 'xstate';
import type { ServerMessage, StepView } from '../../src/inspect/index.js';

/** Runs per property: `IMSTATE_FUZZ_RUNS` when set, else `ci`. */
export const propertyRuns = (ci: number): number => {
  const asked = Number(process.env['IMSTATE_FUZZ_RUNS']);
  return Number.isSafeInteger(asked) && asked > 0 ? asked : ci;
};

/** How long a test waits for a message that should come at once; a miss fails the test instead of hanging it. */
export const WAIT_MS = 5_000;

interface LightContext {
  changes: number;
  bigint: bigint;
  callback: () => number;
  loop: { name: string; self?: unknown };
}

/**
 * A traffic light whose context holds what the inspector must not ship as is: a function, a BigInt, a cycle.
 * `TIMER` goes green → yellow → red → green; `BROKEN` is handled nowhere.
 */
export const lightMachine = setup({
  types: {} as { context: LightContext; events: { type: 'TIMER'; by?: string } },
}).createMachine({
  id: 'light',
  initial: 'green',
  context: () => {
    // XState copies the context object itself, so the cycle lives one level down.
    const loop: { name: string; self?: unknown } = { name: 'loop' };
    loop.self = loop;
    return { changes: 0, bigint: 10n ** 20n, callback: () => 1, loop };
  },
  states: {
    green: { on: { TIMER: { target: 'yellow', actions: assign({ changes: ({ context }) => context.changes + 1 }) } } },
    yellow: { on: { TIMER: { target: 'red', actions: assign({ changes: ({ context }) => context.changes + 1 }) } } },
    red: { on: { TIMER: { target: 'green', actions: assign({ changes: ({ context }) => context.changes + 1 }) } } },
  },
});

/** A WebSocket client that keeps every message and can wait for one. */
export interface Watcher {
  readonly ws: WebSocket;
  readonly messages: ServerMessage[];
  /** Resolves with the first message (already received or coming) that matches; rejects after {@link WAIT_MS}. */
  next<M extends ServerMessage>(match: (m: ServerMessage) => m is M, what: string): Promise<M>;
  next(match: (m: ServerMessage) => boolean, what: string): Promise<ServerMessage>;
  /** Every step received so far in `changes` and `history`, by seq. */
  steps(): StepView[];
  send(value: unknown): void;
  close(): Promise<void>;
}

/** Connects to the inspector at `url` (its page URL) and resolves once the socket is open. */
export async function watch(url: string, headers: Record<string, string> = {}): Promise<Watcher> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}ws`, { headers });
  const messages: ServerMessage[] = [];
  const waiters: Array<{ match: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }> = [];
  let cursor = 0;
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as ServerMessage;
    messages.push(message);
    for (const waiter of [...waiters]) {
      if (waiter.match(message)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const watcher: Watcher = {
    ws,
    messages,
    next: (match: (m: ServerMessage) => boolean, what: string): Promise<ServerMessage> => {
      // Each call consumes messages in order, so two waits for the same kind see two different messages.
      for (; cursor < messages.length; cursor++) {
        const m = messages[cursor]!;
        if (match(m)) {
          cursor++;
          return Promise.resolve(m);
        }
      }
      return new Promise<ServerMessage>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no ${what} within ${WAIT_MS} ms; got ${messages.map((m) => m.t).join(', ')}`));
        }, WAIT_MS);
        const waiter = {
          match,
          resolve: (m: ServerMessage) => {
            clearTimeout(timer);
            cursor = messages.length;
            resolve(m);
          },
        };
        waiters.push(waiter);
      });
    },
    steps: () => {
      const out = new Map<number, StepView>();
      for (const m of messages) {
        if (m.t === 'history') for (const s of m.steps) out.set(s.seq, s);
        if (m.t === 'changes') for (const c of m.changes) if (c.t === 'step') out.set(c.step.seq, c.step);
      }
      return [...out.values()].sort((a, b) => a.seq - b.seq);
    },
    send: (value) => ws.send(typeof value === 'string' ? value : JSON.stringify(value)),
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.terminate();
      }),
  };
  return watcher;
}

/** Type guard factory: messages of one kind. */
export const ofType =
  <T extends ServerMessage['t']>(t: T) =>
  (m: ServerMessage): m is Extract<ServerMessage, { t: T }> =>
    m.t === t;

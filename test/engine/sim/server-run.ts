/**
 * One index server of a world, from start to stop: the real engine on the world's network and time, with what it
 * believes (state, list) kept for the convergence checks and its log lines in the world's trace.
 * @module
 */
import type { Subscription } from 'rxjs';
import { createIndexServer, type CreateIndexServerOptions, type LifecycleState } from '../../../src/engine/index.js';
import type { User } from '../../../src/presence/index.js';
import type { MemoryNetwork } from '../../../src/transport/index.js';
import type { WorldTime } from './world-time.js';

/** What a server is and believes. */
export interface ServerView {
  readonly state: string;
  readonly users: readonly User[];
}

/** How often the servers took the paths that make convergence hard. */
export interface ServerTally {
  /** Sessions a server expired (a crashed peer, one whose pings were all lost, or another server's orphan). */
  expired: number;
  /** Sessions replaced by a newer login of the name. */
  replaced: number;
  /** Batch datagrams the servers sent (the peers say `batch=1`, so presence goes to them in batches). */
  batches: number;
}

/** A started server; `stop()` ends it (no goodbye is sent: a stop and a crash look the same to the peers). */
export interface ServerRun {
  readonly who: string;
  view(): ServerView;
  stop(): Promise<void>;
}

/** Options of {@link runServer}: where it runs and what to call it, then the engine's own options. */
export interface ServerRunOptions {
  readonly who: string;
  readonly network: MemoryNetwork;
  readonly time: WorldTime;
  readonly note: (who: string, text: string) => void;
  readonly tally: ServerTally;
  readonly server: CreateIndexServerOptions;
}

/** Starts a server (the start must settle, see {@link WorldTime.settle}). */
export const runServer = async ({ who, network, time, note, tally, server }: ServerRunOptions): Promise<ServerRun> => {
  const handle = createIndexServer({ ...server, network, ...(time.clock === undefined ? {} : { clock: time.clock }) });
  let state: LifecycleState = { value: 'none' };
  let users: readonly User[] = [];
  const subscriptions: Subscription[] = [
    handle.state$.subscribe((next) => (state = next)),
    handle.users$.subscribe((next) => (users = next)),
    handle.log$.subscribe((line) => {
      if (line.kind === 'expired') tally.expired++;
      if (line.kind === 'replaced') tally.replaced++;
      note(who, `${line.kind}: ${line.text}`);
    }),
  ];
  let stopped: Promise<void> | undefined;
  await time.settle(`${who}.start()`, handle.start());
  return {
    who,
    view: () => (stopped === undefined ? { state: state.value, users } : { state: 'none', users: [] }),
    stop() {
      stopped ??= (async () => {
        await time.settle(`${who}.stop()`, handle.stop());
        tally.batches += handle.stats()['batchDatagrams'] ?? 0;
        for (const subscription of subscriptions) subscription.unsubscribe();
      })();
      return stopped;
    },
  };
};

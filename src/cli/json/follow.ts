/**
 * What the server and the peer print alike in JSON mode: every lifecycle state, every log line, and once ready, who
 * joined and who left (the handle's `presence$`). A failed machine after `ready` ends the run with its reason.
 * @module
 */
import type { Observable, Subscription } from 'rxjs';
import type { LifecycleState, LogEntry, PresenceUpdate } from '../../engine/types.js';
import { emptyPresence, listUsers, removeUser, upsertUser, type PresenceState } from '../../presence/index.js';
import type { User } from '../../presence/types.js';
import { isFailed } from '../engine-api.js';
import { EXIT_FAILURE } from '../exit-codes.js';
import type { JsonRun } from './json-run.js';
import { logLine, stateLine, userJoinedLine, userLeftLine } from './lines.js';

/** The part of a server or peer handle JSON mode follows (the online list is folded from `presence$`). */
export interface Followable {
  readonly state$: Observable<LifecycleState>;
  readonly log$: Observable<LogEntry>;
  readonly presence$: Observable<PresenceUpdate>;
}

/** The latest online list, and the switch that turns on join/leave lines and the failure exit. */
export interface Following {
  users(): readonly User[];
  /** Call once the `ready` line is out. */
  ready(): void;
}

/** Subscribes (into `subscriptions`) and writes lines to `run.out`; `what` names the machine in a failure. */
export const follow = (handle: Followable, run: JsonRun, subscriptions: Subscription, what: string): Following => {
  let ready = false;
  // The list folded from presence$ (O(log users) a change) and listed only when asked: users$ would list every
  // user on every change, which at 100,000 online costs more than the login it reports.
  let online: PresenceState = emptyPresence();
  subscriptions.add(
    handle.state$.subscribe((state) => {
      run.out.write(stateLine(state));
      // After ready a failed machine does not come back: say why and leave with a non-zero code.
      if (ready && isFailed(state)) run.stop(EXIT_FAILURE, state.reason ?? `the ${what} failed`);
    }),
  );
  subscriptions.add(handle.log$.subscribe((entry) => run.out.write(logLine(entry))));
  subscriptions.add(
    handle.presence$.subscribe((update) => {
      online = update.type === 'joined' ? upsertUser(online, update.user) : removeUser(online, update.user.name);
      if (ready) run.out.write(update.type === 'joined' ? userJoinedLine(update.user) : userLeftLine(update.user));
    }),
  );
  return {
    users: () => listUsers(online),
    ready: () => {
      ready = true;
    },
  };
};

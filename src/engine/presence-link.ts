/**
 * Where the server machine meets its presence log: the engine's half of decide → conditional append → apply
 * (machines/server.presence.ts has the machine's half). Every batch the log's `follow()` delivers goes to the machine
 * as `presence.events`; every `presence.append` the machine emits becomes `log.append(changes, at)`, answered with
 * `presence.appended` or `presence.conflict`. Nothing here numbers or folds an event: the log numbers, the machine folds.
 * @module
 */
import type { Subscription } from 'rxjs';
import type { AnyActorRef } from 'xstate';
import type { PresenceAppendCommand, ServerEvent } from '../../machines/server.machine.js';
import type { PresenceEvent, PresenceLog } from '../presence/index.js';

/** What the link reports besides feeding the machine. */
export interface PresenceLinkHandlers {
  /** The log recorded these events (any writer's), just before the machine gets them. */
  readonly recorded?: (events: readonly PresenceEvent[]) => void;
  /** The machine has folded these events and fanned them out. */
  readonly delivered?: (events: readonly PresenceEvent[]) => void;
  /** The log failed (an append rejected, or `follow()` errored): a sentence for the server's log. */
  readonly failed: (text: string) => void;
}

/** A running link; `close()` stops following and drops the answers of appends still in flight. */
export interface PresenceLink {
  /** Carries out one `presence.append` command. */
  append(command: PresenceAppendCommand): void;
  close(): void;
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Follows `log` from `after` (the seq of the snapshot the machine started from) into `actor`, and returns the link
 * whose `append` the engine calls for each `presence.append`. Events reach the actor before the append's answer,
 * because the log emits them before its promise resolves.
 */
export const linkPresenceLog = (
  actor: Pick<AnyActorRef, 'send' | 'getSnapshot'>,
  log: PresenceLog,
  after: number,
  handlers: PresenceLinkHandlers,
): PresenceLink => {
  let open = true;
  const send = (event: ServerEvent): void => {
    if (open && actor.getSnapshot().status === 'active') actor.send(event);
  };
  const following: Subscription = log.follow(after).subscribe({
    next(events) {
      handlers.recorded?.(events);
      send({ type: 'presence.events', events });
      handlers.delivered?.(events);
    },
    error: (error: unknown) => handlers.failed(`the presence log stopped delivering events: ${errorText(error)}`),
  });
  return {
    append({ changes, at, cause, attempt }) {
      log.append(changes, at).then(
        (result) =>
          send(
            result.ok
              ? { type: 'presence.appended', cause, events: result.events }
              : { type: 'presence.conflict', cause, attempt, seq: result.seq },
          ),
        (error: unknown) => handlers.failed(`the presence log refused an append: ${errorText(error)}`),
      );
    },
    close() {
      open = false;
      following.unsubscribe();
    },
  };
};

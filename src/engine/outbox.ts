/**
 * The outbox: messages for someone who is not online (or whose peer stopped answering) wait here as `queued` and go
 * when that user is online again. It sits on a {@link PeerHandle}: it sends with `say()`, watches `users$` for the
 * recipient, and re-emits the peer's messages under the outbox's own ids, so that one message keeps one id from
 * `queued` to `delivered` (or `sent` to a classic peer) however many times it had to be sent.
 *
 * A queued message goes when its recipient is listed with a session other than the one that last failed (a user
 * whose peer crashed stays listed until the server expires them; sending again to that session would only fail
 * again). A message that could not go because the peer itself was not online (logging in again after losing its
 * server) waits too, and goes once the peer is online. Nothing here touches sockets or files: the chat client persists the queue with its history and gives it
 * back with {@link Outbox.restore}.
 * @module
 */
import { merge, Subject, type Observable, type Subscription } from 'rxjs';
import type { User } from '../presence/types.js';
import { encodeDatagram } from '../protocol/index.js';
import { EngineError } from './errors.js';
import type { ChatMessage, PeerHandle } from './types.js';
import { longTimeString } from './talk-time.js';

/** Messages waiting for their recipients, and every message of the peer under stable ids. */
export interface Outbox {
  /** The peer's messages (ids of queued ones as the outbox gave them) and the outbox's own `queued` states. */
  readonly messages$: Observable<ChatMessage>;
  /**
   * Says `text` to `to` now if `to` is online, else queues it (also while the peer itself is not online); resolves
   * with the message's id either way. Rejects as `say()` does for text no datagram can carry.
   */
  send(to: string, text: string): Promise<string>;
  /** Puts back messages queued before a restart (their ids kept); each goes once its recipient is online. */
  restore(messages: readonly ChatMessage[]): void;
  /** The messages waiting, oldest first. */
  pending(): readonly ChatMessage[];
  /** Stops watching the peer. */
  close(): void;
}

interface Waiting {
  readonly message: ChatMessage;
  /** The session the last try went to, if it failed there. */
  readonly failedSession?: string;
}

let outboxCount = 0;

/** What the outbox needs of a peer handle; with `state$`, what waits for the peer to be online goes when it is. */
export type OutboxPeer = Pick<PeerHandle, 'users$' | 'messages$' | 'say'> & Partial<Pick<PeerHandle, 'state$'>>;

const notOnline = (error: unknown): boolean => error instanceof EngineError && error.code === 'not-online';

/** Builds an outbox over `peer`, whose own name is `self`. */
export const createOutbox = (peer: OutboxPeer, self: string): Outbox => {
  const own$ = new Subject<ChatMessage>();
  const prefix = `q${(outboxCount += 1).toString(36)}-${Date.now().toString(36)}`;
  let next = 0;
  const waiting = new Map<string, Waiting>();
  /** Engine id → outbox id, for the messages the outbox sent. */
  const aliases = new Map<string, { readonly id: string; readonly session: string | undefined }>();
  let users: readonly User[] = [];
  const subscriptions: Subscription[] = [];

  const sessionOf = (name: string): string | undefined => users.find((user) => user.name === name)?.session;

  const queue = (message: ChatMessage, failedSession?: string): void => {
    const queued: ChatMessage = { ...message, status: 'queued' };
    waiting.set(message.id, failedSession === undefined ? { message: queued } : { message: queued, failedSession });
    own$.next(queued);
  };

  const flush = (): void => {
    for (const [id, { message, failedSession }] of [...waiting]) {
      const session = sessionOf(message.to);
      if (session === undefined || session === failedSession) continue;
      waiting.delete(id);
      peer.say(message.to, message.text).then(
        (engineId) => aliases.set(engineId, { id, session }),
        () => queue(message, failedSession),
      );
    }
  };

  subscriptions.push(
    peer.users$.subscribe((list) => {
      users = list;
      flush();
    }),
  );
  // Back online with the same list (a reconnection after an outage) is no change of users$, but is one of state$.
  if (peer.state$ !== undefined) {
    subscriptions.push(
      peer.state$.subscribe((state) => {
        if (state.value.startsWith('online')) flush();
      }),
    );
  }

  const fresh = (to: string, text: string): ChatMessage => {
    const id = `${prefix}.${(next += 1).toString(36)}`;
    return { id, direction: 'out', from: self, to, text, time: longTimeString(new Date()), status: 'queued' };
  };

  // A message the outbox sent comes back under its outbox id; one that failed goes back into the queue.
  const mapped$ = new Subject<ChatMessage>();
  subscriptions.push(
    peer.messages$.subscribe({
      next(message) {
        const alias = message.direction === 'out' ? aliases.get(message.id) : undefined;
        if (alias === undefined) {
          mapped$.next(message);
          return;
        }
        const renamed: ChatMessage = { ...message, id: alias.id };
        if (message.status === 'sending') {
          mapped$.next(renamed);
          return;
        }
        aliases.delete(message.id);
        if (message.status === 'failed') queue(renamed, alias.session);
        else mapped$.next(renamed);
      },
      complete() {
        mapped$.complete();
        own$.complete();
      },
    }),
  );

  return {
    messages$: merge(mapped$, own$),
    async send(to, text) {
      if (sessionOf(to) !== undefined) {
        try {
          return await peer.say(to, text);
        } catch (error) {
          // The peer is between servers: the message waits for it, not for its recipient.
          if (!notOnline(error)) throw error;
        }
      }
      const message = fresh(to, text);
      // Refused now what could never go, as say() would refuse it later.
      const fits = encodeDatagram({ type: 'rtalk', id: message.id, time: message.time, name: self, text });
      if (!fits.ok) throw new EngineError('bad-text', `cannot send that text to ${to}: ${fits.error.reason}`);
      queue(message);
      return message.id;
    },
    restore(messages) {
      for (const message of messages) if (!waiting.has(message.id)) queue(message);
      flush();
    },
    pending: () => [...waiting.values()].map((entry) => entry.message),
    close() {
      for (const subscription of subscriptions) subscription.unsubscribe();
    },
  };
};

/**
 * Logins held back while the batched fan-out is behind, so that a burst of logins cannot run ahead of the presence
 * everyone is owed. A login whose event the batch rounds could not send soon (a round is on its way and at least a
 * datagram's worth of events already waits for the next) waits here, in arrival order, instead of going to the
 * machine; each round that starts lets through about as many as fill one of its datagrams, and the rest go when the
 * rounds are idle. Held logins are not yet accepted: past `max` held, a login is dropped and counted (`loginsShed`),
 * and its peer's retry (it backs off) comes back later. Pings, logouts and everything else are never held.
 * @module
 */
import type { Counters } from './counters.js';

/** The hold of one server. */
export interface LoginHold {
  /** A login: `deliver` runs now, or later in arrival order while `behind()` says the fan-out is behind. */
  offer(deliver: () => void): void;
  /** Lets up to `count` held logins through, oldest first. */
  release(count: number): void;
  /** How many logins wait. */
  readonly held: number;
  /** Drops every held login (the server stops). */
  clear(): void;
}

/** Creates an empty hold. `behind` is asked for every login offered while none is held. */
export const createLoginHold = (options: { readonly behind: () => boolean; readonly max: number; readonly counters: Counters }): LoginHold => {
  let queue: (() => void)[] = [];
  let head = 0;
  return {
    offer(deliver) {
      if (head === queue.length && !options.behind()) {
        deliver();
        return;
      }
      if (queue.length - head >= options.max) {
        options.counters.add('loginsShed');
        return;
      }
      options.counters.add('loginsHeld');
      queue.push(deliver);
    },
    release(count) {
      for (let i = 0; i < count && head < queue.length; i++) {
        const deliver = queue[head]!;
        queue[head++] = () => undefined;
        deliver();
      }
      if (head === queue.length) {
        queue = [];
        head = 0;
      } else if (head > 1024 && head * 2 > queue.length) {
        queue = queue.slice(head);
        head = 0;
      }
    },
    get held() {
      return queue.length - head;
    },
    clear() {
      queue = [];
      head = 0;
    },
  };
};

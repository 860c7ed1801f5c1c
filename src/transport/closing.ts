/**
 * Keeps track of OS handles that are closing, so that `whenClosed()` can wait until Node has really let go of them
 * (a socket's `'close'` event can come a loop turn before libuv frees the handle).
 * @module
 */

/** Waits two turns of the event loop: enough for libuv's close callbacks of handles closed before now. */
const loopTurns = (): Promise<void> => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

/** A set of handles being closed. */
export class ClosingHandles {
  private readonly pending = new Set<Promise<void>>();

  /** Tracks a handle whose `closed` promise resolves on its `'close'` event. */
  add(closed: Promise<void>): void {
    const released = closed.then(loopTurns);
    this.pending.add(released);
    void released.finally(() => this.pending.delete(released));
  }

  /** Resolves once every tracked handle (including ones added while waiting) is released. */
  async whenClosed(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}

/** A promise of an emitter's next `'close'` event, created before anything can close it so that none is missed. */
export const onClose = (emitter: { once(event: 'close', listener: () => void): unknown }): Promise<void> =>
  new Promise((resolve) => emitter.once('close', () => resolve()));

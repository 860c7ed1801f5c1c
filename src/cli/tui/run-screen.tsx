/**
 * The skeleton both terminal runners share: make the engine handle, follow its lifecycle into a view store, draw the
 * screen with ink, start it, and end exactly once (a key, a signal, a failure after start), leaving one sentence on
 * stderr for a failure. What differs (which handle, which store, which screen, how it starts) is passed in.
 * @module
 */
import { render } from 'ink';
import type { ReactElement } from 'react';
import { Subscription, type Observable } from 'rxjs';
import type { LifecycleState } from '../../engine/types.js';
import { describeError, isFailed } from '../engine-api.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { renderTarget, settleOnce } from './terminal.js';

/** What a runner hands {@link runScreen}. */
export interface ScreenSpec<H extends { readonly state$: Observable<LifecycleState>; stop(): Promise<void> }, R = unknown> {
  /** `server` or `peer`: the prefix of the stderr sentence and the word in "the … failed". */
  readonly what: string;
  readonly io: CliIo;
  /** Refuse to run without a terminal on stdin (the chat client reads keys; the console can run without). */
  readonly needsKeys: boolean;
  /** Makes the handle; a throw is a refusal before starting (exit 2). */
  create(): H;
  /** Subscribes the store to the handle (into `subscriptions`); the state is followed already. */
  follow(handle: H, subscriptions: Subscription): void;
  /** Dispatches a lifecycle state into the store. */
  onState(state: LifecycleState): void;
  /** The screen; `quit` ends the run with exit 0. */
  screen(handle: H, quit: () => void, interactive: boolean): ReactElement;
  /** Starts the handle (login, start); a rejection ends the run with exit 1 and its reason. */
  start(handle: H): Promise<R>;
  /** Called once `start` resolved, with what it resolved. */
  started?(handle: H, result: R): void;
  /** Called once the run is over, before the screen goes. */
  finished?(): void;
}

/** Runs one terminal screen until it is quit or its handle fails; resolves the exit code. */
export const runScreen = async <H extends { readonly state$: Observable<LifecycleState>; stop(): Promise<void> }, R = unknown>(
  spec: ScreenSpec<H, R>,
): Promise<number> => {
  const say = (text: string) => spec.io.stderr.write(`imstate ${spec.what}: ${text}\n`);
  const target = renderTarget(spec.io);
  if (spec.needsKeys && !target.interactive) {
    say('the chat client needs a terminal to read keys from — use --json to drive it from a script');
    return EXIT_USAGE;
  }
  let handle: H;
  try {
    handle = spec.create();
  } catch (error) {
    say(describeError(error));
    return EXIT_USAGE;
  }

  const subscriptions = new Subscription();
  let up = false;
  let failure: string | undefined;
  const exit = settleOnce(async () => {
    try {
      await handle.stop();
    } catch {
      // Best effort: the handle may never have opened anything.
    }
  });
  subscriptions.add(
    handle.state$.subscribe((state) => {
      spec.onState(state);
      if (up && isFailed(state)) {
        failure = state.reason ?? `the ${spec.what} failed`;
        exit.settle(EXIT_FAILURE);
      }
    }),
  );
  spec.follow(handle, subscriptions);
  const offSignal = spec.io.onStopSignal(() => exit.settle(EXIT_OK));

  const app = render(spec.screen(handle, () => exit.settle(EXIT_OK), target.interactive), {
    ...target.streams,
    exitOnCtrlC: false,
  });
  spec.start(handle).then(
    (result) => {
      up = true;
      spec.started?.(handle, result);
    },
    (error: unknown) => {
      failure = describeError(error);
      exit.settle(EXIT_FAILURE);
    },
  );

  const code = await exit.done;
  offSignal();
  spec.finished?.();
  app.unmount();
  await app.waitUntilExit();
  subscriptions.unsubscribe();
  if (failure !== undefined) say(failure);
  return code;
};

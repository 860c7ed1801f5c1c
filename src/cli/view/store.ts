/**
 * A view and the actions that change it, held outside React: the engine's events are dispatched from the moment
 * the handle exists (before the first frame is drawn), and the screen reads whatever the latest view is.
 * @module
 */
import { BehaviorSubject, type Observable } from 'rxjs';

/** The latest view, its changes, and the one way to change it. */
export interface ViewStore<V, A> {
  /** Emits the current view on subscribe, then every new one. */
  readonly view$: Observable<V>;
  current(): V;
  dispatch(action: A): void;
}

/** Holds `initial` and folds every dispatched action into it with `reducer`. */
export const createViewStore = <V, A>(reducer: (view: V, action: A) => V, initial: V): ViewStore<V, A> => {
  const subject = new BehaviorSubject(initial);
  return {
    view$: subject.asObservable(),
    current: () => subject.getValue(),
    dispatch(action) {
      const next = reducer(subject.getValue(), action);
      // Unchanged views (immer returns the same object) cost no frame.
      if (next !== subject.getValue()) subject.next(next);
    },
  };
};

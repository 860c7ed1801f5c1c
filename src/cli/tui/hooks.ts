/**
 * React hooks that connect the terminal screens to a {@link ViewStore} and to the terminal's size.
 * @module
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useStdout } from 'ink';
import type { ViewStore } from '../view/store.js';

/** The store's latest view; the component draws again whenever it changes. */
export const useView = <V, A>(store: ViewStore<V, A>): V =>
  useSyncExternalStore(
    (onChange) => {
      const subscription = store.view$.subscribe(() => onChange());
      return () => subscription.unsubscribe();
    },
    () => store.current(),
  );

/** The time, refreshed every second while `ticking` (a countdown on screen), else only when drawn anyway. */
export const useNow = (ticking: boolean): number => {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return undefined;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return ticking ? now : Date.now();
};

/** The terminal's columns and rows, following resizes (80×24 when the stream does not say). */
export const useTerminalSize = (): { readonly columns: number; readonly rows: number } => {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
};

/**
 * The free-text time field of a `talk`, written as the original's `DateTime.Now.ToLongTimeString()` writes it in a
 * 24-hour culture (`10:41:40`). The receiver never parses it: it is shown as it came.
 * @module
 */

const pad = (n: number): string => String(n).padStart(2, '0');

/** Formats `date` (local time) as `HH:mm:ss`. */
export const longTimeString = (date: Date): string =>
  `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;

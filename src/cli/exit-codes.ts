/**
 * The command's exit codes, the same in the terminal client and in JSON line mode.
 * @module
 */

/** A clean quit: `/quit`, end of input, Ctrl-C. */
export const EXIT_OK = 0;
/** A failure while running: unreachable server, port in use, a refused login, a failed lifecycle. */
export const EXIT_FAILURE = 1;
/** Refused before any socket was opened: a bad name, or no terminal for the terminal client. */
export const EXIT_USAGE = 2;

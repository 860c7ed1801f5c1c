/**
 * Honours NO_COLOR (https://no-color.org): chalk, which ink draws with, reads FORCE_COLOR once when it is first
 * imported and does not know NO_COLOR, so the command translates one into the other before anything loads chalk.
 * Imported first by main.ts for its side effect.
 * @module
 */

/** True when the environment asks for no colour (NO_COLOR set and not empty). */
export const noColorRequested = (env: NodeJS.ProcessEnv = process.env): boolean =>
  env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';

if (noColorRequested()) process.env['FORCE_COLOR'] = '0';

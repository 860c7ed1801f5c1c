/**
 * Honours NO_COLOR (https://no-color.org): no colour, while bold, dim and inverse video stay (the input line's cursor
 * and the online list's cursor are inverse video, and would vanish without it). The screens ask {@link paint} for
 * every colour they draw, so chalk, under ink, keeps its other styles.
 * @module
 */

/** True when the environment asks for no colour (NO_COLOR set and not empty). */
export const noColorRequested = (env: NodeJS.ProcessEnv = process.env): boolean =>
  env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';

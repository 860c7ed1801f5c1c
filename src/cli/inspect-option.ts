/**
 * `--inspect [port]`: serve the live inspector (src/inspect) for the command's actors and say where, so that people
 * can watch the server's sessions or the peer's lifecycle and talks in a browser while they chat.
 * @module
 */
import { createInspector } from '../inspect/index.js';
import type { Engine } from './engine-api.js';
import type { CliIo } from './io.js';

/** The engine to run the command with, and what to close when it is done. */
export interface Inspected {
  readonly engine: Engine;
  close(): Promise<void>;
}

/**
 * With `option` undefined or false, the engine unchanged. Otherwise starts an inspector on 127.0.0.1 (`true` = any
 * free port), prints its URL on stderr, and returns an engine whose servers and peers report every actor to it.
 */
export const withInspector = async (engine: Engine, option: number | boolean | undefined, io: CliIo): Promise<Inspected> => {
  if (option === undefined || option === false) return { engine, close: async () => {} };
  const inspector = await createInspector({ port: option === true ? 0 : option });
  io.stderr.write(`imstate: live inspector at ${inspector.url}\n`);
  const { inspect } = inspector;
  return {
    engine: {
      createIndexServer: (options) => engine.createIndexServer({ ...options, inspect }),
      createPeer: (options) => engine.createPeer({ ...options, inspect }),
    },
    close: () => inspector.close(),
  };
};

#!/usr/bin/env node
/**
 * The `imstate` executable: wires the real engine and the real process into {@link runCli}.
 * @module
 */
import { createIndexServer, createPeer } from '../engine/index.js';
import { processIo } from './io.js';
import { runCli } from './program.js';

// A reader that went away (`imstate peer --help | head`) is not an error of ours: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

const code = await runCli(process.argv, { createIndexServer, createPeer }, processIo());
// Everything is closed by now; exit once both streams are flushed rather than wait on a paused stdin.
const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);

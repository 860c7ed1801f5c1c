#!/usr/bin/env node
/**
 * The `imstate` executable: wires the real engine and the real process into {@link runCli}.
 * @module
 */
// First, for its side effect: NO_COLOR must be seen before chalk (under ink) is loaded.
import './no-color.js';
import { createIndexServer, createPeer } from '../engine/index.js';
import { processIo } from './io.js';
import { runCli } from './program.js';

const code = await runCli(process.argv, { createIndexServer, createPeer }, processIo());
// Everything is closed by now; exit once both streams are flushed rather than wait on a paused stdin.
const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);

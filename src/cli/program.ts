/**
 * The `imstate` command line: `imstate server` and `imstate peer`, each as a terminal screen or, with `--json`,
 * as JSON lines. Parses arguments with commander and hands the engine to the mode asked for.
 * @module
 */
import { Command, CommanderError } from 'commander';
import type { Engine } from './engine-api.js';
import { EXIT_FAILURE, EXIT_USAGE } from './exit-codes.js';
import type { CliIo } from './io.js';
import { withInspector } from './inspect-option.js';
import { nameProblem } from './name-check.js';
import { refuse } from './json/json-run.js';
import { runPeerJson } from './json/peer-json.js';
import { runServerJson } from './json/server-json.js';
import {
  DEFAULT_HOST,
  DEFAULT_SERVER,
  DEFAULT_SERVER_PORT,
  parseHost,
  parseHeartbeat,
  parseLease,
  parseListenPort,
  parsePerSecond,
  parseServerAddress,
  parseStore,
  parseTries,
  parseUsersPerHost,
  resolveServerAddress,
  type PeerCommandOptions,
  type ServerCommandOptions,
} from './options.js';
import { packageVersion } from './version.js';
import { DEFAULT_LEASE_MS, orphanBound } from '../engine/cluster/member.js';
import { trustHelp } from './trust-help.js';
import { defaultTrustOptions } from '../trust/index.js';

const SERVER_HELP = `
Examples:
  $ imstate server                     console on UDP 127.0.0.1:${DEFAULT_SERVER_PORT}
  $ imstate server --port 0 --json     any free port, JSON lines (the first "ready" line has the ports)
  $ imstate server --store redis://127.0.0.1:6379 --port 9001
                                       one of several servers sharing presence through that Redis

In the console: q or Ctrl-C stops the server. With --json, stdin takes /users and /quit.

${trustHelp()}`;

const PEER_HELP = `
Examples:
  $ imstate peer --name alice
  $ imstate peer --name bob --server 127.0.0.1:${DEFAULT_SERVER_PORT}
  $ imstate peer --name carol --json   JSON lines; stdin takes /msg <name> <text>, /users, /quit

Keys:
  Enter sends the line to the chat shown; Enter on an empty line opens a chat with the user under the cursor.
  Tab / Shift-Tab switch chat (Tab goes to unread first) · ↑/↓ move in the online list (sorted: unread first,
  then by name) · @text filters it · PgUp/PgDn scroll the chat · Esc clears the line · Ctrl-C or /quit logs out.
  Editing: ←/→ Home/End, Ctrl-A/E/B/F, Alt-←/→ (Alt-B/F) by word, Ctrl-W/U/K erase, Ctrl-D delete; ↑/↓ on a
  line with text (or Ctrl-P/N) recall the lines sent before. //text sends "/text". A paste of several lines
  becomes one message (shown with ⏎), sent by Enter.
  Commands: /msg <name> <text> · /users · /quit`;

/** Builds the command; the chosen action resolves `finish` with its exit code. */
export const createProgram = (engine: Engine, io: CliIo, finish: (code: number) => void): Command => {
  const program = new Command('imstate');
  // Settings given before .command() are inherited by the subcommands.
  program
    .description('A QQ-like instant messenger in the terminal: an index server console and a peer-to-peer chat client.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('server')
    .description('start the index server with a console: online users, live log, state')
    .option('--host <address>', 'address to listen on', parseHost, DEFAULT_HOST)
    .option('--port <port>', 'UDP port for logins (0 = any free port)', parseListenPort, DEFAULT_SERVER_PORT)
    .option('--tcp-port <port>', 'TCP port for the user list (0 = any free port)', parseListenPort, 0)
    .option('--json', 'no console: one JSON object per line on stdout, commands on stdin')
    .option('--store <redis://host:port[/db]>', 'share presence with every server on this Redis (default: in-process)', parseStore)
    .option('--lease <seconds>', `with --store: this server's lease; a killed server's users leave the others' lists within 1.5 × it (default ${DEFAULT_LEASE_MS / 1_000} s, so ${orphanBound(DEFAULT_LEASE_MS) / 1_000} s)`, parseLease)
    .option('--heartbeat <seconds>', 'how often imstate peers ping; a peer takes the server as gone after 3 unanswered, and the server drops a silent peer within (2 + 1) heartbeats (default 10 s, so 30 s)', parseHeartbeat)
    .option('--nat', 'peers behind NAT: serve a login at the address it came from instead of refusing one that names another host')
    .option('--users-per-host <count>', `users at most (online plus pending) whose endpoint is on one IP address (default ${defaultTrustOptions.maxSessionsPerAddress}); raise it for a gateway many users share`, parseUsersPerHost)
    .option('--logins-per-second <count>', `logins one IP address may send a second (default ${defaultTrustOptions.loginsPerSecond}, ${defaultTrustOptions.loginBurst} at once); a burst as large as the rate is allowed`, parsePerSecond)
    .option('--pings-per-second <count>', `pings and logouts one IP address may send a second (default ${defaultTrustOptions.pingsPerSecond}, ${defaultTrustOptions.pingBurst} at once)`, parsePerSecond)
    .option('--inspect [port]', 'serve the live inspector on 127.0.0.1 (default: any free port) and print its URL', parseListenPort)
    .addHelpText('after', SERVER_HELP)
    .action(async (raw: ServerCommandOptions & { inspect?: number | boolean; lease?: number; heartbeat?: number; nat?: boolean }) => {
      const inspected = await withInspector(engine, raw.inspect, io);
      const done = async (code: number): Promise<void> => {
        await inspected.close();
        finish(code);
      };
      const options: ServerCommandOptions = {
        host: raw.host,
        port: raw.port,
        tcpPort: raw.tcpPort,
        json: raw.json === true,
        store: raw.store,
        leaseMs: raw.lease,
        heartbeatMs: raw.heartbeat,
        nat: raw.nat === true,
        usersPerHost: raw.usersPerHost,
        loginsPerSecond: raw.loginsPerSecond,
        pingsPerSecond: raw.pingsPerSecond,
      };
      if (options.json) {
        await done(await runServerJson(inspected.engine, options, io));
        return;
      }
      // The terminal screens load ink and react only when asked for: JSON mode starts faster without them.
      const { runServerTui } = await import('./tui/run-server.js');
      await done(await runServerTui(inspected.engine, options, io));
    });

  program
    .command('peer')
    .description('log in to an index server and chat with the other online users')
    .requiredOption('--name <name>', 'your name (no , ; : or control characters)')
    .option('--server <address>', 'the index server, host:port (a name such as localhost is looked up)', parseServerAddress, DEFAULT_SERVER)
    .option('--host <address>', 'address to receive messages on', parseHost, DEFAULT_HOST)
    .option('--port <port>', 'UDP port to receive messages on (0 = any free port)', parseListenPort, 0)
    .option('--tries <count>', 'login attempts before giving up, at the first login and each time the server is lost (default: 5 at first, then forever)', parseTries)
    .option('--json', 'no screen: one JSON object per line on stdout, commands on stdin')
    .option('--no-history', 'keep no conversations on disk (default: $XDG_STATE_HOME/imstate or ~/.local/state/imstate)')
    .option('--inspect [port]', 'serve the live inspector on 127.0.0.1 (default: any free port) and print its URL', parseListenPort)
    .addHelpText('after', PEER_HELP)
    .action(async (raw: PeerCommandOptions & { inspect?: number | boolean }) => {
      let server: string;
      try {
        server = await resolveServerAddress(raw.server);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (raw.json === true) finish(await refuse(io, message));
        else {
          io.stderr.write(`imstate peer: ${message}\n`);
          finish(EXIT_USAGE);
        }
        return;
      }
      const options: PeerCommandOptions = {
        name: raw.name,
        server,
        host: raw.host,
        port: raw.port,
        tries: raw.tries,
        json: raw.json === true,
        history: raw.history !== false,
      };
      // Refused before anything is opened: a typo in the name costs no inspector or ink start-up.
      const problem = nameProblem(options.name);
      if (problem !== undefined && !options.json) {
        io.stderr.write(`imstate peer: ${problem}\n`);
        finish(EXIT_USAGE);
        return;
      }
      const inspected = await withInspector(engine, raw.inspect, io);
      const done = async (code: number): Promise<void> => {
        await inspected.close();
        finish(code);
      };
      if (options.json) {
        await done(await runPeerJson(inspected.engine, options, io));
        return;
      }
      const { runPeerTui } = await import('./tui/run-peer.js');
      await done(await runPeerTui(inspected.engine, options, io));
    });

  return program;
};

/**
 * Runs the command for `argv` (as `process.argv`: node, script, then arguments) and resolves its exit code:
 * 0 for a clean quit or help, 1 for a failure, 2 for something refused before starting (a bad option, argument or name).
 */
export const runCli = async (argv: readonly string[], engine: Engine, io: CliIo): Promise<number> => {
  let code: number | undefined;
  const program = createProgram(engine, io, (result) => {
    code = result;
  });
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    // --help and --version end here too, with exit code 0; a bad option or argument is refused before starting.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    io.stderr.write(`imstate: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILURE;
  }
  return code ?? EXIT_FAILURE;
};

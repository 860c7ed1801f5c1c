/**
 * Login + logout pairs through the `imstate server --json` command (a child process, JSON lines on its stdout read
 * and counted here) with 1,000 users online at a UDP sink in a worker, beside a raw `node:dgram` presence server in
 * the same run: it keeps a Map of who is online, answers `login` with `Accept`, forwards each login and logout to
 * everyone else, and echoes the leaver's logout, with no log, no machine and no output.
 *
 * One pair at a time: `login` (answered by `Accept`), then `logout` with the session (answered by the leaver's own
 * sequenced logout, as our server confirms it). Our server lists a new login once it is proven, so with us the pair
 * is what a peer sends: `login`, then, on the `Accept`, a `ping` with its secret and the `logout` with it (still one
 * round trip more than nothing: the ping goes with the logout). The generator is one host, so the server runs with its
 * per-host limits lifted (`--users-per-host`, `--logins-per-second`, `--pings-per-second`); the users online are
 * proven by a TCP list fetch from their host, as the original client does. Figure `login-logout-cli` (pairs per
 * second ÷ raw; target ≥ 0.5).
 * @module
 */
import { connect } from 'node:net';
import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Bench } from './report.js';
import { startSink } from './sink.js';


/** Users online before the pairs are measured. */
let ONLINE = 1_000;

const utf16 = (text: string): Buffer => Buffer.from(text, 'utf16le');

const bound = async (): Promise<Socket> => {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket;
};

/** The raw baseline: online users in a Map, `Accept` to a login, every change forwarded to all others. */
const startRawPresenceServer = async (): Promise<{ port: number; close: () => Promise<void> }> => {
  const socket = await bound();
  const online = new Map<string, { address: string; port: number }>();
  const accept = utf16('Accept,1');
  socket.on('message', (bytes) => {
    const text = bytes.toString('utf16le');
    const [type, name = '', endpoint = ''] = text.split(',', 3);
    const colon = endpoint.lastIndexOf(':');
    const at = { address: endpoint.slice(0, colon), port: Number(endpoint.slice(colon + 1)) };
    if (type === 'login') {
      for (const other of online.values()) socket.send(bytes, other.port, other.address);
      online.set(name, at);
      socket.send(accept, at.port, at.address);
    } else if (type === 'logout') {
      online.delete(name);
      for (const other of online.values()) socket.send(bytes, other.port, other.address);
      socket.send(bytes, at.port, at.address);
    }
  });
  return { port: socket.address().port, close: () => new Promise((r) => socket.close(() => r())) };
};

/** The CLI server as a child process; resolves once it printed `ready`, with its UDP port and a line counter. */
const startCliServer = async (): Promise<{ port: number; tcpPort: number; lines: () => number; joined: () => number; close: () => Promise<void> }> => {
  const main = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
  // One host stands in for a thousand: its per-host limits would measure only themselves.
  const lifted = ['--users-per-host', '1000000', '--logins-per-second', '1000000', '--pings-per-second', '1000000'];
  const child = spawn(process.execPath, [main, 'server', '--port', '0', '--json', ...lifted], { stdio: ['pipe', 'pipe', 'inherit'] });
  let lines = 0;
  let joined = 0;
  const { udpPort: port, tcpPort } = await new Promise<{ udpPort: number; tcpPort: number }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the CLI server exited (${code}) before it was ready`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines++;
      if (line.startsWith('{"type":"user-joined"')) joined++;
      if (line.includes('"type":"ready"')) resolve(JSON.parse(line) as { udpPort: number; tcpPort: number });
    });
  });
  return {
    port,
    tcpPort,
    lines: () => lines,
    joined: () => joined,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end('/quit\n');
      }),
  };
};

/**
 * A TCP list fetch from this host, read until the server closes (or 5 s pass): what proves the host's pending logins
 * to our server. The fill checks the listed count afterwards, so a fetch that was not served fails there, in words.
 */
const fetchList = (tcpPort: number): Promise<void> =>
  new Promise((resolve, reject) => {
    const socket = connect(tcpPort, '127.0.0.1');
    const timer = setTimeout(() => socket.destroy(), 5_000);
    socket.on('data', () => {});
    socket.once('close', () => (clearTimeout(timer), resolve()));
    socket.once('error', (error) => (clearTimeout(timer), reject(error)));
  });

/**
 * Logs `ONLINE` users in at the sink (their Accepts and broadcasts go there), so that every pair fans out to them.
 * With our server (`cli`), a list fetch after every few logins proves them, and the fill waits until they are listed.
 */
const fillUp = async (socket: Socket, port: number, sink: string, cli?: { tcpPort: number; joined: () => number }): Promise<void> => {
  const login = (i: number): void => socket.send(utf16(`login,online${i},${sink},imstate=1,session=o${i}`), port, '127.0.0.1');
  for (let i = 0; i < ONLINE; i++) {
    login(i);
    // Paced, so that the server's socket buffer never overflows (each login fans out to those before it).
    if (i % 20 === 19) {
      await new Promise((r) => setTimeout(r, 10));
      if (cli === undefined) continue;
      await fetchList(cli.tcpPort);
      const deadline = performance.now() + 5_000;
      while (cli.joined() < i - 100) {
        if (performance.now() > deadline) throw new Error(`only ${cli.joined()} of ${i} users were listed after a list fetch proved them`);
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  }
  // Logins again for any that were lost (a repeat of an online session changes nothing), until all are online.
  for (let tries = 0; cli !== undefined && cli.joined() < ONLINE && tries < 10; tries++) {
    await new Promise((r) => setTimeout(r, 500));
    if (cli.joined() < ONLINE) for (let i = 0; i < ONLINE; i++) login(i);
    await fetchList(cli.tcpPort);
  }
  await new Promise((r) => setTimeout(r, 300));
};

/**
 * Pairs per second for `durationMs`: login, wait for Accept; logout, wait for the echo; next pair. With `prove`, the
 * logout goes after a ping with the secret the Accept carried (and the logout carries it too), as a peer's would.
 */
const pairs = async (socket: Socket, port: number, durationMs: number, tag: string, prove: boolean): Promise<number> => {
  const self = `127.0.0.1:${socket.address().port}`;
  let done = 0;
  let i = 0;
  let open = true;
  let loggedIn = false;
  let secret = '';
  // Sessions as long as a peer's (12 characters): our Accept is never larger than the login, so a shorter one would
  // be answered as classic, with no secret.
  const session = (): string => `${tag}s${i}`.padEnd(12, '-');
  const next = (): void => {
    if (!open) return;
    if (loggedIn && prove) socket.send(utf16(`ping,${tag}${i},${session()},secret=${secret}`), port, '127.0.0.1');
    const text = loggedIn
      ? `logout,${tag}${i},${self},session=${session()}${prove ? `,secret=${secret}` : ''}`
      : `login,${tag}${++i},${self},imstate=1,session=${session()}`;
    socket.send(utf16(text), port, '127.0.0.1');
  };
  const onMessage = (bytes: Buffer): void => {
    const text = bytes.toString('utf16le');
    if (!loggedIn && text.startsWith('Accept')) {
      loggedIn = true;
      secret = /secret=([^,]+)/.exec(text)?.[1] ?? '';
    } else if (loggedIn && text.startsWith(`logout,${tag}${i},`)) {
      loggedIn = false;
      done++;
    } else return;
    next();
  };
  socket.on('message', onMessage);
  // A lost datagram would stall a one-at-a-time loop: repeat the last request after a quiet spell.
  let last = -1;
  const retry = setInterval(() => {
    if (done === last) next();
    last = done;
  }, 200);
  next();
  await new Promise((r) => setTimeout(r, durationMs / 5));
  const start = done;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, durationMs));
  const rate = ((done - start) * 1000) / (performance.now() - t0);
  open = false;
  clearInterval(retry);
  await new Promise((r) => setTimeout(r, 50));
  socket.off('message', onMessage);
  return rate;
};

const bench: Bench = async ({ quick }) => {
  // A quick run fills up less: 1,000 logins, each fanned out to those before it, take a loaded machine a while.
  ONLINE = quick ? 250 : 1_000;
  const durationMs = quick ? 1_500 : 3_000;
  const rounds = quick ? 1 : 2;
  const sink = await startSink();
  const sinkEndpoint = `127.0.0.1:${sink.port}`;
  const raw = await startRawPresenceServer();
  const cli = await startCliServer();
  const socket = await bound();
  try {
    await fillUp(socket, raw.port, sinkEndpoint);
    await fillUp(socket, cli.port, sinkEndpoint, cli);
    const online = cli.joined();
    let rawRate = 0;
    let ours = 0;
    for (let round = 0; round < rounds; round++) {
      rawRate = Math.max(rawRate, await pairs(socket, raw.port, durationMs, `r${round}x`, false));
      ours = Math.max(ours, await pairs(socket, cli.port, durationMs, `c${round}x`, true));
    }
    return [
      {
        name: `login + logout pairs via imstate server --json @${ONLINE}`,
        figure: 'login-logout-cli',
        value: ours,
        unit: 'pairs/s',
        baseline: rawRate,
        ratio: ours / rawRate,
        target: 'ratio ≥ 0.5',
        note: `÷ a raw dgram presence server (Map, forward to all, Accept); one pair at a time, ours proven by a ping with the secret; ${online} online; ${cli.lines()} JSON lines read`,
      },
    ];
  } finally {
    socket.close();
    await cli.close();
    await raw.close();
    await sink.close();
  }
};

export default bench;

/**
 * The live inspector: an XState `inspect` callback that feeds an {@link ActorTable}, and a loopback HTTP server that
 * serves the page and pushes the table's changes over a WebSocket at `/ws`.
 *
 * The engine's side costs a few map updates per event: nothing is serialized until a page is connected, and then
 * only once per turn of the event loop (one `changes` message shared by all pages), never inside the engine's call.
 * A page that cannot keep up is not buffered for without bound: it is skipped and sent the whole state again once
 * its socket drains.
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { InspectionEvent } from 'xstate';
import { hostAllowed, upgradeAllowed } from './access.js';
import { createActorTable, type ActorTableOptions } from './actor-table.js';
import { createElkWorker } from './chart-worker.js';
import { createChartRegistry } from './charts.js';
import { inspectorPage } from './page.js';
import { parseClientMessage, type ActorView, type Change, type InspectorCounts, type ServerMessage } from './wire.js';

/** Where the inspector listens and how much it keeps. */
export interface InspectorOptions extends ActorTableOptions {
  /** Address to bind; default `127.0.0.1`. A non-loopback address lets other machines read every actor's context. */
  readonly host?: string;
  /** Port to bind; default 0 (any free port, see {@link Inspector.url}). */
  readonly port?: number;
}

/** A running inspector. */
export interface Inspector {
  /** Pass as `createActor(machine, { inspect })` or `createIndexServer({ inspect })`. Never throws. */
  readonly inspect: (event: InspectionEvent) => void;
  /** The page to open, e.g. `http://127.0.0.1:40123/`. */
  readonly url: string;
  /** What the inspector holds, how many pages watch it, and how many of those fell behind and await a fresh copy. */
  counts(): InspectorCounts & { readonly clients: number; readonly lagging: number };
  /** Disconnects every page and closes the server; `inspect` does nothing afterwards. Safe to call twice. */
  close(): Promise<void>;
}

type Reply = (status: number, type: string, body: string) => void;

interface Client {
  readonly ws: WebSocket;
  selected: string | null;
  /** Needs the whole state: just connected, or skipped while its socket was backed up. */
  resync: boolean;
}

/** A page further behind than this is skipped until its socket drains below {@link LOW_WATER}. */
const HIGH_WATER = 8 * 1024 * 1024;
const LOW_WATER = 1024 * 1024;
/** Changes held for one flush; a burst past it (100k actors started in one call) becomes a resync instead. */
const MAX_QUEUE = 20_000;
const ACTORS_PER_MESSAGE = 2_000;
const DRAIN_CHECK_MS = 200;
/** Actors written into the page itself, so its first paint shows them before the WebSocket delivers. */
const BOOT_ACTORS = 2_000;

/**
 * Starts an inspector on loopback and resolves once it listens; rejects if the address cannot be bound.
 *
 * @example
 * ```ts
 * const inspector = await createInspector();
 * const server = createIndexServer({ inspect: inspector.inspect });
 * console.log(`inspector at ${inspector.url}`);
 * ```
 */
export async function createInspector(options: InspectorOptions = {}): Promise<Inspector> {
  const host = options.host ?? '127.0.0.1';
  const elk = createElkWorker();
  const charts = createChartRegistry(elk.run);
  const table = createActorTable(options, charts);
  const clients = new Set<Client>();
  const queue: Array<() => Change> = []; // built at flush time, outside the engine's call
  const touched = new Set<string>(); // selected actors changed since the last flush
  let flushing: NodeJS.Immediate | undefined;
  let drainCheck: NodeJS.Timeout | undefined;
  let closed = false;
  let errors = 0;
  let port = 0;

  const counts = (): InspectorCounts => {
    const c = table.counts();
    return { ...c, errors: c.errors + errors };
  };

  const send = (client: Client, message: ServerMessage | string): void => {
    if (client.ws.readyState !== WebSocket.OPEN) return;
    client.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  };

  const sendDetail = (client: Client): void => {
    send(client, { t: 'detail', detail: client.selected === null ? null : table.detail(client.selected) });
  };

  const sendAll = (client: Client): void => {
    send(client, { t: 'hello', version: 1, historyLimit: table.historyLimit, counts: counts() });
    let batch: ActorView[] = [];
    for (const actor of table.actors()) {
      batch.push(actor);
      if (batch.length === ACTORS_PER_MESSAGE) {
        send(client, { t: 'actors', actors: batch, last: false });
        batch = [];
      }
    }
    send(client, { t: 'actors', actors: batch, last: true });
    send(client, { t: 'history', steps: table.history() });
    if (client.selected !== null) sendDetail(client);
  };

  const flush = (): void => {
    flushing = undefined;
    try {
      let live = false; // a page not waiting for a resync, i.e. one that needs the changes
      for (const client of clients) live ||= !client.resync && client.ws.readyState === WebSocket.OPEN;
      const changes = live ? queue.map((build) => build()) : [];
      queue.length = 0;
      const text = changes.length > 0 ? JSON.stringify({ t: 'changes', changes, counts: counts() }) : undefined;
      for (const client of clients) {
        if (client.ws.readyState !== WebSocket.OPEN) continue;
        if (client.resync) {
          if (client.ws.bufferedAmount > LOW_WATER) continue;
          client.resync = false;
          sendAll(client);
        } else if (client.ws.bufferedAmount > HIGH_WATER) {
          client.resync = true;
        } else {
          if (text !== undefined) send(client, text);
          if (client.selected !== null && touched.has(client.selected)) sendDetail(client);
        }
      }
      touched.clear();
      watchDrain();
    } catch {
      errors++;
    }
  };

  const schedule = (): void => {
    if (!closed && flushing === undefined) flushing = setImmediate(flush);
  };

  // A skipped page gets its resync only after a flush, so poll while one waits even if no event comes.
  const watchDrain = (): void => {
    let waiting = false;
    for (const client of clients) waiting ||= client.resync;
    if (waiting && drainCheck === undefined && !closed) {
      drainCheck = setInterval(schedule, DRAIN_CHECK_MS);
      drainCheck.unref();
    } else if (!waiting && drainCheck !== undefined) {
      clearInterval(drainCheck);
      drainCheck = undefined;
    }
  };

  const selectedByAny = (sessionId: string): boolean => {
    for (const client of clients) if (client.selected === sessionId) return true;
    return false;
  };

  const onChange = (sessionId: string, change: () => Change): void => {
    if (queue.length < MAX_QUEUE) queue.push(change);
    else if (queue.length === MAX_QUEUE) {
      queue.push(change); // one past the bound marks the overflow; the rest is dropped until the flush
      for (const client of clients) client.resync = true;
    }
    if (selectedByAny(sessionId)) touched.add(sessionId);
    schedule();
  };

  const connect = (ws: WebSocket): void => {
    const client: Client = { ws, selected: null, resync: true };
    clients.add(client);
    table.onChange = onChange;
    ws.on('error', () => undefined); // a page going away mid-write is normal; 'close' follows
    ws.on('close', () => {
      clients.delete(client);
      if (clients.size === 0) {
        table.onChange = undefined; // no page: nothing to serialize
        queue.length = 0;
      }
    });
    // Lay out the charts of the machines seen so far, off the engine's thread, before someone clicks.
    for (const key of charts.keys()) charts.svg(key)?.catch(() => undefined);
    ws.on('message', (data, isBinary) => {
      try {
        const message = isBinary ? undefined : parseClientMessage(data.toString());
        if (!message) return;
        client.selected = message.sessionId;
        if (!client.resync) sendDetail(client);
      } catch {
        errors++;
      }
    });
    schedule();
  };

  /** What a page shows before its socket opens: the counts, up to {@link BOOT_ACTORS} actors, the history. */
  const bootMessages = (): ServerMessage[] => {
    const actors: ActorView[] = [];
    for (const actor of table.actors()) {
      if (actors.length === BOOT_ACTORS) break;
      actors.push(actor);
    }
    return [
      { t: 'hello', version: 1, historyLimit: table.historyLimit, counts: counts() },
      { t: 'actors', actors, last: actors.length === table.counts().actors },
      { t: 'history', steps: table.history() },
    ];
  };

  const serveChart = (key: string, reply: Reply): void => {
    const svg = charts.svg(key);
    if (!svg) return reply(404, 'text/plain', 'no chart of that name\n');
    svg.then(
      (text) => reply(200, 'image/svg+xml', text),
      () => {
        errors++;
        reply(500, 'text/plain', 'the chart could not be laid out\n');
      },
    );
  };

  const serveHttp = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0];
    const reply: Reply = (status, type, body) => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(status, {
        'content-type': `${type}; charset=utf-8`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'content-security-policy':
          "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self' ws: wss:",
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (!hostAllowed(req, host, port)) return reply(403, 'text/plain', 'forbidden: open the inspector by its loopback URL\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'text/plain', 'method not allowed\n');
    if (path === '/' || path === '/index.html') {
      return reply(200, 'text/html', req.method === 'HEAD' ? '' : inspectorPage(bootMessages()));
    }
    const chart = /^\/chart\/([A-Za-z0-9_.-]{1,80})\.svg$/.exec(path ?? '');
    if (chart?.[1] !== undefined) return serveChart(chart[1], reply);
    return reply(404, 'text/plain', 'not found: the inspector is at /\n');
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const server = createServer(serveHttp);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const path = (req.url ?? '').split('?')[0];
    if (closed || path !== '/ws' || !upgradeAllowed(req, host, port)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, connect);
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;

  return {
    url,
    inspect: (event) => {
      if (!closed) table.inspect(event);
    },
    counts: () => {
      let lagging = 0;
      for (const client of clients) if (client.resync && client.ws.bufferedAmount > 0) lagging++;
      return { ...counts(), clients: clients.size, lagging };
    },
    close: async () => {
      if (closed) return;
      closed = true;
      table.onChange = undefined;
      if (flushing !== undefined) clearImmediate(flushing);
      if (drainCheck !== undefined) clearInterval(drainCheck);
      for (const client of clients) client.ws.terminate();
      clients.clear();
      await elk.close();
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

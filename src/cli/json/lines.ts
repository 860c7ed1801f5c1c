/**
 * JSON line mode's output: every line the command can print, as one tagged union keyed by `type`, the builders
 * that turn engine values into lines, and the one writer that puts them on stdout.
 * @module
 */
import type { Writable } from 'node:stream';
import type { ChatMessage, LifecycleState, LogEntry, LoginRetry, ServerAddress } from '../../engine/types.js';
import type { User } from '../../presence/types.js';

/** A user as JSON lines show it. */
export interface UserJson {
  readonly name: string;
  readonly endpoint: string;
  readonly session: string;
  readonly imstate: boolean;
}

/** The server is listening: the real ports, even when 0 was asked for. */
export interface ServerReadyLine {
  readonly type: 'ready';
  readonly role: 'server';
  readonly host: string;
  readonly udpPort: number;
  readonly tcpPort: number;
}

/** The peer is online: its name, its own UDP endpoint and the server it logged in to. */
export interface PeerReadyLine {
  readonly type: 'ready';
  readonly role: 'peer';
  readonly name: string;
  readonly endpoint: string;
  readonly server: string;
}

/** The lifecycle machine moved (or, while a login goes unanswered, tried again). */
export interface StateLine {
  readonly type: 'state';
  readonly state: string;
  readonly reason?: string;
  /** A peer's unanswered login: `attempt`, `inMs` to the next, `of` when limited, `reconnecting`. */
  readonly retry?: LoginRetry;
}

/** Someone came online. */
export interface UserJoinedLine extends UserJson {
  readonly type: 'user-joined';
}

/** Someone went offline. */
export interface UserLeftLine {
  readonly type: 'user-left';
  readonly name: string;
  readonly endpoint: string;
}

/** The whole online list: once when ready, then whenever `/users` asks. */
export interface UsersLine {
  readonly type: 'users';
  readonly users: readonly UserJson[];
}

/** A talk message in or out (the engine's {@link ChatMessage}); the same `id` comes again as its `status` changes. */
export interface MessageLine extends ChatMessage {
  readonly type: 'message';
}

/** Something went wrong; `fatal` lines are followed by a non-zero exit. */
export interface ErrorLine {
  readonly type: 'error';
  readonly message: string;
  readonly fatal: boolean;
}

/** One entry of the engine's log. */
export interface LogLine {
  readonly type: 'log';
  readonly at: number;
  readonly level: LogEntry['level'];
  readonly kind: string;
  readonly text: string;
}

/**
 * The server's counters (`stats()`: datagrams in and out, `joined`, `left.<reason>`, `refused` and each
 * `rejected.<reason>`, …), printed when they changed, at most once a second, as the console shows them.
 */
export interface StatsLine {
  readonly type: 'stats';
  readonly counters: Readonly<Record<string, number>>;
}

/** Every line `--json` mode prints. */
export type JsonLine =
  | StatsLine
  | ServerReadyLine
  | PeerReadyLine
  | StateLine
  | UserJoinedLine
  | UserLeftLine
  | UsersLine
  | MessageLine
  | ErrorLine
  | LogLine;

/** The `type` strings of {@link JsonLine}. */
export type JsonLineType = JsonLine['type'];

/** Builds a {@link StatsLine} (a copy: the engine's counters keep counting). */
export const statsLine = (counters: Readonly<Record<string, number>>): StatsLine => ({ type: 'stats', counters: { ...counters } });

/** A user as a JSON value (a fresh plain object: engine values may carry more fields than the contract). */
export const userJson = (user: User): UserJson => ({
  name: user.name,
  endpoint: user.endpoint,
  session: user.session,
  imstate: user.imstate,
});

/** The server's `ready` line. */
export const serverReadyLine = (address: ServerAddress): ServerReadyLine => ({
  type: 'ready',
  role: 'server',
  host: address.host,
  udpPort: address.udpPort,
  tcpPort: address.tcpPort,
});

/** The peer's `ready` line. */
export const peerReadyLine = (name: string, endpoint: string, server: string): PeerReadyLine => ({
  type: 'ready',
  role: 'peer',
  name,
  endpoint,
  server,
});

/** A `state` line; `reason` and `retry` only when the machine gave them. */
export const stateLine = (state: LifecycleState): StateLine => ({
  type: 'state',
  state: state.value,
  ...(state.reason === undefined ? {} : { reason: state.reason }),
  ...(state.retry === undefined ? {} : { retry: state.retry }),
});

/** A `users` line. */
export const usersLine = (users: readonly User[]): UsersLine => ({ type: 'users', users: users.map(userJson) });

/** A `user-joined` line. */
export const userJoinedLine = (user: User): UserJoinedLine => ({ type: 'user-joined', ...userJson(user) });

/** A `user-left` line. */
export const userLeftLine = (user: User): UserLeftLine => ({ type: 'user-left', name: user.name, endpoint: user.endpoint });

/** A `message` line. */
export const messageLine = (message: ChatMessage): MessageLine => {
  const line: MessageLine = {
    type: 'message',
    id: message.id,
    direction: message.direction,
    from: message.from,
    to: message.to,
    text: message.text,
    time: message.time,
    status: message.status,
  };
  return message.reason === undefined ? line : { ...line, reason: message.reason };
};

/** An `error` line. */
export const errorLine = (message: string, fatal: boolean): ErrorLine => ({ type: 'error', message, fatal });

/** A `log` line. */
export const logLine = (entry: LogEntry): LogLine => ({
  type: 'log',
  at: entry.at,
  level: entry.level,
  kind: entry.kind,
  text: entry.text,
});

/** Writes {@link JsonLine}s, one JSON object per line. */
export interface LineWriter {
  write(line: JsonLine): void;
  /** Resolves once everything written so far has been handed to the stream (call before exiting). */
  flush(): Promise<void>;
}

/** A batch is written at once when it reaches this many characters, without waiting for the turn to end. */
const BATCH_CHARS = 64 * 1024;

/**
 * The one writer of JSON lines. Lines written in one turn of the event loop go out as one `write` at its end (or
 * sooner, every {@link BATCH_CHARS}): a busy server prints a line per login and per logout, and one write per line
 * cost more than the login itself. Order is kept; `flush()` writes what is waiting first. A closed stdout (the
 * reader went away) must not crash the command, so write errors are swallowed after the first one stops further
 * writes.
 */
export const createLineWriter = (out: Writable): LineWriter => {
  let broken = false;
  let batch: string[] = [];
  let chars = 0;
  let scheduled: ReturnType<typeof setImmediate> | undefined;
  out.on('error', () => {
    broken = true;
  });
  const writeBatch = (): void => {
    if (scheduled !== undefined) clearImmediate(scheduled);
    scheduled = undefined;
    if (batch.length === 0) return;
    const text = batch.join('');
    batch = [];
    chars = 0;
    if (!broken && !out.destroyed) out.write(text);
  };
  return {
    write(line) {
      if (broken || out.destroyed) return;
      const text = `${JSON.stringify(line)}\n`;
      batch.push(text);
      chars += text.length;
      if (chars >= BATCH_CHARS) writeBatch();
      else scheduled ??= setImmediate(writeBatch);
    },
    flush() {
      writeBatch();
      if (broken || out.destroyed) return Promise.resolve();
      return new Promise((resolve) => {
        out.write('', () => resolve());
      });
    },
  };
};

/**
 * Conversations kept on disk, so that a restarted chat client shows yesterday's conversation again and its outbox
 * still holds what was not delivered. One folder per own name under the state directory
 * (`$XDG_STATE_HOME/imstate/<name>/` or `~/.local/state/imstate/<name>/`), one append-only file per peer
 * (`<peer>.jsonl`, the name percent-encoded), one JSON line per message state: a message whose status changes is
 * written again and the last line wins. Reading is total: a damaged line (a crash mid-write leaves at most the last
 * one) is skipped and reported, never a crash; the next write starts on a fresh line. Writing never throws: the first
 * failure is reported and further writes stop.
 * @module
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ChatMessage, DeliveryStatus } from '../../engine/types.js';

/** Where the history of everyone on this machine lives: `$XDG_STATE_HOME/imstate`, else `~/.local/state/imstate`. */
export const stateDirectory = (env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string => {
  const xdg = env['XDG_STATE_HOME'];
  return xdg !== undefined && xdg !== '' && xdg.startsWith('/') ? join(xdg, 'imstate') : join(home, '.local', 'state', 'imstate');
};

/** The folder of one own name's conversations. */
export const historyDirectory = (self: string, root: string = stateDirectory()): string => join(root, encodeURIComponent(self));

const fileOf = (peer: string): string => `${encodeURIComponent(peer)}.jsonl`;

/** One line of a history file. */
interface HistoryRecord extends ChatMessage {
  readonly v: 1;
}

const STATUSES: readonly DeliveryStatus[] = ['queued', 'sending', 'sent', 'delivered', 'failed', 'received'];

const str = (value: unknown): value is string => typeof value === 'string';

/** A record read back, checked field by field (a file is input like any other); undefined when it is not one. */
const readRecord = (line: string): ChatMessage | undefined => {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  if (r['v'] !== 1 || !str(r['id']) || !str(r['from']) || !str(r['to']) || !str(r['text']) || !str(r['time'])) return undefined;
  if (r['direction'] !== 'in' && r['direction'] !== 'out') return undefined;
  if (!STATUSES.includes(r['status'] as DeliveryStatus)) return undefined;
  if (r['reason'] !== undefined && !str(r['reason'])) return undefined;
  const message: ChatMessage = {
    id: r['id'],
    direction: r['direction'],
    from: r['from'],
    to: r['to'],
    text: r['text'],
    time: r['time'],
    status: r['status'] as DeliveryStatus,
  };
  return str(r['reason']) ? { ...message, reason: r['reason'] } : message;
};

/** What was read back: every conversation (oldest message first) and what could not be read, in words. */
export interface LoadedHistory {
  readonly conversations: ReadonlyMap<string, readonly ChatMessage[]>;
  readonly problems: readonly string[];
}

/** A conversation store for one own name. */
export interface HistoryStore {
  /** Reads every conversation; call once, before the first {@link HistoryStore.append}. */
  load(): LoadedHistory;
  /** Writes a message's current state to its peer's file. */
  append(message: ChatMessage): void;
  /** The folder written to. */
  readonly directory: string;
}

/** Keeps at most this many messages per conversation when reading back (the screen keeps as many). */
export const MAX_LOADED = 500;

/** Opens the store for `self` in `root` (the state directory by default); nothing is touched until load/append. */
export const createHistoryStore = (
  self: string,
  options: { readonly root?: string; readonly onProblem?: (text: string) => void } = {},
): HistoryStore => {
  const directory = historyDirectory(self, options.root ?? stateDirectory());
  // Files whose last line was cut off: the next append starts with a line break, so that line alone is lost.
  const unterminated = new Set<string>();
  let broken = false;

  const load = (): LoadedHistory => {
    const conversations = new Map<string, ChatMessage[]>();
    const problems: string[] = [];
    let names: string[];
    try {
      names = readdirSync(directory).filter((name) => name.endsWith('.jsonl'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`could not read the history in ${directory}: ${String(error)}`);
      return { conversations, problems };
    }
    for (const name of names.sort()) {
      let peer: string;
      try {
        peer = decodeURIComponent(name.slice(0, -'.jsonl'.length));
      } catch {
        problems.push(`skipped ${name}: not a history file name`);
        continue;
      }
      let text: string;
      try {
        text = readFileSync(join(directory, name), 'utf8');
      } catch (error) {
        problems.push(`could not read ${name}: ${String(error)}`);
        continue;
      }
      if (text !== '' && !text.endsWith('\n')) unterminated.add(name);
      const byId = new Map<string, ChatMessage>();
      let damaged = 0;
      for (const line of text.split('\n')) {
        if (line === '') continue;
        const message = readRecord(line);
        if (message === undefined) {
          damaged += 1;
          continue;
        }
        // The last state wins; the first line keeps the message's place (Map keeps insertion order).
        byId.set(message.id, message);
      }
      if (damaged > 0) problems.push(`${damaged} damaged line${damaged === 1 ? '' : 's'} skipped in ${join(directory, name)}`);
      if (byId.size > 0) conversations.set(peer, [...byId.values()].slice(-MAX_LOADED));
    }
    return { conversations, problems };
  };

  const append = (message: ChatMessage): void => {
    if (broken) return;
    const peer = message.direction === 'in' ? message.from : message.to;
    const name = fileOf(peer);
    const record: HistoryRecord = { v: 1, ...message };
    const prefix = unterminated.delete(name) ? '\n' : '';
    try {
      mkdirSync(directory, { recursive: true, mode: 0o700 });
      appendFileSync(join(directory, name), `${prefix}${JSON.stringify(record)}\n`, { mode: 0o600 });
    } catch (error) {
      broken = true;
      options.onProblem?.(`history is not being saved: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  return { load, append, directory };
};

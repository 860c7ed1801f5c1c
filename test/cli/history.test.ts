import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/engine/types.js';
import { createHistoryStore, historyDirectory, stateDirectory } from '../../src/cli/history/history-store.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'imstate-history-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const out = (id: string, to: string, text: string, status: ChatMessage['status'] = 'sending'): ChatMessage => ({
  id, direction: 'out', from: 'alice', to, text, time: '10:41:40', status,
});
const inc = (id: string, from: string, text: string): ChatMessage => ({
  id, direction: 'in', from, to: 'alice', text, time: '10:41:41', status: 'received',
});

describe('the history on disk', () => {
  it('lives under $XDG_STATE_HOME/imstate, else ~/.local/state/imstate, one folder per own name', () => {
    expect(stateDirectory({ XDG_STATE_HOME: '/x/state' }, '/home/a')).toBe('/x/state/imstate');
    expect(stateDirectory({}, '/home/a')).toBe('/home/a/.local/state/imstate');
    expect(stateDirectory({ XDG_STATE_HOME: 'relative' }, '/home/a')).toBe('/home/a/.local/state/imstate');
    expect(historyDirectory('剑痴/x', '/s')).toBe('/s/%E5%89%91%E7%97%B4%2Fx');
  });

  it('keeps each conversation in its own append-only file and reads back the last state of each message, in order', () => {
    const store = createHistoryStore('alice', { root });
    expect(store.load()).toEqual({ conversations: new Map(), problems: [] });
    store.append(out('1', 'bob', 'hi, bob'));
    store.append(inc('2', 'bob', 'hi alice, 你好'));
    store.append(out('1', 'bob', 'hi, bob', 'delivered'));
    store.append(out('3', '剑痴', 'to a CJK name, commas, and all'));
    expect(readdirSync(store.directory).sort()).toEqual(['%E5%89%91%E7%97%B4.jsonl', 'bob.jsonl']);
    expect(readFileSync(join(store.directory, 'bob.jsonl'), 'utf8').split('\n')).toHaveLength(4);
    const again = createHistoryStore('alice', { root }).load();
    expect(again.problems).toEqual([]);
    expect(again.conversations.get('bob')?.map((m) => [m.id, m.status])).toEqual([['1', 'delivered'], ['2', 'received']]);
    expect(again.conversations.get('剑痴')?.[0]?.text).toBe('to a CJK name, commas, and all');
  });

  it('a truncated last line is lost alone and reported; the next write starts on a fresh line', () => {
    const store = createHistoryStore('alice', { root });
    store.load();
    store.append(out('1', 'bob', 'one'));
    store.append(out('2', 'bob', 'two'));
    const file = join(store.directory, 'bob.jsonl');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, -10)); // a crash in the middle of the last write
    const reopened = createHistoryStore('alice', { root });
    const loaded = reopened.load();
    expect(loaded.conversations.get('bob')?.map((m) => m.text)).toEqual(['one']);
    expect(loaded.problems).toEqual([expect.stringMatching(/^1 damaged line skipped in .*bob\.jsonl$/)]);
    reopened.append(out('3', 'bob', 'three'));
    const third = createHistoryStore('alice', { root }).load();
    expect(third.conversations.get('bob')?.map((m) => m.text)).toEqual(['one', 'three']);
    expect(third.problems).toHaveLength(1);
  });

  it('garbage anywhere is skipped line by line, never a crash', () => {
    const store = createHistoryStore('alice', { root });
    store.append(out('1', 'bob', 'kept'));
    const file = join(store.directory, 'bob.jsonl');
    appendFileSync(file, '{"v":1,"id":5}\n\u0000\u0001binary\n[1,2]\nnull\n{"v":2,"id":"x"}\n');
    store.append(out('2', 'bob', 'also kept'));
    writeFileSync(join(store.directory, '%E0%A4%A.jsonl'), 'x\n');
    const loaded = createHistoryStore('alice', { root }).load();
    expect(loaded.conversations.get('bob')?.map((m) => m.text)).toEqual(['kept', 'also kept']);
    expect(loaded.problems.join('\n')).toMatch(/5 damaged lines skipped/);
    expect(loaded.problems.join('\n')).toMatch(/not a history file name/);
  });

  it('a store that cannot write says so once and goes on without throwing', () => {
    const problems: string[] = [];
    writeFileSync(join(root, 'imstate-file'), 'not a folder');
    const store = createHistoryStore('alice', { root: join(root, 'imstate-file'), onProblem: (p) => problems.push(p) });
    expect(() => store.append(out('1', 'bob', 'x'))).not.toThrow();
    store.append(out('2', 'bob', 'y'));
    expect(problems).toEqual([expect.stringMatching(/^history is not being saved: /)]);
  });
});

/**
 * The live inspector with 10,000 live session actors (the server's real session machine, each one pinged once so it
 * is `online`), measured in Debian's headless Chromium and on the heap:
 *
 * - `inspector-first-paint-10k`: from `goto` to the first session row drawn, ms, ÷ the raw baseline: a bare
 *   `node:http` page carrying the same 10,000 names and states as a plain HTML table (no script), measured the same way.
 * - `inspector-select-10k`: from clicking a session row to its statechart drawn with `online` lit, ms (no baseline:
 *   nothing raw draws a statechart; the figure shows that selection stays interactive with 10,000 actors).
 * - `inspector-live-update-10k`: from a heartbeat sent to the selected session to the page's detail showing it, ms
 *   (no baseline: the page redraws on a timer, at most every 150 ms, or 400 ms past 10,000 actors).
 * - `inspector-bytes-per-actor-10k`: heap the inspector holds per live actor (after a full GC), beside the heap of the
 *   actors themselves without an inspector.
 *
 * Needs `/usr/bin/chromium` (or `CHROMIUM_PATH`); without it the page rows are left out and the note says so.
 * @module
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createActor, type AnyActorRef } from 'xstate';
import { sessionMachine } from '../machines/session.machine.js';
import { createInspector, type Inspector } from '../src/inspect/index.js';
import type { User } from '../src/presence/index.js';
import type { Bench, BenchRow } from './report.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const WAIT = 60_000;

const userAt = (i: number): User => ({
  name: `user${i}`,
  endpoint: `127.0.0.1:${10_000 + (i % 50_000)}`,
  session: `s${i.toString(36).padStart(11, '0')}`,
  imstate: true,
});

/** `count` live session actors, each pinged once (so `online`), watched by `inspect` when given. */
const startSessions = (count: number, inspect?: Inspector['inspect']): AnyActorRef[] => {
  const actors: AnyActorRef[] = [];
  for (let i = 0; i < count; i++) {
    const actor = createActor(sessionMachine, { input: { user: userAt(i) }, ...(inspect ? { inspect } : {}) });
    actor.start();
    actor.send({ type: 'heartbeat' });
    actors.push(actor);
  }
  return actors;
};

const heapUsed = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** The raw page: the same rows as plain HTML from a bare `node:http` server. */
const startRawPage = async (count: number): Promise<{ url: string; close(): Promise<void> }> => {
  const rows: string[] = [];
  for (let i = 0; i < count; i++) rows.push(`<tr class="actor"><td>session:${userAt(i).name}</td><td>online</td></tr>`);
  const body = `<!doctype html><html><body><table>${rows.join('')}</table></body></html>`;
  const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
};

const firstPaint = async (browser: Browser, url: string, selector: string): Promise<number> => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  try {
    const at = performance.now();
    await page.goto(url, { timeout: WAIT, waitUntil: 'commit' });
    await page.locator(selector).first().waitFor({ timeout: WAIT });
    return performance.now() - at;
  } finally {
    await page.close();
  }
};

const sessionRow = (page: Page, index: number) => page.locator('details.group[data-machine="session"] tr.actor').nth(index);
const lit = (page: Page, path: string) => page.locator(`#chartBody svg [data-state="${path}"].active`);

/** Click `rounds` different session rows; each time, ms until its detail has come and its chart shows `online` lit. */
const selectTimes = async (page: Page, rounds: number): Promise<{ times: number[]; selected: string }> => {
  const times: number[] = [];
  let selected = '';
  for (let i = 0; i < rounds; i++) {
    // Rows move as the page redraws, so pick one, then click it by its sessionId; one that moved off the page before
    // the click (a redraw in between, on a busy machine) is given up for another pick rather than waited for.
    let at = 0;
    for (let pick = 0; ; pick++) {
      selected = (await sessionRow(page, i + 1).getAttribute('data-session', { timeout: WAIT })) ?? '';
      const row = page.locator(`details.group[data-machine="session"] tr.actor[data-session="${selected}"]`);
      at = performance.now();
      const clicked = await row.click({ timeout: 5_000 }).then(() => true, (error: unknown) => (pick < 5 ? false : Promise.reject(error)));
      if (clicked) break;
    }
    await page.locator('#detail dd', { hasText: new RegExp(`^${selected}$`) }).first().waitFor({ timeout: WAIT });
    await page.locator('#detail pre.context').waitFor({ timeout: WAIT });
    await lit(page, 'online').waitFor({ timeout: WAIT });
    times.push(performance.now() - at);
  }
  return { times, selected };
};

/** Heartbeats to the selected actor; ms until the detail shows the new count. */
const updateTimes = async (page: Page, actor: AnyActorRef, rounds: number): Promise<number[]> => {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const heartbeats = (actor.getSnapshot() as { context: { heartbeats: number } }).context.heartbeats + 1;
    const at = performance.now();
    actor.send({ type: 'heartbeat' });
    await page.locator('#detail', { hasText: new RegExp(`"?heartbeats"?\\W+${heartbeats}\\b`) }).waitFor({ timeout: WAIT });
    times.push(performance.now() - at);
  }
  return times;
};

const bench: Bench = async ({ quick }) => {
  const count = 10_000;
  const rounds = quick ? 3 : 7;
  const rows: BenchRow[] = [];

  // Heap: the actors alone, then the same actors watched by an inspector; a throw-away round first, so that neither
  // measurement pays for compiling the machine's code.
  for (const actor of startSessions(1_000)) actor.stop();
  const base = heapUsed();
  let plain: AnyActorRef[] | undefined = startSessions(count);
  const actorsOnly = (heapUsed() - base) / count;
  for (const actor of plain) actor.stop();
  plain = undefined;
  const inspector = await createInspector();
  const before = heapUsed();
  const actors = startSessions(count, inspector.inspect);
  const watched = (heapUsed() - before) / count;
  rows.push({
    name: 'inspector bytes per actor @10k',
    figure: 'inspector-bytes-per-actor-10k',
    value: Math.round(watched - actorsOnly),
    unit: 'B/actor',
    baseline: Math.round(actorsOnly),
    ratio: (watched - actorsOnly) / actorsOnly,
    target: '≤ 1024 B/actor',
    note: 'heap the inspector adds per live session actor; baseline: the actor itself, no inspector',
  });

  if (!existsSync(CHROMIUM)) {
    rows.push({ name: 'inspector page @10k', value: NaN, unit: 'ms', note: `not measured: no browser at ${CHROMIUM}` });
    for (const actor of actors) actor.stop();
    await inspector.close();
    return rows;
  }

  const raw = await startRawPage(count);
  const browser = await chromium.launch({ executablePath: CHROMIUM, timeout: WAIT, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const paints: number[] = [];
    const rawPaints: number[] = [];
    for (let i = 0; i < rounds; i++) {
      rawPaints.push(await firstPaint(browser, raw.url, 'tr.actor'));
      paints.push(await firstPaint(browser, inspector.url, 'details.group[data-machine="session"] tr.actor'));
    }
    const paint = median(paints);
    const rawPaint = median(rawPaints);
    rows.push({
      name: 'inspector first paint @10k sessions',
      figure: 'inspector-first-paint-10k',
      value: paint,
      unit: 'ms',
      baseline: rawPaint,
      ratio: paint / rawPaint,
      note: `median of ${rounds}; baseline: a bare node:http page with the same 10,000 rows as plain HTML`,
    });

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(inspector.url, { timeout: WAIT });
    await page.locator('#conn[data-state="live"]').waitFor({ timeout: WAIT });
    await sessionRow(page, 0).waitFor({ timeout: WAIT });
    const { times: selects, selected: selectedId } = await selectTimes(page, rounds);
    rows.push({
      name: 'inspector select a session @10k',
      figure: 'inspector-select-10k',
      value: median(selects),
      unit: 'ms',
      note: `median of ${rounds} clicks to a drawn statechart with online lit; max ${Math.max(...selects).toFixed(0)} ms`,
    });

    const selected = actors.find((actor) => actor.sessionId === selectedId);
    const updates = selected ? await updateTimes(page, selected, rounds) : [];
    const update = median(updates);
    rows.push({
      name: 'inspector live update @10k',
      figure: 'inspector-live-update-10k',
      value: update,
      unit: 'ms',
      note: `median of ${updates.length}: heartbeat sent → the page's detail shows it; the page redraws at most every 400 ms past 10,000 actors (150 ms below)`,
    });
    await page.close();
  } finally {
    await browser.close();
    await raw.close();
    for (const actor of actors) actor.stop();
    await inspector.close();
  }
  return rows;
};

export default bench;

/**
 * A person watching a real server and real peers in the inspector page, in Debian's headless Chromium: the first
 * paint already lists the actors (the page carries them, no WebSocket needed); clicking a peer draws its machine with
 * `online` lit; clicking a session lights its states as the user pings and then leaves, and marks the last
 * transition; a second peer's login shows up in the sequence view, which filters by actor. Screenshots go to
 * test-output/ (ignored) to look at; with IMSTATE_README_SCREENSHOT=1 (`npm run screenshot`) the chart screenshot is
 * also written to docs/inspector.png for the README. Every wait is bounded; everything started is closed.
 */
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { filter, firstValueFrom, throwError, timeout, type Observable } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIndexServer, createPeer } from '../../src/engine/index.js';
import type { IndexServerHandle, PeerHandle } from '../../src/engine/types.js';
import { createInspector, type Inspector } from '../../src/inspect/index.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const OUT = new URL('../../test-output/', import.meta.url);
const WAIT = 15_000;

/** Launches Debian's Chromium headless, offline-minded; Playwright gives it a fresh --user-data-dir and removes it. */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    timeout: 30_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });

/** Resolves with `promise`, or rejects after `ms` saying what did not finish: a close must never hang the suite. */
export const within = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });

const waitFor = <T>(source: Observable<T>, test: (value: T) => boolean, what: string): Promise<T> =>
  firstValueFrom(source.pipe(filter(test), timeout({ first: WAIT, with: () => throwError(() => new Error(`no ${what} within ${WAIT} ms`)) })));

/** The chart's state box of a path, lit or not. */
const chartState = (page: Page, path: string, lit: boolean) =>
  page.locator(`#chartBody svg [data-state="${path}"]${lit ? '.active' : ':not(.active)'}`);

const row = (page: Page, machine: string, text?: string) =>
  page.locator(`details.group[data-machine="${machine}"] tr.actor`, text === undefined ? {} : { hasText: text }).first();

describe('statechart and sequence views on a real server and peers', () => {
  let inspector: Inspector;
  let browser: Browser;
  let server: IndexServerHandle;
  let udpPort = 0;
  const peers: PeerHandle[] = [];

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    inspector = await createInspector();
    // Pings every 300 ms, so a session goes online (its first heartbeat) while the test watches.
    server = createIndexServer({ inspect: inspector.inspect, heartbeatMs: 300 });
    ({ udpPort } = await server.start());
    browser = await launchChromium();
  }, 45_000);

  afterAll(async () => {
    for (const peer of peers) await peer.stop().catch(() => undefined);
    try {
      await server?.stop();
      if (browser) await within(browser.close(), WAIT, 'closing the browser');
    } finally {
      if (inspector) await within(inspector.close(), WAIT, 'closing the inspector');
    }
  }, 30_000);

  const peer = (name: string): PeerHandle => {
    const p = createPeer({ name, server: `127.0.0.1:${udpPort}`, inspect: inspector.inspect });
    peers.push(p);
    return p;
  };

  it('paints the actors it was served with before any WebSocket message', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(WAIT);
    // The page's socket goes nowhere: whatever it shows came with the HTML.
    await page.routeWebSocket(/\/ws$/, () => undefined);
    await page.goto(inspector.url, { timeout: WAIT });
    await row(page, 'server').waitFor();
    expect(await page.locator('details.group[data-machine="server"] .count').textContent()).toBe('1 live / 1');
    expect(await page.locator('#actors').textContent()).not.toContain('No actors yet');
    await page.screenshot({ path: new URL('inspector-first-paint.png', OUT).pathname });
    await page.close();
  });

  it('draws the selected peer with online lit, lights a session as its user pings and leaves, and sequences logins', async () => {
    const alice = peer('alice');
    await alice.login();
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.setDefaultTimeout(WAIT);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    const external: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(inspector.url.replace(/\/$/, '')) && !request.url().startsWith('ws://127.0.0.1')) external.push(request.url());
    });
    await page.goto(inspector.url, { timeout: WAIT });
    await page.locator('#conn[data-state="live"]').waitFor();

    // The peer: its machine drawn, `online` lit, states it is not in dark.
    await row(page, 'peer').click();
    await chartState(page, 'online', true).waitFor();
    await chartState(page, 'online.heartbeat.beating', true).waitFor();
    await chartState(page, 'idle', false).waitFor();
    expect(await page.locator('#chartBody svg .state.active').count()).toBeGreaterThanOrEqual(5); // online, 2 regions, 2 leaves
    await page.screenshot({ path: new URL('inspector-peer-chart.png', OUT).pathname });

    // alice's session: `online` once her first ping arrives, the heartbeat marked as the last transition.
    await row(page, 'session', 'session:alice').click();
    await chartState(page, 'online', true).waitFor();
    await page.locator('#chartBody svg .last[data-transition]').first().waitFor();
    expect(await page.locator('#chartCaption').textContent()).toContain('heartbeat');

    // bob logs in: the sequence shows the datagram that brought him, then what it caused.
    const bob = peer('bob');
    await bob.login();
    await waitFor(alice.users$, (users) => users.some((u) => u.name === 'bob'), 'bob in alice’s list');
    await page.locator('#seqBody g.msg', { hasText: 'bob' }).first().waitFor();
    const login = page.locator('#seqBody g.msg', { hasText: /login.*bob|bob.*login/ }).first();
    await login.waitFor();
    await page.locator('#seqFilter').fill('session:bob');
    await page.locator('#seqCount', { hasText: 'matching' }).waitFor(); // the filtered drawing, not the one before
    await page.locator('#seqBody .lane', { hasText: 'session:bob' }).waitFor();
    const lanes = await page.locator('#seqBody .lane .lane-name').allTextContents();
    expect(lanes).toContain('session:bob');
    // A string, since this project's TypeScript has no DOM types.
    const ends = await page.evaluate<string[]>(
      "Array.from(document.querySelectorAll('#seqBody g.msg'), (g) => g.getAttribute('data-from') + '>' + g.getAttribute('data-to'))",
    );
    const bobSession = await row(page, 'session', 'session:bob').getAttribute('data-session');
    expect(ends.length).toBeGreaterThan(0);
    expect(ends.every((e) => e.split('>').includes(bobSession ?? '?'))).toBe(true);
    await page.locator('#seqFilter').fill('');

    // bob's session lights `online`, then `gone` when he leaves.
    await row(page, 'session', 'session:bob').click();
    await chartState(page, 'online', true).waitFor();
    const alicePng = new URL('inspector-session-chart.png', OUT).pathname;
    await page.screenshot({ path: alicePng, fullPage: true });
    await bob.logout();
    await chartState(page, 'gone', true).waitFor();
    await chartState(page, 'online', false).waitFor();
    await page.locator('#chartBody svg .edge.last').first().waitFor();
    await page.screenshot({ path: new URL('inspector-session-gone.png', OUT).pathname, fullPage: true });

    // alice's peer: its bigger chart lit too.
    await row(page, 'peer').click();
    await chartState(page, 'online', true).waitFor();
    await page.screenshot({ path: new URL('inspector-peer-online.png', OUT).pathname });

    // The README picture: alice's session lit after her pings, the sequence of recent events below.
    await row(page, 'session', 'session:alice').click();
    await chartState(page, 'online', true).waitFor();
    await page.setViewportSize({ width: 1400, height: 1320 });
    await page.locator('#seqBody g.msg').first().waitFor();
    await page.screenshot({ path: new URL('inspector.png', OUT).pathname });
    if (process.env['IMSTATE_README_SCREENSHOT'] === '1') {
      const docs = new URL('../../docs/', import.meta.url);
      mkdirSync(docs, { recursive: true });
      await page.screenshot({ path: new URL('inspector.png', docs).pathname });
    }
    expect(problems).toEqual([]);
    expect(external).toEqual([]);
    expect(inspector.counts().errors).toBe(0);
    await page.close();
  }, 60_000);
});

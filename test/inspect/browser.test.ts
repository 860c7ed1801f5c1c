/**
 * A person's view: Debian's headless Chromium opens the inspector page, sees the actors grouped by machine, sees a
 * state change live when the test sends an event, selects an actor to read its context and transitions, filters,
 * and leaves a screenshot in test-output/ (ignored) to look at. Every wait is bounded; the browser and the inspector are closed.
 */
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActor, sendParent, setup, type AnyActor } from 'xstate';
import { createInspector, type Inspector } from '../../src/inspect/index.js';
import { lightMachine } from './helpers.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const SCREENSHOT = new URL('../../test-output/inspector-table.png', import.meta.url).pathname;
const WAIT = 10_000;

const talk = setup({}).createMachine({
  id: 'talk',
  initial: 'sending',
  states: {
    sending: { on: { ACK: { target: 'delivered', actions: sendParent({ type: 'DELIVERED' }) } } },
    delivered: { type: 'final' },
  },
});
const peer = setup({ actors: { talk } }).createMachine({
  id: 'peer',
  initial: 'online',
  states: { online: { invoke: { src: 'talk', id: 'talk-1', systemId: 'talk:bob' }, on: { DELIVERED: 'chatting' } }, chatting: {} },
});

/** Resolves with `promise`, or rejects after `ms` saying what did not finish: a close must never hang the suite. */
const within = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });

const stateCell = (page: Page, sessionId: string) => page.locator(`tr.actor[data-session="${sessionId}"] td.state`);

describe('inspector page in a real browser', () => {
  let inspector: Inspector;
  let browser: Browser;
  const actors: AnyActor[] = [];

  beforeAll(async () => {
    inspector = await createInspector();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      timeout: 30_000,
      // Playwright gives every launch a fresh temporary profile (user-data-dir) and removes it on close.
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 45_000);

  afterAll(async () => {
    for (const actor of actors) actor.stop();
    try {
      if (browser) await within(browser.close(), WAIT, 'closing the browser');
    } finally {
      if (inspector) await within(inspector.close(), WAIT, 'closing the inspector');
    }
  }, 30_000);

  it('shows actors by machine and a state change live, an actor’s context and transitions, and filters', async () => {
    const light = createActor(lightMachine, { inspect: inspector.inspect, systemId: 'light-1' }).start();
    const alice = createActor(peer, { inspect: inspector.inspect, systemId: 'peer:alice' }).start();
    actors.push(light, alice);
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.setDefaultTimeout(WAIT);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });

    await page.goto(inspector.url, { timeout: WAIT });
    await page.locator('#conn[data-state="live"]').waitFor();
    await stateCell(page, light.sessionId).filter({ hasText: /^green$/ }).waitFor();
    // A string, since this project's TypeScript has no DOM types.
    const groups = await page.evaluate<string[]>("Array.from(document.querySelectorAll('details.group'), (el) => el.dataset.machine)");
    expect(groups).toEqual(['light', 'peer', 'talk']);
    expect(await page.locator('details.group[data-machine="peer"] .count').textContent()).toBe('1 live / 1');

    light.send({ type: 'TIMER' });
    await stateCell(page, light.sessionId).filter({ hasText: /^yellow$/ }).waitFor();
    alice.system.get('talk:bob').send({ type: 'ACK' });
    await stateCell(page, alice.sessionId).filter({ hasText: /^chatting$/ }).waitFor();
    await page.locator('#log li', { hasText: 'online → chatting' }).first().waitFor();

    await page.locator(`tr.actor[data-session="${light.sessionId}"]`).click();
    await page.locator('#detail pre.context', { hasText: '"changes": 1' }).waitFor();
    expect(await page.locator('#detail pre.context').textContent()).toContain('"self": "[cycle]"');
    await page.locator('#detail li', { hasText: 'green → yellow' }).waitFor();
    light.send({ type: 'TIMER' });
    await page.locator('#detail pre.context', { hasText: '"changes": 2' }).waitFor();

    await page.locator('#filter').fill('bob'); // talk:bob's system id; 'talk' would also match the peer's done event
    await page.locator('details.group[data-machine="light"]').waitFor({ state: 'detached' });
    expect(await page.locator('details.group').count()).toBe(1);
    await page.locator('#filter').fill('');
    await page.locator('details.group[data-machine="light"]').waitFor();

    mkdirSync(new URL('../../test-output/', import.meta.url), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });
});

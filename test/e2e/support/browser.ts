import { existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterEach, expect } from 'vitest';
import { createApp } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { systemClock, type Clock } from '../../../src/core/clock';
import type { AppContext } from '../../../src/core/context';
import { scopedDb } from '../../../src/core/db/scope';
import { openDatabase, type OpenedDatabase } from '../../../src/core/db/database';
import { migrateToLatest } from '../../../src/core/db/migrate';
import { DEMO_PASSWORD_SUFFIX, runDemo } from '../../../src/features/demo';

// Callbacks given to page.evaluate run in the browser; the project's tsconfig has no DOM lib, so name what they use here.
declare const document: any, window: any;

/**
 * End-to-end harness: a real HTTP server on a fresh database filled with the demo data, and Debian's
 * Chromium driven by playwright-core (never a downloaded browser). Screenshots go to test-artifacts/
 * (not committed). The context bypasses CSP only so that axe-core can be injected; the app's pages never need it.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(process.cwd(), 'test-artifacts');

export interface E2E {
  base: string;
  ctx: AppContext;
  browser: Browser;
  /** Every page opened with newPage, so that a failing test can leave a screenshot of each behind. */
  pages: Page[];
  close(): Promise<void>;
}

/** `clock`: the app's and the demo's time (the wall clock unless a test fixes it). */
export async function startE2E(options: { clock?: Clock } = {}): Promise<E2E> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium`);
  const dir = mkdtempSync(join(tmpdir(), 'qms-e2e-'));
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: join(dir, 'qms.sqlite') });
  const opened: OpenedDatabase = openDatabase(config.databasePath);
  await migrateToLatest(opened.db);
  const ctx: AppContext = { config, db: opened.db, sqlite: opened.sqlite, clock: options.clock ?? systemClock };
  await runDemo({ ...ctx, db: scopedDb(opened.db, 1) }, () => undefined); // the model office, organisation 1
  const app = createApp(ctx);
  const server: Server = await new Promise((resolve) => {
    // axe-core is served beside the app from a URL the browser caches and keeps compiled, instead of 500 kB of script
    // text sent and parsed again on every page checked (a third of each check's time); nothing else differs.
    const s = createServer((req, res) => {
      if (req.url !== AXE_PATH) return void app(req, res);
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'max-age=86400, immutable' });
      res.end(axeSource);
    });
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--lang=vi-VN',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    base,
    ctx,
    browser,
    pages: [],
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await opened.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function newPage(e2e: E2E, options: { lang?: 'vi' | 'en'; width?: number; height?: number } = {}): Promise<Page> {
  const context = await e2e.browser.newContext({
    bypassCSP: true,
    viewport: { width: options.width ?? 1366, height: options.height ?? 768 },
    locale: options.lang === 'en' ? 'en-GB' : 'vi-VN',
  });
  // a safety net for each browser action (a click, a navigation): about a second each, much more on a busy machine
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  e2e.pages.push(page);
  if (options.lang === 'en') await page.goto(`${e2e.base}/login?lang=en`);
  return page;
}

/** Signs in through the form with the keyboard only (Tab/Enter), as a demo user. */
export async function signInWithKeyboard(e2e: E2E, page: Page, username: string): Promise<void> {
  await page.goto(`${e2e.base}/login`);
  await page.locator('#f-username').focus();
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(`${username}${DEMO_PASSWORD_SUFFIX}`);
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** A path the app does not have (the harness answers it; see startE2E). */
const AXE_PATH = '/__e2e/axe.min.js';
const axeSource = (() => {
  const require = createRequire(import.meta.url);
  return require('fs').readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') as string;
})();

/**
 * The rules whose every check is at most "moderate": they can never report the serious or critical violation these
 * tests fail on, so they are not run (a third of axe's time on the larger pages). Read from axe-core's own rule and
 * check metadata, so a new version's rules are judged the same way.
 */
const NEVER_SERIOUS: string[] = (() => {
  const require = createRequire(import.meta.url);
  type Check = string | { id: string };
  const axe = require('axe-core') as {
    _audit: {
      rules: { id: string; impact?: string; any: Check[]; all: Check[]; none: Check[] }[];
      checks: Record<string, { metadata?: { impact?: string } } | undefined>;
    };
  };
  const grave = (impact: string | undefined) => impact === undefined || impact === 'serious' || impact === 'critical';
  return axe._audit.rules
    .filter((rule) => {
      const impacts = rule.impact
        ? [rule.impact]
        : [...rule.any, ...rule.all, ...rule.none].map((c) => axe._audit.checks[typeof c === 'string' ? c : c.id]?.metadata?.impact);
      return impacts.length > 0 && !impacts.some(grave);
    })
    .map((rule) => rule.id);
})();

/**
 * Runs axe-core in the page and fails on any serious or critical violation; `strict`: on any violation at all, every
 * rule run (the citizens' public pages, which must be axe-clean).
 */
export async function expectAccessible(page: Page, label: string, options: { soft?: boolean; strict?: boolean } = {}): Promise<void> {
  // A click that navigates returns once the new document is committed, possibly before its <head> is parsed: the
  // script tag needs the loaded document (it failed once on a fresh clone with document.head null).
  await page.waitForLoadState('load');
  await page.addScriptTag({ url: AXE_PATH });
  const result = (await page.evaluate(
    async (never: string[]) => {
      const r = await window.axe.run(document, {
        resultTypes: ['violations'],
        rules: Object.fromEntries(never.map((id) => [id, { enabled: false }])),
      });
      return r.violations.map((v: { id: string; impact: string; nodes: { target: string[] }[] }) => ({
        id: v.id,
        impact: v.impact,
        targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
      }));
    },
    options.strict ? [] : NEVER_SERIOUS,
  )) as { id: string; impact: string; targets: string[] }[];
  const serious = options.strict ? result : result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  (options.soft ? expect.soft : expect)(serious, `${label}: ${JSON.stringify(serious)}`).toEqual([]);
}

/**
 * A screenshot for people to look at, in test-artifacts/, when E2E_SCREENSHOTS=1 (each costs a PNG encoding, a
 * minute of the suite's two cores in all). A failing test leaves its screenshots whatever the setting
 * (keepScreenshotsOfFailures).
 */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  if (process.env.E2E_SCREENSHOTS !== '1') return;
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage });
}

/** Opens a path, expects a page (not an error), and checks it with axe. Returns the response status. */
export async function visit(e2e: E2E, page: Page, path: string, label = path): Promise<number> {
  const response = await page.goto(`${e2e.base}${path}`);
  const status = response?.status() ?? 0;
  expect(status, `${label}: HTTP ${status}`).toBeLessThan(400);
  await expectAccessible(page, label);
  return status;
}

/** The text of the flash message shown after a post/redirect/get, if any. */
export async function flashText(page: Page): Promise<string> {
  const flash = page.locator('.flash');
  return (await flash.count()) ? ((await flash.first().textContent()) ?? '').trim() : '';
}

/** Nothing sticks out sideways: the page fits the viewport width (tables scroll inside their frame). */
export async function expectNoSidewaysScroll(page: Page, label: string, options: { soft?: boolean } = {}): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  (options.soft ? expect.soft : expect)(overflow, `${label}: page wider than the screen by ${overflow}px`).toBeLessThanOrEqual(1);
}

/** After a failing test: a screenshot of every page still open, named after the test, in test-artifacts/. */
export function keepScreenshotsOfFailures(get: () => E2E | undefined): void {
  afterEach(async (context) => {
    const e2e = get();
    if (!e2e || context.task.result?.state !== 'fail') return;
    const name = context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    let n = 0;
    for (const page of e2e.pages) {
      if (page.isClosed()) continue;
      n += 1;
      await page.screenshot({ path: join(ARTIFACTS, `FAILED-${name}-${n}.png`), fullPage: true }).catch(() => undefined);
    }
  });
}

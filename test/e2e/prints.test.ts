import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../support/app';
import { recordSlip } from '../../src/features/apologies/apologies.service';
import { dossier, procedure } from '../reports/fixtures';
import { CHROMIUM } from './support/browser';

// Callbacks given to page.$eval run in the browser; the project's tsconfig has no DOM lib, so name what they use here.
declare function getComputedStyle(el: unknown): { gridTemplateColumns: string; minWidth: string };

/**
 * Prints in a real browser (issue 25): on a machine without Times New Roman (this one, like most Linux servers), a
 * printed page's Vietnamese text is drawn in Tinos, the typeface the app ships, not in a wider serif that breaks the
 * letterhead; and an A4 page (794 CSS pixels wide) is laid out as a page, not by the phone rules of the screen.
 */
let t: TestApp;
let server: Server;
let browser: Browser;
let base: string;

beforeAll(async () => {
  t = await createTestApp();
  server = t.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await t?.close();
});

describe('an A4 print', () => {
  it('keeps the letterhead in its two columns: the phone rules are for screens only', async () => {
    const p = await procedure(t, 'P-A');
    const d = await dossier(t, p, 'HS-1', { received: '2026-10-01', due: '2026-10-10', returned: '2026-10-15' });
    const slip = await recordSlip(
      t.ctx,
      d,
      { slipNo: '01/PXL', issuedOn: '2026-10-10', newDueOn: '2026-10-16', reason: 'Chờ xác minh', signerName: 'Phạm Văn Minh', signerTitle: 'TRƯỞNG PHÒNG' },
      t.users.quality_officer,
    );
    const page = await browser.newPage({ viewport: { width: 794, height: 1123 } });
    await page.goto(`${base}/login`);
    await page.fill('input[name=username]', 'qualityofficer');
    await page.fill('input[name=password]', TEST_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/`);
    await page.goto(`${base}/apologies/${slip}/print`);
    await page.emulateMedia({ media: 'print' });
    const columns = await page.$eval('.doc-page .doc-header', (el) => getComputedStyle(el).gridTemplateColumns.split(' ').length);
    expect(columns).toBe(2);
    // a table printed on A4 takes the page's width, not the phone's scrolling minimum that clipped its right edge
    await page.goto(`${base}/apologies?from=2026-10-01&to=2026-10-31`);
    const minWidth = () => page.$eval('.table-wrap .table', (el) => getComputedStyle(el).minWidth);
    expect(await minWidth()).toBe('0px');
    await page.emulateMedia({ media: 'screen' });
    expect(await minWidth()).toBe('576px'); // table-compact's 36rem: on a narrow screen it scrolls sideways instead
  });
});

describe('the prints’ typeface', () => {
  it('draws Vietnamese text in the shipped Tinos when printed', async () => {
    const page = await browser.newPage();
    await page.emulateMedia({ media: 'print' });
    await page.goto(`${base}/login`);
    await page.evaluate('document.fonts.ready.then(() => true)');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: 'h1' });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    expect(await page.textContent('h1')).toBe('Đăng nhập');
    expect(fonts.map((f) => f.familyName)).toEqual(['Tinos']);
    expect(fonts[0].isCustomFont).toBe(true);
  });
});

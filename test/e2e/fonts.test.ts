import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app';
import { CHROMIUM } from './support/browser';

/**
 * In a real browser on a machine without Times New Roman (this one, like most Linux servers), a printed page's
 * Vietnamese text is drawn in Tinos, the typeface the app ships, not in a wider serif that breaks the letterhead.
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

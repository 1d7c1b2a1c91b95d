import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../support/app';
import { createDocument, createDraft, publish, signInPeople } from '../documents/helpers';
import { CHROMIUM } from './support/browser';

// Callbacks given to page.$eval run in the browser; the project's tsconfig has no DOM lib, so name what they use here.
declare function getComputedStyle(el: unknown): { display: string; position: string };

/**
 * The print marks of process documents in a real browser (issue 25): printed, a draft carries DỰ THẢO, a superseded
 * revision HẾT HIỆU LỰC, a controlled copy its stamp BẢN KIỂM SOÁT, an ordinary print BẢN KHÔNG KIỂM SOÁT — each in
 * the printed PDF, with the print time of the app's clock (26/11/2026 09:00 in Hà Nội); on screen the marks that
 * are for paper only stay hidden.
 */
let t: TestApp;
let server: Server;
let browser: Browser;
let base: string;
let docId: number;
let oldRev: number;
let draft: number;

beforeAll(async () => {
  t = await createTestApp();
  const { qo, people } = await signInPeople(t);
  docId = await createDocument(qo, { code: 'QT-TP-09', title: 'Chứng thực hợp đồng' });
  oldRev = await publish(t, people, docId, 'Bản đầu tiên của quy trình.');
  await publish(t, people, docId, 'Bản thứ hai của quy trình.', 'Sửa thời hạn');
  const long = Array.from({ length: 60 }, (_, i) => `Bước ${i + 1}: công chức kiểm tra hồ sơ và ghi vào sổ theo dõi.`).join('\n\n');
  draft = await createDraft(qo, docId, long, 'Dự thảo'); // long enough for several printed pages
  expect((await qo.post(`/documents/${docId}/copies`, { holder: 'Quầy số 3' })).status).toBe(303);
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

async function signedIn(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  await page.goto(`${base}/login`);
  await page.fill('input[name=username]', 'qualityofficer');
  await page.fill('input[name=password]', TEST_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(`${base}/`);
  return page;
}

const display = (page: Page, selector: string) => page.$eval(selector, (el) => getComputedStyle(el).display);
const squeeze = (text: string) => text.replace(/\s+/g, '');

/** The text of each page of the page printed to PDF, read with pdf.js (the watermark is drawn in a transparency group). */
async function printed(page: Page): Promise<string[]> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // The print's fonts are web fonts with font-display: block: printed before they load, the text is invisible.
  await page.evaluate('document.fonts.ready.then(() => true)');
  const pdf = await getDocument({ data: new Uint8Array(await page.pdf({ format: 'A4' })), useSystemFonts: false }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    const text = content.items.map((item) => ('str' in item ? item.str : '')).join(' ');
    // pdf.js cuts runs at combining marks ("D Ự TH Ả O"): compare without any white space.
    pages.push(text.normalize('NFC').replace(/\s+/g, ''));
  }
  await pdf.destroy();
  return pages;
}

describe('printed process documents', () => {
  it('a draft prints DỰ THẢO on every page, hidden on screen', async () => {
    const page = await signedIn();
    await page.goto(`${base}/documents/${docId}/revisions/${draft}`);
    expect(await display(page, '.doc-watermark')).toBe('none');
    await page.emulateMedia({ media: 'print' });
    expect(await display(page, '.doc-watermark')).toBe('block');
    expect(await page.$eval('.doc-watermark', (el) => getComputedStyle(el).position)).toBe('fixed');
    const pages = await printed(page);
    expect(pages.length).toBeGreaterThan(1);
    for (const text of pages) expect(text).toContain(squeeze('DỰ THẢO'));
    expect(pages[0]).toContain(squeeze('In lúc: 26/11/2026 09:00'));
    await page.close();
  });

  it('a superseded revision prints HẾT HIỆU LỰC', async () => {
    const page = await signedIn();
    await page.goto(`${base}/documents/${docId}/revisions/${oldRev}`);
    await page.emulateMedia({ media: 'print' });
    expect(await display(page, '.doc-watermark')).toBe('block');
    expect((await printed(page))[0]).toContain(squeeze('HẾT HIỆU LỰC'));
    await page.close();
  });

  it('the registered copy prints its stamp; the ordinary print says BẢN KHÔNG KIỂM SOÁT', async () => {
    const page = await signedIn();
    await page.goto(`${base}/documents/${docId}?copy=1`);
    await page.emulateMedia({ media: 'print' });
    expect(await display(page, '.doc-stamp')).toBe('block');
    const stamped = (await printed(page))[0];
    expect(stamped).toContain(squeeze('BẢN KIỂM SOÁT'));
    expect(stamped).toContain(squeeze('Bản số: 1'));
    expect(stamped).toContain(squeeze('Lần ban hành: 2'));
    expect(stamped).toContain(squeeze('In lúc: 26/11/2026 09:00'));
    expect(stamped).not.toContain(squeeze('BẢN KHÔNG KIỂM SOÁT'));
    await page.goto(`${base}/documents/${docId}`);
    const plain = (await printed(page))[0];
    expect(plain).toContain(squeeze('BẢN KHÔNG KIỂM SOÁT'));
    expect(plain).toContain(squeeze('In lúc: 26/11/2026 09:00'));
    await page.emulateMedia({ media: 'screen' });
    expect(await display(page, '.doc-uncontrolled')).toBe('none');
    await page.close();
  });
});

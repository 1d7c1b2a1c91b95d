import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, flashText, keepScreenshotsOfFailures, newPage, screenshot, signInWithKeyboard, startE2E, type E2E } from './support/browser';

// Callbacks given to page.evaluate run in the browser; the project's tsconfig has no DOM lib.
declare const document: any, localStorage: any;

/**
 * The one-page checklist on a phone (360 × 740), on the demo's audit in progress, led by danhgia: with JavaScript the
 * answers save as they are given, an answer given offline is kept and sent when the connection is back, a photo
 * uploads; with JavaScript off the same page is a list of forms that post and come back.
 */
let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
}, 180_000);
afterAll(async () => e2e?.close());
keepScreenshotsOfFailures(() => e2e);

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082',
  'hex',
);
const SAVED = /^Đã lưu \d{2}:\d{2}$/;

interface Item {
  id: number;
  position: number;
  result: string | null;
  evidence: string;
}

describe('the checklist on a phone', { timeout: 120_000 }, () => {
  let auditId = 0;
  let procedureId = 0;
  let items: Item[] = [];
  const item = (id: number) =>
    e2e.ctx.db.selectFrom('audit_checklist_items').select(['id', 'position', 'result', 'evidence']).where('id', '=', id).executeTakeFirstOrThrow();
  const status = (page: Page, id: number) => page.locator(`#s-${id}`).innerText();

  beforeAll(async () => {
    const db = e2e.ctx.db;
    auditId = (await db.selectFrom('audits').select('id').where('status', '=', 'in_progress').where('type', '=', 'internal').executeTakeFirstOrThrow()).id;
    procedureId = (await db.selectFrom('procedures').select('id').where('code', '=', 'QT-NCC-02').executeTakeFirstOrThrow()).id;
    items = await db
      .selectFrom('audit_checklist_items')
      .select(['id', 'position', 'result', 'evidence'])
      .where('audit_id', '=', auditId)
      .where('procedure_id', '=', procedureId)
      .orderBy('position')
      .execute();
    expect(items.length).toBeGreaterThanOrEqual(5);
    expect(items.every((i) => i.result === null)).toBe(true);
  });

  it('with JavaScript: saves each answer as it is tapped, keeps one given offline until it is sent, uploads a photo', async () => {
    const page = await newPage(e2e, { width: 360, height: 740 });
    await signInWithKeyboard(e2e, page, 'danhgia');
    await page.goto(`${e2e.base}/audits/${auditId}/fill?procedure=${procedureId}`);
    expect(await page.locator('h2.fill-group').innerText()).toMatch(/^QT-NCC-02 — /);

    const answers = ['Phù hợp', 'Không áp dụng', 'Phù hợp'];
    for (const [n, label] of answers.entries()) {
      await page.locator(`#item-${items[n].id}`).getByRole('radio', { name: label, exact: true }).check();
      await expect.poll(() => status(page, items[n].id)).toMatch(SAVED);
    }
    const evidence = page.locator(`#f-${items[0].id}-evidence`);
    await evidence.fill('Đã xem 6 hồ sơ trợ cấp tháng 11.');
    await evidence.press('Tab');
    await expect.poll(async () => (await item(items[0].id)).evidence).toBe('Đã xem 6 hồ sơ trợ cấp tháng 11.');
    expect((await Promise.all(items.slice(0, 3).map((i) => item(i.id)))).map((i) => i.result)).toEqual(['conform', 'not_applicable', 'conform']);

    // The connection drops: the answer is kept on the phone, not stored yet, and sent when the connection is back.
    await page.context().setOffline(true);
    await page.locator(`#item-${items[3].id}`).getByRole('radio', { name: 'Phù hợp', exact: true }).check();
    await expect.poll(() => status(page, items[3].id)).toBe('Chưa gửi được — sẽ gửi lại khi có mạng');
    expect((await item(items[3].id)).result).toBeNull();
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([`qms-fill:${auditId}:${items[3].id}`]);
    await page.context().setOffline(false);
    await expect.poll(() => status(page, items[3].id)).toMatch(SAVED);
    expect((await item(items[3].id)).result).toBe('conform');
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);
    expect(await page.locator('#fill-progress').innerText()).toContain(`4/${items.length} câu đã trả lời`);

    // An answer the phone kept when the page was left before it was sent: restored into the fields and sent on opening.
    const version = (await e2e.ctx.db.selectFrom('audit_checklist_items').select('version').where('id', '=', items[2].id).executeTakeFirstOrThrow()).version;
    const unsent = { result: 'not_applicable', evidence: 'Quy trình chưa phát sinh hồ sơ trong kỳ.', statement: '', version: String(version) };
    await page.evaluate(([key, value]) => localStorage.setItem(key, value), [`qms-fill:${auditId}:${items[2].id}`, JSON.stringify(unsent)]);
    await page.reload();
    await expect.poll(() => status(page, items[2].id)).toMatch(SAVED);
    expect(await page.locator(`#f-${items[2].id}-evidence`).inputValue()).toBe(unsent.evidence);
    expect(await item(items[2].id)).toMatchObject({ result: 'not_applicable', evidence: unsent.evidence });

    await page.locator(`#f-${items[0].id}-file`).setInputFiles({ name: 'anh-so-theo-doi.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => page.locator(`#u-${items[0].id}`).innerText()).toBe('Đã tải lên anh-so-theo-doi.png');
    expect(await page.locator(`#files-${items[0].id} a`).allInnerTexts()).toEqual(['anh-so-theo-doi.png']);

    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    const smallest = await page.evaluate(() =>
      Math.min(...[...document.querySelectorAll('.fill-choice, .fill-actions button')].map((e: any) => e.getBoundingClientRect().height)),
    );
    expect(smallest).toBeGreaterThanOrEqual(44);
    await expectAccessible(page, 'checklist on a phone');
    await screenshot(page, 'checklist-phone');
  });

  it('with JavaScript off: the save button posts the answer and comes back to it; a file uploads', async () => {
    const context = await e2e.browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
    context.setDefaultTimeout(60_000);
    const page = await context.newPage();
    e2e.pages.push(page);
    await signInWithKeyboard(e2e, page, 'danhgia');
    const last = items[4];
    await page.goto(`${e2e.base}/audits/${auditId}/fill?procedure=${procedureId}`);
    const section = page.locator(`#item-${last.id}`);
    await section.getByRole('radio', { name: 'Phù hợp', exact: true }).check();
    await section.getByLabel('Bằng chứng đánh giá').fill('Phỏng vấn cán bộ thụ lý.');
    await section.getByRole('button', { name: 'Lưu câu trả lời' }).click();
    expect(new URL(page.url()).search).toBe(`?procedure=${procedureId}`);
    expect(await flashText(page)).toBe(`Đã lưu câu trả lời cho câu hỏi ${last.position}.`);
    expect(await page.locator(`[data-state="${last.id}"]`).innerText()).toBe('Đã trả lời: Phù hợp');
    expect(await section.getByRole('radio', { name: 'Phù hợp', exact: true }).isChecked()).toBe(true);
    expect(await item(last.id)).toMatchObject({ result: 'conform', evidence: 'Phỏng vấn cán bộ thụ lý.' });

    await section.locator(`#f-${last.id}-file`).setInputFiles({ name: 'bien-ban.png', mimeType: 'image/png', buffer: PNG });
    await section.getByRole('button', { name: 'Tải lên' }).click();
    expect(await flashText(page)).toBe('Đã tải lên tệp bằng chứng.');
    expect(await page.locator(`#files-${last.id} a`).allInnerTexts()).toEqual(['bien-ban.png']);
    expect(await page.locator('#fill-progress').innerText()).toContain(`5/${items.length} câu đã trả lời`);
    await context.close();
  });
});

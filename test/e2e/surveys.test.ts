import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { expectAccessible, expectNoSidewaysScroll, keepScreenshotsOfFailures, screenshot, startE2E, type E2E } from './support/browser';

// Callbacks given to page.evaluate run in the browser; the project's tsconfig has no DOM lib, so name what they use here.
declare const document: any;

/**
 * The public survey page in a real browser (issue 24): a citizen on a cheap phone (360 × 740) with JavaScript off
 * opens the page of the model office's procedure from its QR code, answers, sends, sees the thank-you page, and the
 * answer is stored; the page passes axe (checked in a context with scripts on, which axe needs), fits the screen and
 * its choices are large enough to touch.
 */
let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
}, 180_000);
afterAll(async () => e2e?.close());
keepScreenshotsOfFailures(() => e2e);

const PATH = `/s/DV1/QT-BTXH-01?counter=${encodeURIComponent('Quầy E2E')}`;

describe('the public survey page', () => {
  it('is answered with JavaScript off on a phone, and the answer is stored', async () => {
    const context = await e2e.browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 360, height: 740 },
      locale: 'vi-VN',
      hasTouch: true,
      isMobile: true,
    });
    context.setDefaultTimeout(60_000);
    const page = await context.newPage();
    e2e.pages.push(page);
    const response = await page.goto(`${e2e.base}${PATH}`);
    expect(response?.status()).toBe(200);
    await expect(page.locator('h1').textContent()).resolves.toBe('Phiếu khảo sát sự hài lòng của người dân, tổ chức');
    const legends = page.locator('fieldset legend');
    expect(await legends.count()).toBe(8);
    // a tap on the words chooses the score
    const tap = (question: number, words: string) =>
      page
        .locator('fieldset')
        .nth(question)
        .locator('label', { hasText: new RegExp(`^${words}$`) })
        .click();
    await tap(0, '5 Rất hài lòng');
    await tap(3, '4 Hài lòng');
    await tap(5, '2 Không hài lòng');
    expect(await page.getByLabel('4 Hài lòng', { exact: true }).nth(3).isChecked()).toBe(true);
    await page.locator('#f-comment').fill('Cán bộ nhiệt tình nhưng phải chờ lâu (kiểm thử trình duyệt).');
    await screenshot(page, 'survey-phone-filled');
    await page.getByRole('button', { name: 'Gửi phiếu đánh giá' }).click();
    await page.waitForURL((url) => url.pathname.endsWith('/thanks'));
    await expect(page.locator('h1').textContent()).resolves.toBe('Xin cảm ơn ông/bà!');
    const row = await e2e.ctx.db
      .selectFrom('survey_responses as r')
      .innerJoin('procedures as p', 'p.id', 'r.procedure_id')
      .innerJoin('survey_question_sets as s', 's.id', 'r.question_set_id')
      .select(['r.id', 'p.code', 'r.comment', 'r.language', 'r.status', 's.status as set_status', 'r.organisation_id', 'r.dossier_code'])
      .where('r.counter', '=', 'Quầy E2E')
      .execute();
    expect(row).toHaveLength(1);
    expect(row[0]).toMatchObject({
      code: 'QT-BTXH-01',
      comment: 'Cán bộ nhiệt tình nhưng phải chờ lâu (kiểm thử trình duyệt).',
      language: 'vi',
      status: 'counted',
      set_status: 'active',
      organisation_id: 1,
      dossier_code: null,
    });
    const scores = await e2e.ctx.db
      .selectFrom('survey_scores as sc')
      .innerJoin('survey_questions as q', 'q.id', 'sc.question_id')
      .select(['q.seq', 'sc.score'])
      .where('sc.response_id', '=', row[0].id)
      .orderBy('q.seq')
      .execute();
    expect(scores.map((s) => [Number(s.seq), Number(s.score)])).toEqual([
      [1, 5],
      [4, 4],
      [6, 2],
    ]);
    // a form with nothing chosen comes back with the message, still without scripts
    await page.goto(`${e2e.base}${PATH}`);
    await page.getByRole('button', { name: 'Gửi phiếu đánh giá' }).click();
    await expect(page.locator('.survey-alert').textContent()).resolves.toContain('Xin chọn mức độ hài lòng cho ít nhất một câu hỏi, hoặc ghi góp ý.');
    await context.close();
    expect(await sql<{ n: number }>`select count(*) as n from survey_responses where counter = ${'Quầy E2E'}`.execute(e2e.ctx.db)).toMatchObject({
      rows: [{ n: 1 }],
    });
  });

  it('passes axe on a phone in both languages, fits the screen, and offers choices at least 44 px high', async () => {
    const context = await e2e.browser.newContext({ bypassCSP: true, viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
    context.setDefaultTimeout(60_000);
    const page = await context.newPage();
    e2e.pages.push(page);
    for (const lang of ['vi', 'en'] as const) {
      await page.goto(`${e2e.base}/s/DV1/QT-BTXH-01${lang === 'en' ? '?lang=en' : ''}`);
      await expectAccessible(page, `survey ${lang}`, { strict: true });
      await expectNoSidewaysScroll(page, `survey ${lang}`);
      const heights = await page.evaluate(() =>
        [...document.querySelectorAll('.survey-option label, .survey-submit, #f-dossier_code')].map((el: any) => el.getBoundingClientRect().height),
      );
      expect(heights.length).toBe(8 * 5 + 2);
      expect(Math.min(...heights)).toBeGreaterThanOrEqual(44);
      await screenshot(page, `survey-phone-${lang}`);
    }
    // the honeypot is out of sight and out of the tab order
    const trap = await page.evaluate(() => {
      const el = document.querySelector('input[name="website"]');
      const box = el.getBoundingClientRect();
      return { tabIndex: el.tabIndex, right: box.right, hidden: el.closest('[aria-hidden="true"]') !== null };
    });
    expect(trap).toEqual({ tabIndex: -1, right: expect.any(Number), hidden: true });
    expect(trap.right).toBeLessThan(0);
    // the friendly pages too
    await page.goto(`${e2e.base}/s/DV1/KHONG-CO`);
    await expectAccessible(page, 'survey not found', { strict: true });
    await page.goto(`${e2e.base}/s/DV1/QT-BTXH-01/thanks`);
    await expectAccessible(page, 'survey thanks', { strict: true });
    await context.close();
  });
});

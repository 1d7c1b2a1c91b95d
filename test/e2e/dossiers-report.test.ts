import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, flashText, keepScreenshotsOfFailures, newPage, screenshot, signInWithKeyboard, startE2E, type E2E } from './support/browser';
import { pdfPageCount, pdfText } from './support/pdf-text';

/**
 * Journey 4, in a real browser on the demo data: the ISO secretary imports a dossier file (made here), opens the
 * procedure's compliance report for the month of those dossiers, and prints it to PDF with headless Chromium.
 * The figures on screen are the ones REPORTING.md defines for that file, the print layout hides the
 * application around the document, and the PDF's own text carries the national motto and the same figures.
 */
let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
}, 180_000);
afterAll(async () => e2e?.close());
keepScreenshotsOfFailures(() => e2e);

// March 2025 is before the demo's dossiers (the last twelve months), so this file alone makes the figures.
const PROCEDURE = 'QT-NCC-04';
const FROM = '2025-03-01';
const TO = '2025-03-31';
const CSV = [
  'Mã hồ sơ;Mã quy trình;Ngày nhận;Ngày hẹn trả;Ngày trả kết quả;Kết quả;Hình thức nộp;Họ tên người nộp',
  // early (returned before the due date): 4
  `E2E-001;${PROCEDURE};03/03/2025 08:15;17/03/2025;10/03/2025 15:00;;online;Nguyễn Văn A`,
  `E2E-002;${PROCEDURE};03/03/2025 09:00;17/03/2025;12/03/2025;;direct;Trần Thị B`,
  `E2E-003;${PROCEDURE};03/03/2025;17/03/2025;14/03/2025;returned;direct;Lê Văn C`,
  `E2E-004;${PROCEDURE};04/03/2025;18/03/2025;17/03/2025;;postal;Phạm Thị D`,
  // on time (returned on the due date, or withdrawn): 2
  `E2E-005;${PROCEDURE};04/03/2025;18/03/2025;18/03/2025 16:30;;online;Hoàng Văn E`,
  `E2E-006;${PROCEDURE};05/03/2025;19/03/2025;11/03/2025;withdrawn;direct;Vũ Thị G`,
  // late (returned after the due date): 2
  `E2E-007;${PROCEDURE};05/03/2025;12/03/2025;20/03/2025;;direct;Đỗ Văn H`,
  `E2E-008;${PROCEDURE};06/03/2025;13/03/2025;21/03/2025;;online;Bùi Thị K`,
  // pending at the end of March: one still within its due date, one overdue
  `E2E-009;${PROCEDURE};24/03/2025;07/04/2025;;;direct;Ngô Văn L`,
  `E2E-010;${PROCEDURE};06/03/2025;20/03/2025;;;direct;Đặng Thị M`,
].join('\r\n');

/** The dossier row of the national form (Biểu II.06a), columns (1)–(13), as the report must show it. */
const EXPECTED_ROW: Record<string, string> = {
  'dossiers.received': '10',
  'dossiers.carriedOver': '0',
  'dossiers.newlyReceivedOnline': '3',
  'dossiers.newlyReceivedDirect': '6',
  'dossiers.newlyReceivedPostal': '1',
  'dossiers.resolved': '8',
  'dossiers.early': '4',
  'dossiers.onTime': '2',
  'dossiers.late': '2',
  'dossiers.pending': '2',
  'dossiers.pendingOnTrack': '1',
  'dossiers.pendingOverdue': '1',
  'dossiers.onTimeRate': '75 %',
};

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

async function figures(page: Page): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const el of await page.locator('[data-figure]').all()) {
    out[(await el.getAttribute('data-figure'))!] = squash(await el.innerText()).replace(/\u00a0/g, ' ');
  }
  return out;
}

describe('dossier import to a printed compliance report', { timeout: 300_000 }, () => {
  it('4. imports a dossier file, opens the procedure’s compliance report and prints it to PDF with the motto and the figures', async () => {
    const page = await newPage(e2e);
    await signInWithKeyboard(e2e, page, 'thuky');

    await page.locator('nav').getByRole('link', { name: 'Hồ sơ TTHC' }).click();
    await expectAccessible(page, 'dossiers overview');
    await page.getByRole('link', { name: 'Nhập hồ sơ từ tệp' }).first().click();
    await expectAccessible(page, 'dossier import form');
    await page.getByLabel('Tệp hồ sơ').setInputFiles({ name: 'ho-so-thang-3-2025.csv', mimeType: 'text/csv', buffer: Buffer.from(`\ufeff${CSV}\r\n`, 'utf8') });
    await page.getByRole('button', { name: 'Nhập', exact: true }).click();
    expect(await flashText(page)).toBe('Đã nhập ho-so-thang-3-2025.csv: 10 dòng — thêm 10, cập nhật 0, không đổi 0.');
    await expectAccessible(page, 'after the dossier import');
    const stored = await e2e.ctx.db
      .selectFrom('dossiers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('code', 'like', 'E2E-%')
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(10);

    // Reports → the compliance report of one procedure, for March 2025.
    await page.locator('nav').getByRole('link', { name: 'Báo cáo', exact: true }).click();
    await expectAccessible(page, 'reports index');
    await page.getByLabel('Mã quy trình').fill(PROCEDURE);
    await page.getByLabel('Từ ngày').fill(FROM);
    await page.getByLabel('Đến ngày').fill(TO);
    await page.getByRole('button', { name: 'Xem báo cáo' }).click();
    expect(new URL(page.url()).pathname).toBe(`/reports/procedures/${PROCEDURE}`);
    await expect(page.locator('.doc-period').innerText()).resolves.toContain('01/03/2025');
    const onScreen = await figures(page);
    for (const [key, value] of Object.entries(EXPECTED_ROW)) expect(onScreen[key], key).toBe(value);
    await expectAccessible(page, 'compliance report (screen)');
    await screenshot(page, 'journey4-report-screen');

    // Print preview: only the document shows, with the letterhead and the motto.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nav.sidenav').isVisible()).toBe(false);
    expect(await page.locator('.period-picker').isVisible()).toBe(false);
    expect(await page.locator('.page-head').isVisible()).toBe(false);
    const motto = page.locator('.doc-header .motto-nation');
    expect(await motto.isVisible()).toBe(true);
    expect(await motto.innerText()).toBe('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(await page.locator('.doc-header .motto').innerText()).toBe('Độc lập - Tự do - Hạnh phúc');
    const fontFamily = await page.locator('.doc-page').evaluate((el) => getComputedStyle(el).fontFamily);
    expect(fontFamily).toMatch(/Times New Roman/);
    await screenshot(page, 'journey4-report-print-preview');

    const pdf = await page.pdf({ format: 'A4', printBackground: false });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
    const pages = pdfPageCount(pdf);
    expect(pages).toBeGreaterThanOrEqual(1);
    const text = squash(pdfText(pdf).join('\n'));
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(text).toContain(`${PROCEDURE}`);
    expect(text).toContain('từ ngày 01/03/2025 đến ngày 31/03/2025');
    // The thirteen figures of the dossier row, in the order of the form's columns, as printed.
    expect(text).toContain(Object.values(EXPECTED_ROW).join(' '));
    // The organisation's names come from its settings, not from the code.
    const org = await e2e.ctx.db.selectFrom('organisation').select(['name']).executeTakeFirstOrThrow();
    expect(text).toContain(org.name.toUpperCase());
    await page.emulateMedia({ media: 'screen' });
  });
});

// Callbacks given to page.evaluate run in the browser; the project's tsconfig has no DOM lib.
declare function getComputedStyle(el: unknown): { fontFamily: string };

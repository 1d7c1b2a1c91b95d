import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type SignedIn, type TestApp } from '../support/app';
import { buildScenario, procedure, run } from '../reports/fixtures';
import { expectAdministrative, getDocx, headerRows, tableRows } from './docx';

/**
 * The summary of all procedures as a Word file, on the fixtures of test/reports/summary.test.ts: three procedures,
 * totals computed by hand there — received 8 + 0 + 1 = 9, resolved 4 + 0 + 1 = 5 (early 1 + 1 = 2, on time 2,
 * late 1) → rate 4/5 = 80 %, pending 4 (overdue 2), NCs open at the end 2, overdue actions 2; one procedure of each
 * status. Every row of the Word table equals the row of the printed page, cell by cell.
 */
let t: TestApp;
let quality: SignedIn;
const PERIOD = 'from=2026-01-01&to=2026-03-31';

beforeAll(async () => {
  t = await createTestApp();
  await buildScenario(t);
  await run(
    t,
    `update organisation set name = ?, parent_agency = ?, place_name = ?, report_number_suffix = ?, signer_title = ?, signer_name = ?, recipients = ?`,
    'Phòng Nội vụ',
    'UBND huyện Hải Hậu',
    'Hải Hậu',
    'PNV',
    'TRƯỞNG PHÒNG',
    'Phạm Văn Minh',
    'UBND huyện;\nLưu: VT.',
  );
  quality = await t.signIn('quality_officer');
});
afterAll(async () => t.close());

const strip = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\u00a0/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** The printed page's rows: code → the cells' texts. */
function printedRows(html: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of html.matchAll(/<tr data-code="([^"]+)">([\s\S]*?)<\/tr>/g))
    out.set(
      m[1],
      [...m[2].matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((c) => strip(c[1])),
    );
  return out;
}

describe('GET /reports/summary.docx', () => {
  it('is the administrative document, in landscape, with every row and the totals of the printed page', async () => {
    const d = await getDocx(quality, `/reports/summary.docx?${PERIOD}`);
    expectAdministrative(d, { number: 'Số: ……/BC-PNV', signerTitles: ['TRƯỞNG PHÒNG'], signerName: 'Phạm Văn Minh', recipients: ['UBND huyện', 'Lưu: VT'] });
    expect(d.xml).toMatch(/<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"\/>/);
    expect(d.disposition).toContain('filename="tong-hop-tuan-thu-2026-01-01-2026-03-31.docx"');
    expect(d.lines).toContain('Tổng hợp kết quả đánh giá sự tuân thủ các quy trình');
    expect(d.lines).toContain('✓ Phù hợp: 1; ! Cần chú ý: 1; ✗ Không phù hợp: 1');

    const printed = printedRows((await quality.get(`/reports/summary/print?${PERIOD}`)).text);
    const rows = tableRows(d.xml);
    for (const code of ['QT-TEST-01', 'QT-TEST-02', 'QT-TEST-03']) expect(rows, code).toContainEqual(printed.get(code));
    // The totals line, by hand: 9, 5, 2, 2, 1, 80 %, 4, 2, 2, 2.
    expect(rows).toContainEqual(['Tổng cộng (tất cả 3 quy trình)', '', '9', '5', '2', '2', '1', '80 %', '4', '2', '2', '2', '', '']);
    expect(printed.get('TOTAL')).toEqual(['Tổng cộng (tất cả 3 quy trình)', '', '9', '5', '2', '2', '1', '80 %', '4', '2', '2', '2', '', '']);
    const row1 = rows.find((r) => r[1] === 'QT-TEST-01')!;
    expect(row1.slice(4, 15)).toEqual(['! Cần chú ý', '8', '4', '1', '2', '1', '75 %', '4', '2', '1', '2']);
    expect(headerRows(d.xml)[0]).toEqual(expect.arrayContaining(['STT', 'Mã quy trình', 'Tỷ lệ đúng hạn', 'Lần đánh giá nội bộ gần nhất']));
  });

  it('keeps the filters of the page (status) and links the Word file from the page and its print', async () => {
    const d = await getDocx(quality, `/reports/summary.docx?${PERIOD}&status=compliant`);
    const codes = tableRows(d.xml).map((r) => r[1]);
    expect(codes).toContain('QT-TEST-03');
    expect(codes).not.toContain('QT-TEST-01');
    expect((await quality.get(`/reports/summary?${PERIOD}`)).text).toContain('href="/reports/summary.docx?from&#x3D;2026-01-01&amp;to&#x3D;2026-03-31"');
    expect((await quality.get(`/reports/summary/print?${PERIOD}`)).text).toContain('Tải bản Word (.docx)');
  });

  it('lists every one of 45 procedures, none cut to a page', async () => {
    for (let i = 1; i <= 42; i++) await procedure(t, `QT-MANY-${String(i).padStart(2, '0')}`);
    const rows = tableRows((await getDocx(quality, `/reports/summary.docx?${PERIOD}`)).xml).filter((r) => /^QT-/.test(r[1] ?? ''));
    expect(rows).toHaveLength(45);
    expect(rows.map((r) => r[0])).toEqual(Array.from({ length: 45 }, (_, i) => String(i + 1)));
  });

  it('answers a bad period 400 in plain text, and staff 403', async () => {
    const bad = await quality.get('/reports/summary.docx?from=2026-04-01&to=2026-03-01');
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/text\/plain/);
    expect((await (await t.signIn('staff')).get(`/reports/summary.docx?${PERIOD}`)).status).toBe(403);
  });
});

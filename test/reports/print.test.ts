import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createTestApp, type SignedIn, type TestApp } from '../support/app';
import { buildScenario, run } from './fixtures';

/**
 * The printed reports follow PRINT-FORMAT.md: national motto, agency block with "Số: …/BC-<suffix>", the place-and-date
 * line, title and summary, recipients and signature block — all from the organisation's settings, none hard-coded.
 */
let t: TestApp;
let leader: SignedIn;

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
    'KT. TRƯỞNG PHÒNG\nPHÓ TRƯỞNG PHÒNG',
    'Ngô Thị Hoa',
    'UBND huyện (để b/c);\nBan chỉ đạo ISO;\nLưu: VT, ISO.',
  );
  t.clock.set('2026-03-05T03:00:00Z');
  leader = await t.signIn('leader');
});
afterAll(async () => t.close());

const between = (html: string, open: string, close: string) => {
  const start = html.indexOf(open);
  expect(start, open).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf(close, start) + close.length);
};

function expectAdministrativeDocument(html: string) {
  const header = between(html, '<header class="doc-header">', '</header>');
  expect(header).toContain('<div class="agency-parent">UBND huyện Hải Hậu</div>');
  expect(header).toContain('<div class="agency-name">Phòng Nội vụ</div>');
  expect(header).toContain('<div class="number">Số: ……/BC-PNV</div>');
  expect(header).toContain('<div class="motto-nation">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</div>');
  expect(header).toContain('<div class="motto">Độc lập - Tự do - Hạnh phúc</div>');
  expect(header).toContain('<div class="place-date">Hải Hậu, ngày 05 tháng 3 năm 2026</div>');
  expect(html).toContain('<h1 class="doc-title" id="doc-title">BÁO CÁO</h1>');
  const signatures = between(html, '<section class="doc-signatures"', '</section>');
  expect(signatures).toContain('<p class="recipients-title">Nơi nhận:</p>');
  expect(signatures).toContain('<li>- UBND huyện (để b/c);</li>');
  expect(signatures).toContain('<li>- Ban chỉ đạo ISO;</li>');
  expect(signatures).toContain('<li>- Lưu: VT, ISO.</li>');
  // one line of the signer's title a paragraph (issue 25): "KT. TRƯỞNG PHÒNG" over "PHÓ TRƯỞNG PHÒNG"
  expect(signatures).toContain('<p class="signer-title">KT. TRƯỞNG PHÒNG</p><p class="signer-title">PHÓ TRƯỞNG PHÒNG</p>');
  expect(signatures).toContain('<p class="signer-name">Ngô Thị Hoa</p>');
  expect(html).not.toContain('Nghĩa Hưng');
  expect(html).toContain('<link rel="stylesheet" href="/static/print.css" media="print">');
  expect(html).toMatch(/<nav class="period-picker no-print"|<div class="page-head no-print">/);
}

describe('printed reports', () => {
  it('the procedure report is an administrative document built from the settings', async () => {
    const res = await leader.get('/reports/procedures/QT-TEST-01?from=2026-01-01&to=2026-03-05');
    expect(res.status).toBe(200);
    expectAdministrativeDocument(res.text);
    expect(res.text).toContain('<p class="doc-summary">Đánh giá sự tuân thủ quy trình QT-TEST-01 - Quy trình QT-TEST-01</p>');
  });

  it('the summary and the annual report carry the same letterhead and signature block', async () => {
    expectAdministrativeDocument((await leader.get('/reports/summary?from=2026-01-01&to=2026-03-05')).text);
    expectAdministrativeDocument((await leader.get('/reports/annual/2026')).text);
  });

  it('print.css sets A4 portrait, the margins, Times New Roman and hides the screen furniture', () => {
    const css = readFileSync(new URL('../../views/public/print.css', import.meta.url), 'utf8');
    expect(css).toContain('@page { size: A4 portrait; margin: 20mm 15mm 20mm 30mm; }');
    expect(css).toMatch(/body \{ font-family:[^;]*"Times New Roman"/);
    expect(css).toMatch(/\.no-print[^{]*\{ display: none !important; \}/);
    expect(css).toContain('thead { display: table-header-group; }');
  });

  it('the charts carry a title, a description and a data table, and print without colour alone (patterns and labels)', async () => {
    const html = (await leader.get('/reports/procedures/QT-TEST-01?from=2026-01-01&to=2026-03-05')).text;
    const figure = between(html, '<figure class="chart-figure">', '</figure>');
    expect(figure).toMatch(/<svg class="chart"[^>]*role="img" aria-labelledby="chart-on-time-title chart-on-time-desc"/);
    expect(figure).toContain('<title id="chart-on-time-title">Tỷ lệ giải quyết hồ sơ đúng hạn theo tháng</title>');
    expect(figure).toMatch(/<desc id="chart-on-time-desc">Biểu đồ cột, 3 tháng;/);
    expect(figure).toContain('fill="url(#chart-on-time-hatch)"'); // January 2/3 < 90 %: hatched
    expect(figure).toContain('>66,67\u00a0%</text>');
    expect(figure).toContain('<caption>Số liệu của biểu đồ</caption>');
    expect(figure).toContain('<tr><th scope="row">01/2026</th><td class="num">66,67\u00a0%</td><td class="num">3</td>');
    expect(figure).not.toMatch(/style=|<script/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type SignedIn, type TestApp } from '../support/app';
import { buildScenario, dossier, run } from '../reports/fixtures';
import { expectAdministrative, getDocx, tableRows } from './docx';

/**
 * The annual QMS report as a Word file, on the fixtures of test/reports/annual.test.ts (today 2026-11-26, figures
 * 2026-01-01..2026-11-26), whose figures that test computes by hand: procedures 3 (full 1, partial 1, none 1,
 * internal 0); documents issued 1, revised 1, withdrawn 0, in force 2; audits held 1 (internal 1, external 0), major 0,
 * minor 1, observation 1, OFI 1; NCs raised 5, closed 2, open 4, overdue actions 2 (corrective 2, other 0), awaiting 0;
 * dossiers received 10 = carried over 2 + new 8 (online 3, direct 4, postal 1), resolved 7 (early 4, on time 2,
 * late 1), pending 3 (on track 0, overdue 3), rate 6/7 = 85,71 %. The draft carries DỰ THẢO; the issued report its
 * frozen figures and letterhead, and the e-signature, after the data and the settings change.
 */
let t: TestApp;
let quality: SignedIn;
let leader: SignedIn;
const SIGNER = { signerTitles: ['TRƯỞNG PHÒNG'], signerName: 'Phạm Văn Minh', recipients: ['Lưu: VT'] };

beforeAll(async () => {
  t = await createTestApp();
  await buildScenario(t);
  quality = await t.signIn('quality_officer');
  leader = await t.signIn('leader');
});
afterAll(async () => t.close());

function expectFigures(rows: string[][], lines: string[]) {
  expect(rows).toContainEqual(['3', '1', '1', '1', '0']);
  expect(rows).toContainEqual(['1', '1', '0', '2']);
  expect(rows).toContainEqual(['1', '1', '0', '0', '1', '1', '1']);
  expect(rows).toContainEqual(['5', '2', '4', '2']);
  expect(rows).toContainEqual(['2', '0', '0']);
  // Biểu II.06a: (1)…(13).
  expect(rows).toContainEqual(['10', '2', '3', '4', '1', '7', '4', '2', '1', '3', '0', '3', '85,71 %']);
  expect(lines).toContain('Tổng số hồ sơ mới tiếp nhận trong kỳ: 8.');
  expect(lines).toContain('(Kỳ báo cáo: từ ngày 01/01/2026 đến ngày 26/11/2026)');
}

describe('GET /reports/annual/:year.docx', () => {
  it('a year without a draft: the live figures, marked as a draft, with dots for the number', async () => {
    const d = await getDocx(quality, '/reports/annual/2026.docx');
    expectAdministrative(d, { number: 'Số: ……/BC-LĐTBXH', ...SIGNER });
    expect(d.disposition).toContain('filename="bao-cao-nam-2026.docx"');
    expect(d.lines).toContain('DỰ THẢO');
    expect(d.lines).toContain('Nghĩa Hưng, ngày 26 tháng 11 năm 2026');
    expect(d.lines).toContain('Tình hình áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015 năm 2026');
    expectFigures(tableRows(d.xml), d.lines);
    expect((await quality.get('/reports/annual/2026')).text).toContain('href="/reports/annual/2026.docx"');
  });

  it('the issued report: its number, narratives, frozen figures and letterhead, and the e-signature', async () => {
    const body = {
      narrative_procedures: 'Áp dụng 3 quy trình.',
      narrative_conclusion: 'Hệ thống vận hành hiệu lực.\nKiến nghị: tiếp tục duy trì.',
      number_text: '215/BC-LĐTBXH',
    };
    expect((await quality.post('/reports/annual/2026', body)).status).toBe(303);
    expect((await leader.post('/reports/annual/2026/issue', { password: TEST_PASSWORD, version: '1' })).status).toBe(303);
    // The data and the settings change after issuing: the Word file, like the print, keeps what was signed.
    const p = (await t.ctx.db.selectFrom('procedures').select('id').where('code', '=', 'QT-TEST-03').executeTakeFirstOrThrow()).id;
    await dossier(t, p, 'D-LATE', { received: '2026-06-01', due: '2026-06-10', returned: '2026-06-09' });
    await run(t, `update organisation set place_name = 'Hải Hậu', signer_name = 'Người khác'`);
    const d = await getDocx(leader, '/reports/annual/2026.docx');
    expectAdministrative(d, { number: 'Số: 215/BC-LĐTBXH', ...SIGNER });
    expect(d.lines).not.toContain('DỰ THẢO');
    expect(d.lines).toContain('Nghĩa Hưng, ngày 26 tháng 11 năm 2026');
    expect(d.lines).toContain('Đã ký điện tử: Người dùng leader, 26/11/2026 09:00');
    expect(d.lines).toContain('Áp dụng 3 quy trình.');
    expect(d.lines).toContain('Hệ thống vận hành hiệu lực.');
    expect(d.lines).toContain('Kiến nghị: tiếp tục duy trì.');
    expectFigures(tableRows(d.xml), d.lines);
    // The draft of another year follows the live settings.
    expect((await getDocx(leader, '/reports/annual/2025.docx')).lines).toContain('Hải Hậu, ngày 26 tháng 11 năm 2026');
  });

  it('is for readers: staff 403, a year out of range 404', async () => {
    expect((await (await t.signIn('staff')).get('/reports/annual/2026.docx')).status).toBe(403);
    expect((await quality.get('/reports/annual/2099.docx')).status).toBe(404);
    expect((await quality.get('/reports/annual/abcd.docx')).status).toBe(404);
  });
});

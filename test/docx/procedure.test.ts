import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type SignedIn, type TestApp } from '../support/app';
import { buildScenario, run } from '../reports/fixtures';
import { expectAdministrative, getDocx, headerRows, tableRows } from './docx';

/**
 * The compliance report of one procedure as a Word file, on the fixtures of test/reports/procedure-report.test.ts
 * (QT-TEST-01, 2026-01-01..2026-03-31), whose figures that test computes by hand: dossiers carried over 2, new 6
 * (online 2, direct 3, postal 1), received 8, resolved 4 = early 1 + on time 2 + late 1, pending 4 = on track 2 +
 * overdue 2, rate 75 %; audits 1 (minor 1, observation 1, OFI 1, last 10/02/2026); NCs raised 3, open 1 (minor),
 * closed 2, overdue actions 2. Each figure is compared with the report's JSON and the HTML page.
 */
let t: TestApp;
let leader: SignedIn;
const PERIOD = 'from=2026-01-01&to=2026-03-31';
const PATH = `/reports/procedures/QT-TEST-01.docx?${PERIOD}`;

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
  t.clock.set('2026-04-06T03:00:00Z');
  leader = await t.signIn('leader');
});
afterAll(async () => t.close());

const SIGNER = {
  signerTitles: ['KT. TRƯỞNG PHÒNG', 'PHÓ TRƯỞNG PHÒNG'],
  signerName: 'Ngô Thị Hoa',
  recipients: ['UBND huyện (để b/c)', 'Ban chỉ đạo ISO', 'Lưu: VT, ISO'],
};

describe('GET /reports/procedures/:code.docx', () => {
  it('is the administrative document with the letterhead and signer of the settings', async () => {
    const d = await getDocx(leader, PATH);
    expectAdministrative(d, { number: 'Số: ……/BC-PNV', ...SIGNER });
    expect(d.disposition).toContain('filename="bao-cao-QT-TEST-01-2026-01-01-2026-03-31.docx"');
    expect(d.lines).toContain('UBND HUYỆN HẢI HẬU');
    expect(d.lines).toContain('PHÒNG NỘI VỤ');
    expect(d.lines).toContain('Hải Hậu, ngày 06 tháng 4 năm 2026');
    expect(d.lines).toContain('BÁO CÁO');
    expect(d.lines).toContain('Đánh giá sự tuân thủ quy trình QT-TEST-01 - Quy trình QT-TEST-01');
    expect(d.lines).toContain('(Kỳ báo cáo: từ ngày 01/01/2026 đến ngày 31/03/2026)');
  });

  it('carries every figure of the report, equal to the JSON', async () => {
    const json = (await leader.get(`/reports/procedures/QT-TEST-01.json?${PERIOD}`)).body;
    const d = await getDocx(leader, PATH);
    const rows = tableRows(d.xml);
    const dz = json.dossiers;
    // Biểu II.06a: (1) received … (12) pending overdue, (13) rate.
    expect([
      dz.received,
      dz.carriedOver,
      dz.newlyReceivedOnline,
      dz.newlyReceivedDirect,
      dz.newlyReceivedPostal,
      dz.resolved,
      dz.early,
      dz.onTime,
      dz.late,
      dz.pending,
      dz.pendingOnTrack,
      dz.pendingOverdue,
    ]).toEqual([8, 2, 2, 3, 1, 4, 1, 2, 1, 4, 2, 2]);
    expect(rows).toContainEqual(['8', '2', '2', '3', '1', '4', '1', '2', '1', '4', '2', '2', '75 %']);
    expect(d.lines).toContain('Tổng số hồ sơ mới tiếp nhận trong kỳ: 6.');
    const a = json.audits;
    expect(rows).toContainEqual([String(a.count), String(a.majorNc), String(a.minorNc), String(a.observation), String(a.ofi), '10/02/2026']);
    expect(rows).toContainEqual(['1', '0', '1', '1', '1', '10/02/2026']);
    const nc = json.nonconformities;
    expect(rows).toContainEqual([String(nc.raised), String(nc.openAtEnd), '0', '1', String(nc.closed), String(nc.awaitingTriage)]);
    expect([nc.raised, nc.openAtEnd, nc.closed]).toEqual([3, 1, 2]);
    expect(rows).toContainEqual([String(nc.overdueActions), String(nc.overdueCorrectiveActions), String(nc.overdueOtherActions)]);
    expect(nc.overdueActions).toBe(2);
    // The document section and the facts.
    expect(rows).toContainEqual(['Mã hiệu tài liệu', 'TL-QT-01']);
    expect(rows).toContainEqual(['Lần ban hành', '2']);
    expect(rows).toContainEqual(['Ngày hiệu lực', '15/02/2026']);
    expect(rows).toContainEqual(['Hạn xem xét định kỳ', '15/03/2026']);
    expect(rows).toContainEqual(['Mục tiêu tỷ lệ đúng hạn', '90 %']);
    // Every check with its detail, and the conclusion.
    for (const c of json.checks) expect(d.text).toContain(c.detail);
    const html = (await leader.get(`/reports/procedures/QT-TEST-01?${PERIOD}`)).text;
    const statusLabel = /data-status="attention">! ([^<]+)<\/span>/.exec(html)![1];
    expect(d.lines).toContain(`Kết luận: ! ${statusLabel}`);
    expect(html).toContain('href="/reports/procedures/QT-TEST-01.docx?from&#x3D;2026-01-01&amp;to&#x3D;2026-03-31"');
    expect(html).toContain('Tải bản Word (.docx)');
  });

  it('repeats the table headers on each page, keeps rows whole, and numbers pages from page 2', async () => {
    const d = await getDocx(leader, PATH);
    // The four header rows of Biểu II.06a repeat, with the audits' and the NCs' headers.
    const headers = headerRows(d.xml);
    expect(headers).toContainEqual(['Số hồ sơ nhận giải quyết', 'Số hồ sơ đã giải quyết', 'Số hồ sơ đang giải quyết', 'Tỷ lệ đúng hạn']);
    expect(headers).toContainEqual(['(1)', '(2)', '(3)', '(4)', '(5)', '(6)', '(7)', '(8)', '(9)', '(10)', '(11)', '(12)', '(13)']);
    expect(headers).toContainEqual([
      'Số cuộc đánh giá nội bộ',
      'Điểm không phù hợp nặng',
      'Điểm không phù hợp nhẹ',
      'Điểm lưu ý',
      'Cơ hội cải tiến',
      'Lần đánh giá nội bộ gần nhất',
    ]);
    expect(d.xml).toMatch(/<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"\/>/);
    // The page number field lives in the default header; the first page's header is empty.
    const zipHeaders = d.xml.match(/<w:headerReference w:type="(default|first)"/g);
    expect(zipHeaders).toHaveLength(2);
  });

  it('answers a bad period as the other formats do (400, plain text), an unknown procedure 404, staff 403, and asks a stranger to sign in', async () => {
    const bad = await leader.get('/reports/procedures/QT-TEST-01.docx?from=2026-04-01&to=2026-03-31');
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/text\/plain/);
    expect((await leader.get('/reports/procedures/QT-TEST-01.docx?from=2026-13-01&to=2026-03-31')).status).toBe(400);
    expect((await leader.get(`/reports/procedures/QT-NOPE.docx?${PERIOD}`)).status).toBe(404);
    const staff = await t.signIn('staff');
    expect((await staff.get(PATH)).status).toBe(403);
    const stranger = await request(t.app).get(PATH);
    expect([302, 303, 401]).toContain(stranger.status);
  });
});

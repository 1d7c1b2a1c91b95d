import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rows, type SignedIn, type TestApp } from '../support/app';
import { addOrganisation } from '../support/orgs';
import { addProcedure, auditForm, fixture, idFromLocation, type Fixture } from '../audits/support';
import { expectAdministrative, getDocx, tableRows } from './docx';

/**
 * The internal audit report as a Word file (the audit of test/audits/findings.test.ts): four questions (QT-A-01 and
 * QT-A-02 × 7.5.3 and 8.5.1); the first a minor NC (PH-01, raising NC-2026-001), the third an OFI (PH-02), the others
 * conform → grades: major 0, minor 1, observation 0, OFI 1. Issued by the lead auditor on 26/11/2026.
 */
let t: TestApp;
let f: Fixture;
let qo: SignedIn;
let auditId: number;
let otherAudit: number;
type Item = { id: number; procedure_id: number | null; clause: string | null };

const version = async () => String((await rows<{ version: number }>(t, 'select version from audits where id = ?', auditId))[0].version);

beforeAll(async () => {
  t = await createTestApp();
  f = await fixture(t);
  qo = await t.signIn('auditor');
  auditId = idFromLocation((await qo.post('/audits', auditForm(f))).headers.location);
  await qo.post(`/audits/${auditId}/checklist/generate`);
  await qo.post(`/audits/${auditId}/start`, { actual_start: '2026-11-24', version: '1' });
  const items = await rows<Item>(t, 'select id, procedure_id, clause from audit_checklist_items where audit_id = ? order by position', auditId);
  const results: Record<string, string>[] = [
    { result: 'minor_nc', statement: 'Thiếu phiếu kiểm soát', evidence: 'Hồ sơ số 12/2026' },
    { result: 'conform', evidence: 'Đã xem hồ sơ' },
    { result: 'ofi', statement: 'Nên số hóa sổ theo dõi', evidence: 'Sổ theo dõi giấy' },
    { result: 'conform', evidence: 'Đã xem hồ sơ' },
  ];
  for (const [i, item] of items.entries()) {
    const res = await qo.post(`/audits/${auditId}/checklist/${item.id}`, {
      question: 'Câu hỏi',
      clause: item.clause ?? '',
      procedure_id: String(item.procedure_id),
      version: '1',
      ...results[i],
    });
    expect(res.status).toBe(303);
  }
  const b = await addOrganisation(t, 'SOB');
  const bProcedure = await addProcedure({ ...t, ctx: b.ctx }, 'QT-SOB-01', null);
  const qoB = await t.signIn(b.usernames.quality_officer);
  const created = await qoB.post('/audits', {
    ...auditForm(f),
    procedure_ids: [String(bProcedure)],
    lead_auditor_id: String(b.users.quality_officer),
    title: 'Đánh giá của B',
  });
  expect(created.status).toBe(303);
  otherAudit = idFromLocation(created.headers.location);
});
afterAll(async () => t.close());

describe('GET /audits/:id/report.docx', () => {
  it('a draft: marked DỰ THẢO, with every section and finding', async () => {
    const d = await getDocx(qo, `/audits/${auditId}/report.docx`);
    expectAdministrative(d, { number: 'Số: ……/BC-LĐTBXH', signerTitles: ['TRƯỞNG PHÒNG'], signerName: 'Phạm Văn Minh', recipients: ['Lưu: VT'] });
    expect(d.lines).toContain('DỰ THẢO — báo cáo chưa được ban hành');
    expect(d.disposition).toContain('filename="bao-cao-danh-gia-DGNB-2026-01.docx"');
    expect(d.lines).toContain('Kết quả đánh giá ĐGNB-2026-01: Đánh giá nội bộ quy trình bảo trợ xã hội');
    const rows = tableRows(d.xml);
    expect(rows).toContainEqual(['Điểm không phù hợp nặng', 'Điểm không phù hợp nhẹ', expect.any(String), 'Cơ hội cải tiến']);
    expect(rows).toContainEqual(['0', '1', '0', '1']);
    expect(rows).toContainEqual(['PH-01', 'Điểm không phù hợp nhẹ', 'QT-A-01 / 7.5.3', 'Thiếu phiếu kiểm soát', 'Hồ sơ số 12/2026', 'NC-2026-001']);
    expect(rows).toContainEqual(['PH-02', 'Cơ hội cải tiến', 'QT-A-02 / 7.5.3', 'Nên số hóa sổ theo dõi', 'Sổ theo dõi giấy', '']);
    expect(d.text).toContain('TCVN ISO 9001:2015: 7.5.3 Kiểm soát thông tin dạng văn bản; 8.5.1');
    expect(d.text).toContain('Trưởng đoàn đánh giá: Chuyên gia auditor.');
    // The lead auditor signs bottom left, not yet signed.
    expect(d.lines).toContain('TRƯỞNG ĐOÀN ĐÁNH GIÁ');
    expect(d.text).not.toContain('Đã ký điện tử');
    expect((await qo.get(`/audits/${auditId}/report`)).text).toContain(`href="/audits/${auditId}/report.docx"`);
  });

  it('issued: the conclusion, the actual dates and the lead auditor’s e-signature, no draft mark', async () => {
    await qo.post(`/audits/${auditId}/conclusion`, { conclusion: 'Hệ thống phù hợp.\nCòn 01 điểm không phù hợp nhẹ.', version: await version() });
    const issued = await qo.post(`/audits/${auditId}/issue`, { password: 'correct horse battery', actual_end: '2026-11-26', version: await version() });
    expect(issued.status).toBe(303);
    const d = await getDocx(qo, `/audits/${auditId}/report.docx`);
    expect(d.lines).not.toContain('DỰ THẢO — báo cáo chưa được ban hành');
    expect(d.lines).toContain('Hệ thống phù hợp.');
    expect(d.lines).toContain('Còn 01 điểm không phù hợp nhẹ.');
    expect(d.text).toContain('Thời gian thực hiện: 24/11/2026 – 26/11/2026.');
    expect(d.lines).toContain('Đã ký điện tử lúc 26/11/2026 09:00');
    expect(d.lines).toContain('Nghĩa Hưng, ngày 26 tháng 11 năm 2026');
  });

  it('is for readers of this organisation: staff 403, signed out to the login, a missing or another organisation’s audit 404', async () => {
    expect((await (await t.signIn('staff')).get(`/audits/${auditId}/report.docx`)).status).toBe(403);
    expect([302, 303, 401]).toContain((await request(t.app).get(`/audits/${auditId}/report.docx`)).status);
    expect((await qo.get('/audits/999999/report.docx')).status).toBe(404);
    expect((await qo.get(`/audits/${otherAudit}/report.docx`)).status).toBe(404);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, rows, run, type SignedIn, type TestApp } from '../support/app';
import { auditForm, auditLog, fixture, idFromLocation, type Fixture } from './support';

/** Checklist, findings and the nonconformities they raise; the report; the closing gate; follow-up audits. */
let t: TestApp;
let f: Fixture;
let qo: SignedIn;
let auditId: number;

type Item = { id: number; procedure_id: number | null; clause: string | null; version: number };
const auditVersion = async (id = auditId) => String((await rows<{ version: number }>(t, 'select version from audits where id = ?', id))[0].version);
const items = async (): Promise<Item[]> =>
  await rows<Item>(t, 'select id, procedure_id, clause, version from audit_checklist_items where audit_id = ? order by position', auditId);

async function startedAudit(): Promise<void> {
  auditId = idFromLocation((await qo.post('/audits', auditForm(f))).headers.location);
  expect((await qo.post(`/audits/${auditId}/checklist/generate`)).status).toBe(303);
  expect((await qo.post(`/audits/${auditId}/start`, { actual_start: '2026-11-24', version: '1' })).status).toBe(303);
}

const save = async (item: Item, fields: Record<string, string>) =>
  qo.post(`/audits/${auditId}/checklist/${item.id}`, {
    question: 'Câu hỏi',
    clause: item.clause ?? '',
    procedure_id: item.procedure_id ? String(item.procedure_id) : '',
    version: String((await rows<{ version: number }>(t, 'select version from audit_checklist_items where id = ?', item.id))[0].version),
    ...fields,
  });

beforeEach(async () => {
  t = await createTestApp();
  f = await fixture(t);
  qo = await t.signIn('auditor');
});
afterEach(async () => t.close());

describe('the checklist', () => {
  it('is generated from the scope, one question per procedure × clause, and generating again adds nothing', async () => {
    auditId = idFromLocation((await qo.post('/audits', auditForm(f))).headers.location);
    const res = await qo.post(`/audits/${auditId}/checklist/generate`);
    expect(res.status).toBe(303);
    expect(
      await rows(t, 'select p.code, i.clause, i.question from audit_checklist_items i join procedures p on p.id = i.procedure_id order by i.position'),
    ).toEqual([
      {
        code: 'QT-A-01',
        clause: '7.5.3',
        question: 'Quy trình QT-A-01 — điều khoản 7.5.3 (Kiểm soát thông tin dạng văn bản): yêu cầu được đáp ứng như thế nào? Bằng chứng là gì?',
      },
      { code: 'QT-A-01', clause: '8.5.1', question: expect.stringContaining('QT-A-01 — điều khoản 8.5.1') },
      { code: 'QT-A-02', clause: '7.5.3', question: expect.stringContaining('QT-A-02 — điều khoản 7.5.3') },
      { code: 'QT-A-02', clause: '8.5.1', question: expect.stringContaining('QT-A-02 — điều khoản 8.5.1') },
    ]);
    await qo.post(`/audits/${auditId}/checklist/generate`);
    expect(await items()).toHaveLength(4);
    expect((await auditLog(t, 'audit', auditId)).map((e) => e.action)).toEqual(['create', 'checklist_generate']);
    const page = await qo.get(`/audits/${auditId}/checklist`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Đã đánh giá 0/4 câu hỏi.');
  });

  it('takes hand-written questions, edits questions while planned, and refuses results before fieldwork', async () => {
    auditId = idFromLocation((await qo.post('/audits', auditForm(f))).headers.location);
    expect(
      (await qo.post(`/audits/${auditId}/checklist/items`, { question: 'Hồ sơ có đủ thành phần không?', procedure_id: String(f.p2), clause: '8.5.1' })).status,
    ).toBe(303);
    const outside = await qo.post(`/audits/${auditId}/checklist/items`, { question: 'Ngoài phạm vi', procedure_id: String(f.p3) });
    expect(outside.status).toBe(422);
    expect(outside.text).toContain('Quy trình không thuộc phạm vi cuộc đánh giá.');
    expect((await qo.post(`/audits/${auditId}/checklist/items`, { question: '' })).status).toBe(422);
    const [item] = await items();
    expect((await save(item, { question: 'Hồ sơ có đủ thành phần theo quy định không?' })).status).toBe(303);
    expect(await rows(t, 'select question, result from audit_checklist_items')).toEqual([
      { question: 'Hồ sơ có đủ thành phần theo quy định không?', result: null },
    ]);
    const early = await save(item, { result: 'conform' });
    expect(early.status).toBe(422);
    expect(early.text).toContain('Hãy bắt đầu cuộc đánh giá trước khi ghi kết quả.');
    expect((await save(item, { procedure_id: String(f.p3) })).status).toBe(422);
    expect((await auditLog(t, 'audit_checklist_item', item.id)).map((e) => e.action)).toEqual(['update']);
    expect((await auditLog(t, 'audit', auditId)).map((e) => e.action)).toEqual(['create', 'checklist_add']);
  });
});

describe('findings and the nonconformities they raise', () => {
  beforeEach(startedAudit);

  it('raises exactly one linked nonconformity for a minor NC finding, and never another when saved again', async () => {
    const item = (await items())[1];
    const res = await save(item, { result: 'minor_nc', statement: 'Hồ sơ không có phiếu kiểm soát quá trình', evidence: 'Hồ sơ số 12/2026' });
    expect(res.status).toBe(303);
    const findings = await rows<{ id: number; seq: number; grade: string; nonconformity_id: number; procedure_id: number; clause: string; found_on: string }>(
      t,
      'select id, seq, grade, nonconformity_id, procedure_id, clause, found_on from audit_findings',
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ seq: 1, grade: 'minor_nc', procedure_id: f.p1, clause: '8.5.1', found_on: '2026-11-26' });
    const ncs = await rows(t, 'select id, code, source, severity, procedure_id, clause, detected_on, status, title from nonconformities');
    expect(ncs).toEqual([
      {
        id: findings[0].nonconformity_id,
        code: 'NC-2026-001',
        source: 'internal_audit',
        severity: 'minor',
        procedure_id: f.p1,
        clause: '8.5.1',
        detected_on: '2026-11-26',
        status: 'open',
        title: 'Hồ sơ không có phiếu kiểm soát quá trình',
      },
    ]);
    // Saved again (evidence edited, same grade): still one finding, one nonconformity.
    expect((await save(item, { result: 'minor_nc', statement: 'Hồ sơ không có phiếu kiểm soát quá trình', evidence: 'Hồ sơ số 12 và 13/2026' })).status).toBe(
      303,
    );
    expect((await save(item, { result: 'minor_nc', statement: 'Hồ sơ không có phiếu kiểm soát quá trình', evidence: 'Hồ sơ số 12 và 13/2026' })).status).toBe(
      303,
    );
    expect(await rows(t, 'select count(*) as n from nonconformities')).toEqual([{ n: 1 }]);
    expect(await rows(t, 'select count(*) as n, max(evidence) as evidence from audit_findings')).toEqual([{ n: 1, evidence: 'Hồ sơ số 12 và 13/2026' }]);
    // Every change has its audit-log entry.
    expect((await auditLog(t, 'audit_finding', findings[0].id)).map((e) => e.action)).toEqual(['create', 'raise_nonconformity', 'update']);
    expect((await auditLog(t, 'audit_checklist_item', item.id)).map((e) => e.action)).toEqual(['update', 'update', 'update']);
    expect((await auditLog(t, 'nonconformity', findings[0].nonconformity_id)).map((e) => e.action)).toEqual(['create']);
    // Linked both ways: the audit page names the NC, the NC side finds the finding.
    const page = await qo.get(`/audits/${auditId}`);
    expect(page.text).toContain('NC-2026-001');
    const { findAuditFindingForNonconformity } = await import('../../src/features/audits/audits.checklist.queries');
    expect(await findAuditFindingForNonconformity(t.ctx.db, findings[0].nonconformity_id)).toEqual({
      finding_id: findings[0].id,
      seq: 1,
      grade: 'minor_nc',
      audit_id: auditId,
      audit_code: 'ĐGNB-2026-01',
      audit_title: 'Đánh giá nội bộ quy trình bảo trợ xã hội',
    });
  });

  it('raises a major NC from an external audit as external_audit, and one NC per NC finding', async () => {
    const ext = idFromLocation((await qo.post('/audits', auditForm(f, { type: 'surveillance', external_body: 'QUACERT' }))).headers.location);
    await qo.post(`/audits/${ext}/checklist/generate`);
    await qo.post(`/audits/${ext}/start`, { actual_start: '2026-11-25', version: '1' });
    const extItems = await rows<Item>(t, 'select id, procedure_id, clause, version from audit_checklist_items where audit_id = ? order by position', ext);
    const saveExt = (item: Item, fields: Record<string, string>) =>
      qo.post(`/audits/${ext}/checklist/${item.id}`, {
        question: 'Q',
        clause: item.clause ?? '',
        procedure_id: String(item.procedure_id),
        version: '1',
        ...fields,
      });
    expect((await saveExt(extItems[0], { result: 'major_nc', statement: 'Không kiểm soát tài liệu bên ngoài' })).status).toBe(303);
    expect((await saveExt(extItems[1], { result: 'minor_nc', statement: 'Thiếu chữ ký' })).status).toBe(303);
    expect((await saveExt(extItems[2], { result: 'ofi', statement: 'Có thể số hóa sổ theo dõi' })).status).toBe(303);
    expect(await rows(t, 'select source, severity from nonconformities order by id')).toEqual([
      { source: 'external_audit', severity: 'major' },
      { source: 'external_audit', severity: 'minor' },
    ]);
    expect(await rows(t, 'select grade, case when nonconformity_id is not null then 1 else 0 end as linked from audit_findings order by seq')).toEqual([
      { grade: 'major_nc', linked: 1 },
      { grade: 'minor_nc', linked: 1 },
      { grade: 'ofi', linked: 0 },
    ]);
  });

  it('needs a statement for a finding, and locks the grade once a nonconformity is raised', async () => {
    const item = (await items())[0];
    const missing = await save(item, { result: 'major_nc', statement: '' });
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('Hãy ghi nội dung phát hiện.');
    expect(await rows(t, 'select count(*) as n from audit_findings')).toEqual([{ n: 0 }]);
    expect((await save(item, { result: 'major_nc', statement: 'Không có quy trình cập nhật' })).status).toBe(303);
    for (const result of ['minor_nc', 'observation', 'conform', '']) {
      const res = await save(item, { result, statement: 'Không có quy trình cập nhật' });
      expect(res.status, result).toBe(422);
      expect(res.text).toContain('Phát hiện này đã lập sự không phù hợp NC-2026-001, nên không đổi được mức độ.');
    }
    expect(await rows(t, 'select grade, status from audit_findings')).toEqual([{ grade: 'major_nc', status: 'active' }]);
  });

  it('withdraws an observation when the result changes, and reinstates the same finding', async () => {
    const item = (await items())[2];
    expect((await save(item, { result: 'observation', statement: 'Sổ theo dõi ghi chưa đều' })).status).toBe(303);
    expect((await save(item, { result: 'conform' })).status).toBe(303);
    expect(await rows(t, 'select seq, status, withdrawn_reason from audit_findings')).toEqual([
      { seq: 1, status: 'withdrawn', withdrawn_reason: 'result: conform' },
    ]);
    expect((await save(item, { result: 'ofi', statement: 'Nên số hóa sổ theo dõi' })).status).toBe(303);
    expect(await rows(t, 'select seq, grade, status, statement from audit_findings')).toEqual([
      { seq: 1, grade: 'ofi', status: 'active', statement: 'Nên số hóa sổ theo dõi' },
    ]);
    expect(await rows(t, 'select count(*) as n from nonconformities')).toEqual([{ n: 0 }]);
    const id = (await rows<{ id: number }>(t, 'select id from audit_findings'))[0].id;
    expect((await auditLog(t, 'audit_finding', id)).map((e) => e.action)).toEqual(['create', 'withdraw', 'reinstate']);
  });

  it('refuses a date found before fieldwork or in the future, and a stale version', async () => {
    const item = (await items())[0];
    expect((await save(item, { result: 'conform', found_on: '2026-11-20' })).status).toBe(422);
    expect((await save(item, { result: 'conform', found_on: '2026-11-27' })).status).toBe(422);
    expect((await save(item, { result: 'conform', found_on: '2026-11-25' })).status).toBe(303);
    const stale = await qo.post(`/audits/${auditId}/checklist/${item.id}`, { question: 'Q', result: 'conform', version: '1' });
    expect(stale.status).toBe(409);
  });
});

describe('the report and the closing gate', () => {
  beforeEach(startedAudit);

  async function assessAll(): Promise<void> {
    const all = await items();
    await save(all[0], { result: 'minor_nc', statement: 'Thiếu phiếu kiểm soát' });
    for (const item of all.slice(1)) await save(item, { result: 'conform', evidence: 'Đã xem hồ sơ' });
  }

  it('cannot close before the report is issued; only the lead auditor issues it, with the signature', async () => {
    await assessAll();
    const version = () => auditVersion();
    const early = await qo.post(`/audits/${auditId}/close`, { version: await version() });
    expect(early.status).toBe(422);
    expect(early.text).toContain('Báo cáo đánh giá chưa được trưởng đoàn ký ban hành.');

    // Not the lead auditor: 403, even with the right password.
    const other = await t.signIn('quality_officer');
    expect(
      (await other.post(`/audits/${auditId}/issue`, { password: 'correct horse battery', actual_end: '2026-11-26', version: await version() })).status,
    ).toBe(403);
    // No conclusion yet.
    const noConclusion = await qo.post(`/audits/${auditId}/issue`, { password: 'correct horse battery', actual_end: '2026-11-26', version: await version() });
    expect(noConclusion.status).toBe(422);
    expect(noConclusion.text).toContain('Hãy lưu kết luận đánh giá trước khi ban hành.');
    expect(
      (await qo.post(`/audits/${auditId}/conclusion`, { conclusion: 'Hệ thống phù hợp, còn 01 điểm không phù hợp nhẹ.', version: await version() })).status,
    ).toBe(303);
    const wrong = await qo.post(`/audits/${auditId}/issue`, { password: 'wrong password!', actual_end: '2026-11-26', version: await version() });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('Mật khẩu không đúng; chưa ký.');
    expect(await rows(t, "select count(*) as n from e_signatures where entity = 'audit'")).toEqual([{ n: 0 }]);

    const issued = await qo.post(`/audits/${auditId}/issue`, { password: 'correct horse battery', actual_end: '2026-11-26', version: await version() });
    expect(issued.status).toBe(303);
    expect(await rows(t, 'select status, actual_end, case when report_signature_id is not null then 1 else 0 end as signed from audits')).toEqual([
      { status: 'reported', actual_end: '2026-11-26', signed: 1 },
    ]);
    expect(await rows(t, "select meaning, user_id from e_signatures where entity = 'audit'")).toEqual([{ meaning: 'report_issued', user_id: f.auditor }]);
    // The report is now fixed.
    expect((await qo.post(`/audits/${auditId}/conclusion`, { conclusion: 'Sửa sau', version: await version() })).status).toBe(409);
    expect((await save((await items())[1], { result: 'ofi', statement: 'x' })).status).toBe(409);

    const closed = await qo.post(`/audits/${auditId}/close`, { version: await version() });
    expect(closed.status).toBe(303);
    expect(await rows(t, 'select status from audits')).toEqual([{ status: 'closed' }]);
    expect((await auditLog(t, 'audit', auditId)).map((e) => e.action)).toEqual([
      'create',
      'checklist_generate',
      'start',
      'update_conclusion',
      'sign:report_issued',
      'issue_report',
      'close',
    ]);
  });

  it('prints the report in the administrative format, with the settings of the organisation', async () => {
    await assessAll();
    const draft = await qo.get(`/audits/${auditId}/report`);
    expect(draft.status).toBe(200);
    expect(draft.text).toContain('DỰ THẢO — báo cáo chưa được ban hành');
    await qo.post(`/audits/${auditId}/conclusion`, { conclusion: 'Hệ thống phù hợp.', version: await auditVersion() });
    await qo.post(`/audits/${auditId}/issue`, { password: 'correct horse battery', actual_end: '2026-11-26', version: await auditVersion() });
    const report = await qo.get(`/audits/${auditId}/report`);
    const text = report.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).not.toContain('DỰ THẢO');
    for (const expected of [
      'UBND huyện Nghĩa Hưng',
      'Phòng Lao động - Thương binh và Xã hội',
      '/BC-LĐTBXH',
      'Nghĩa Hưng, ngày 26 tháng 11 năm 2026',
      'Kết quả đánh giá ĐGNB-2026-01: Đánh giá nội bộ quy trình bảo trợ xã hội',
      'TCVN ISO 9001:2015: 7.5.3 Kiểm soát thông tin dạng văn bản; 8.5.1',
      'Trưởng đoàn đánh giá: Chuyên gia auditor.',
      'Thời gian thực hiện: 24/11/2026 – 26/11/2026.',
      'PH-01 Điểm không phù hợp nhẹ QT-A-01 / 7.5.3 Thiếu phiếu kiểm soát',
      'NC-2026-001',
      'Hệ thống phù hợp.',
      'Đã ký điện tử lúc 26/11/2026 09:00',
      'Nơi nhận: - Lưu: VT.',
      'TRƯỞNG PHÒNG Phạm Văn Minh',
    ]) {
      expect(text).toContain(expected);
    }
    expect(report.text).toMatch(/<th scope="col">Điểm không phù hợp nặng<\/th><th scope="col">Điểm không phù hợp nhẹ<\/th>/);
    expect(report.text).toMatch(/<td class="num">0<\/td><td class="num">1<\/td><td class="num">0<\/td><td class="num">0<\/td>/);
  });

  it('refuses to issue while questions have no result', async () => {
    await save((await items())[0], { result: 'conform' });
    expect((await qo.post(`/audits/${auditId}/conclusion`, { conclusion: 'Kết luận', version: await auditVersion() })).status).toBe(303);
    const res = await qo.post(`/audits/${auditId}/issue`, { password: 'correct horse battery', actual_end: '2026-11-26', version: await auditVersion() });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Còn 3 câu hỏi chưa có kết quả.');
  });

  it('cannot close while an NC finding has no linked nonconformity', async () => {
    await assessAll();
    expect((await qo.post(`/audits/${auditId}/conclusion`, { conclusion: 'Kết luận', version: await auditVersion() })).status).toBe(303);
    expect(
      (await qo.post(`/audits/${auditId}/issue`, { password: 'correct horse battery', actual_end: '2026-11-26', version: await auditVersion() })).status,
    ).toBe(303);
    // A finding recorded without its nonconformity (say, restored from an old backup) blocks the closing.
    const item = (await items())[1];
    await run(
      t,
      "insert into audit_findings (audit_id, seq, checklist_item_id, grade, statement, found_on, created_at, updated_at, organisation_id) values (?, 2, ?, 'major_nc', 'Không có NC', '2026-11-25', 'x', 'x', 1)",
      auditId,
      item.id,
    );
    const refused = await qo.post(`/audits/${auditId}/close`, { version: await auditVersion() });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Phát hiện không phù hợp chưa có phiếu sự không phù hợp: PH-02.');
    expect(await rows(t, 'select status from audits')).toEqual([{ status: 'reported' }]);
    expect((await auditLog(t, 'audit', auditId)).map((e) => e.action)).not.toContain('close');
  });
});

describe('follow-up audits', () => {
  beforeEach(startedAudit);

  it('is preloaded with the findings whose nonconformities are still open', async () => {
    const all = await items();
    await save(all[0], { result: 'minor_nc', statement: 'Thiếu phiếu kiểm soát' });
    await save(all[1], { result: 'major_nc', statement: 'Trả kết quả quá hạn không xin lỗi' });
    await save(all[2], { result: 'observation', statement: 'Sổ ghi chưa đều' });
    await save(all[3], { result: 'conform' });
    expect((await qo.post(`/audits/${auditId}/conclusion`, { conclusion: 'Kết luận', version: await auditVersion() })).status).toBe(303);
    expect(
      (await qo.post(`/audits/${auditId}/issue`, { password: 'correct horse battery', actual_end: '2026-11-26', version: await auditVersion() })).status,
    ).toBe(303);
    // The first NC is closed already; only the major one is carried.
    await run(t, "update nonconformities set status = 'closed', closed_on = '2026-11-26' where code = 'NC-2026-001'");
    const form = await qo.get(`/audits/${auditId}/follow-up`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('NC-2026-002');
    expect(form.text).not.toContain('NC-2026-001');
    const res = await qo.post(`/audits/${auditId}/follow-up`, {
      title: 'Đánh giá theo dõi',
      planned_start: '2026-12-15',
      planned_end: '2026-12-15',
      lead_auditor_id: String(f.auditor),
    });
    expect(res.status).toBe(303);
    const followId = idFromLocation(res.headers.location);
    expect(await rows(t, 'select code, follow_up_of, type from audits where id = ?', followId)).toEqual([
      { code: 'ĐGNB-2026-02', follow_up_of: auditId, type: 'internal' },
    ]);
    const carried = (await rows<{ id: number }>(t, "select id from audit_findings where grade = 'major_nc'"))[0].id;
    expect(await rows(t, 'select procedure_id, clause, follows_finding_id from audit_checklist_items where audit_id = ?', followId)).toEqual([
      { procedure_id: all[1].procedure_id, clause: all[1].clause, follows_finding_id: carried },
    ]);
    expect(await rows(t, 'select procedure_id from audit_procedures where audit_id = ?', followId)).toEqual([{ procedure_id: all[1].procedure_id }]);
    expect((await auditLog(t, 'audit', followId)).map((e) => e.action)).toEqual(['create', 'checklist_follow_up']);

    // Once that NC is closed too, there is nothing left to follow up.
    await run(t, "update nonconformities set status = 'closed', closed_on = '2026-11-26'");
    const none = await qo.post(`/audits/${auditId}/follow-up`, {
      title: 'Lần nữa',
      planned_start: '2026-12-20',
      planned_end: '2026-12-20',
      lead_auditor_id: String(f.auditor),
    });
    expect(none.status).toBe(422);
    expect(none.text).toContain('Không còn phát hiện nào có sự không phù hợp đang mở.');
  });

  it('is refused while the audit is still in progress', async () => {
    const res = await qo.post(`/audits/${auditId}/follow-up`, {
      title: 'x',
      planned_start: '2026-12-15',
      planned_end: '2026-12-15',
      lead_auditor_id: String(f.auditor),
    });
    expect(res.status).toBe(409);
  });
});

describe('evidence files', () => {
  beforeEach(startedAudit);
  const PNG = Buffer.from(
    '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082',
    'hex',
  );

  it('stores an uploaded file by its content, links it to the item, and serves it back', async () => {
    const item = (await items())[0];
    const res = await qo.agent.post(`/audits/${auditId}/checklist/${item.id}/files`).field('_csrf', qo.csrf).attach('file', PNG, 'ảnh hồ sơ.png');
    expect(res.status).toBe(303);
    const [file] = await rows<{ id: number; file_name: string; file_sha256: string }>(t, 'select id, file_name, file_sha256 from audit_evidence_files');
    expect(file.file_name).toBe('ảnh hồ sơ.png');
    expect((await auditLog(t, 'audit_checklist_item', item.id)).map((e) => e.action)).toEqual(['attach_evidence']);
    const download = await qo.get(`/audits/${auditId}/files/${file.id}`).buffer(true);
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(download.body as Buffer, PNG)).toBe(0);
    const page = await qo.get(`/audits/${auditId}/checklist/${item.id}`);
    expect(page.text).toContain('ảnh hồ sơ.png');
  });

  it('refuses a file whose content is not an accepted type', async () => {
    const item = (await items())[0];
    const res = await qo.agent
      .post(`/audits/${auditId}/checklist/${item.id}/files`)
      .field('_csrf', qo.csrf)
      .attach('file', Buffer.from('#!/bin/sh\necho hi\n'), 'bien-ban.pdf');
    expect(res.status).toBe(422);
    expect(res.text).toContain('Chỉ chấp nhận tệp PDF');
    expect(await rows(t, 'select count(*) as n from audit_evidence_files')).toEqual([{ n: 0 }]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertUnit } from '../../src/features/units/units.queries';
import { createTestApp, rows, type SignedIn, type TestApp } from '../support/app';
import { addAuthoredRevision, addUser, auditForm, auditLog, fixture, idFromLocation, type Fixture } from './support';

/**
 * Independence at recording (9.2.2 b/c), whatever happened at planning. The internal audit ĐGNB-2026-01 covers
 * QT-A-01 (owned by LĐTBXH) and QT-B-01 (owned by VP), the auditee unit is LĐTBXH; its lead "lead3" is of a third
 * unit (TC), independent at planning. The quality officer "qualityofficer" is of LĐTBXH: responsible for QT-A-01,
 * not for QT-B-01, and a member of the audited unit. Later lead3 writes a revision of a QT-A-01 document.
 */
let t: TestApp;
let f: Fixture;
let qo: SignedIn;
let lead: SignedIn;
let auditId: number;
const items: Record<'p1' | 'p3' | 'general', number> = { p1: 0, p3: 0, general: 0 };
type ItemRow = { result: string | null; evidence: string; version: number; procedure_id: number | null; assessed_by: number | null };
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082',
  'hex',
);

const item = async (id: number) =>
  (await rows<ItemRow>(t, 'select result, evidence, version, procedure_id, assessed_by from audit_checklist_items where id = ?', id))[0];
const auditRow = async () =>
  (await rows<{ version: number; conclusion: string; status: string }>(t, 'select version, conclusion, status from audits where id = ?', auditId))[0];
const record = (who: SignedIn, id: number, procedureId: number | null, extra: Record<string, string> = {}) =>
  who.post(`/audits/${auditId}/checklist/${id}`, {
    question: 'Hồ sơ có đủ thành phần không?',
    clause: '7.5.3',
    procedure_id: procedureId === null ? '' : String(procedureId),
    result: 'conform',
    evidence: 'Đã xem 5 hồ sơ',
    version: '1',
    ...extra,
  });
const upload = (who: SignedIn, id: number) =>
  who.agent.post(`/audits/${auditId}/checklist/${id}/files`).field('_csrf', who.csrf).attach('file', PNG, 'ho-so.png');
/** The page's text without tags, for sentences that contain markup-escaped characters. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&#x28;|&#40;/g, '(')
    .replace(/&#x29;|&#41;/g, ')');

beforeAll(async () => {
  t = await createTestApp();
  f = await fixture(t);
  const third = await insertUnit(t.ctx.db, { code: 'TC', name: 'Phòng Tài chính' }, t.clock.now().toISOString());
  await addUser(t, 'lead3', 'quality_officer', third);
  const leadId = (await rows<{ id: number }>(t, "select id from users where username = 'lead3'"))[0].id;
  lead = await t.signIn('lead3');
  qo = await t.signIn('quality_officer');
  const created = await lead.post(
    '/audits',
    auditForm(f, { procedure_ids: [String(f.p1), String(f.p3)], lead_auditor_id: String(leadId), auditee_unit_id: String(t.units.main), clauses: ['7.5.3'] }),
  );
  expect(created.status).toBe(303);
  auditId = idFromLocation(created.headers.location);
  for (const [key, procedure] of [
    ['p1', f.p1],
    ['p3', f.p3],
    ['general', null],
  ] as const) {
    const res = await lead.post(`/audits/${auditId}/checklist/items`, {
      question: `Câu hỏi ${key}`,
      procedure_id: procedure ? String(procedure) : '',
      clause: '7.5.3',
    });
    expect(res.status).toBe(303);
    items[key] = (await rows<{ id: number }>(t, 'select id from audit_checklist_items where audit_id = ? and question = ?', auditId, `Câu hỏi ${key}`))[0].id;
  }
  expect((await lead.post(`/audits/${auditId}/start`, { actual_start: '2026-11-24', version: '1' })).status).toBe(303);
});
afterAll(async () => t.close());

describe('recording results in an internal audit', () => {
  it('refuses a result for a procedure the recorder’s unit owns, saying why, and writes nothing', async () => {
    const res = await record(qo, items.p1, f.p1);
    expect(res.status).toBe(403);
    expect(text(res.text)).toContain(
      'Bạn không thể ghi kết quả, phát hiện hoặc bằng chứng cho quy trình QT-A-01 vì đơn vị của bạn (LĐTBXH) chủ trì quy trình này',
    );
    expect(await item(items.p1)).toEqual({ result: null, evidence: '', version: 1, procedure_id: f.p1, assessed_by: null });
    expect(await auditLog(t, 'audit_checklist_item', items.p1)).toEqual([]);
    // A finding is refused the same way: no finding, no nonconformity.
    expect((await record(qo, items.p1, f.p1, { result: 'minor_nc', statement: 'Thiếu phiếu kiểm soát' })).status).toBe(403);
    expect(await rows(t, 'select count(*) as n from audit_findings')).toEqual([{ n: 0 }]);
    expect(await rows(t, 'select count(*) as n from nonconformities')).toEqual([{ n: 0 }]);
  });

  it('lets the same person record for a procedure of another unit, but not move that item onto their own procedure', async () => {
    expect((await record(qo, items.p3, f.p3)).status).toBe(303);
    expect(await item(items.p3)).toMatchObject({ result: 'conform', version: 2, procedure_id: f.p3, assessed_by: t.users.quality_officer });
    const moved = await record(qo, items.p3, f.p1, { version: '2' });
    expect(moved.status).toBe(403);
    expect(text(moved.text)).toContain('cho quy trình QT-A-01 vì đơn vị của bạn (LĐTBXH)');
    expect(await item(items.p3)).toMatchObject({ version: 2, procedure_id: f.p3 });
  });

  it('refuses a general question to a member of the audited unit, and takes it from the independent lead', async () => {
    const res = await record(qo, items.general, null);
    expect(res.status).toBe(403);
    expect(text(res.text)).toContain('của cuộc đánh giá ĐGNB-2026-01 vì bạn thuộc đơn vị được đánh giá (LĐTBXH)');
    expect(await item(items.general)).toMatchObject({ result: null, version: 1 });
    expect((await record(lead, items.general, null)).status).toBe(303);
    expect((await record(lead, items.p1, f.p1)).status).toBe(303);
  });

  it('refuses an evidence file for the recorder’s own procedure: no file linked, no audit-log entry', async () => {
    const before = await auditLog(t, 'audit_checklist_item', items.p1);
    const res = await upload(qo, items.p1);
    expect(res.status).toBe(403);
    expect(text(res.text)).toContain('cho quy trình QT-A-01 vì đơn vị của bạn (LĐTBXH) chủ trì quy trình này');
    expect(await rows(t, 'select count(*) as n from audit_evidence_files')).toEqual([{ n: 0 }]);
    expect(await auditLog(t, 'audit_checklist_item', items.p1)).toEqual(before);
    expect((await upload(lead, items.p1)).status).toBe(303);
    expect(await rows(t, 'select count(*) as n from audit_evidence_files')).toEqual([{ n: 1 }]);
  });

  it('refuses the same on the phone checklist: the answer from the page and from its script, and the file', async () => {
    const before = await item(items.p1);
    const files = await rows(t, 'select count(*) as n from audit_evidence_files');
    const answer = { result: 'observation', evidence: 'Sổ theo dõi', statement: 'Thiếu ngày trả', version: String(before.version) };
    const page = await qo.post(`/audits/${auditId}/fill/items/${items.p1}`, answer);
    expect(page.status).toBe(403);
    expect(text(page.text)).toContain('cho quy trình QT-A-01 vì đơn vị của bạn (LĐTBXH) chủ trì quy trình này');
    const script = await qo.agent
      .post(`/audits/${auditId}/fill/items/${items.p1}`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ ...answer, _csrf: qo.csrf });
    expect(script.status).toBe(403);
    expect(script.body.error).toContain('cho quy trình QT-A-01 vì đơn vị của bạn (LĐTBXH) chủ trì quy trình này');
    const file = await qo.agent.post(`/audits/${auditId}/fill/items/${items.p1}/files`).field('_csrf', qo.csrf).attach('file', PNG, 'ho-so.png');
    expect(file.status).toBe(403);
    expect(await item(items.p1)).toEqual(before);
    expect(await rows(t, 'select count(*) as n from audit_evidence_files')).toEqual(files);
    expect(await rows(t, "select count(*) as n from audit_findings where status = 'active'")).toEqual([{ n: 0 }]);
  });

  it('refuses the conclusion to a member of the audited unit and does not offer them the form', async () => {
    const before = await auditRow();
    const res = await qo.post(`/audits/${auditId}/conclusion`, { conclusion: 'Phù hợp.', version: String(before.version) });
    expect(res.status).toBe(403);
    expect(text(res.text)).toContain(
      'Bạn không thể ghi kết quả chung, kết luận hay ban hành báo cáo của cuộc đánh giá ĐGNB-2026-01 vì bạn thuộc đơn vị được đánh giá (LĐTBXH).',
    );
    expect(await auditRow()).toEqual(before);
    expect((await auditLog(t, 'audit', auditId)).map((e) => e.action)).not.toContain('update_conclusion');
    const page = await qo.get(`/audits/${auditId}`);
    expect(page.text).not.toContain(`action="/audits/${auditId}/conclusion"`);
    expect(text(page.text)).toContain('vì bạn thuộc đơn vị được đánh giá (LĐTBXH)');
    expect((await lead.get(`/audits/${auditId}`)).text).toContain(`action="/audits/${auditId}/conclusion"`);
    expect((await lead.post(`/audits/${auditId}/conclusion`, { conclusion: 'Phù hợp.', version: String(before.version) })).status).toBe(303);
  });

  it('refuses the author of a revision of a procedure’s document on that procedure and on the report, after planning', async () => {
    await addAuthoredRevision(t, f.p1, (await rows<{ id: number }>(t, "select id from users where username = 'lead3'"))[0].id, 'TL-A-01');
    const version = (await item(items.p1)).version;
    const res = await record(lead, items.p1, f.p1, { result: 'ofi', statement: 'Nên số hóa', version: String(version) });
    expect(res.status).toBe(403);
    expect(text(res.text)).toContain('cho quy trình QT-A-01 vì bạn đã soạn thảo TL-A-01 lần 1 của quy trình này');
    expect(await item(items.p1)).toMatchObject({ result: 'conform', version });
    // QT-B-01 is not theirs: still allowed.
    expect((await record(lead, items.p3, f.p3, { version: String((await item(items.p3)).version) })).status).toBe(303);
    const before = await auditRow();
    const issued = await lead.post(`/audits/${auditId}/issue`, {
      password: 'correct horse battery',
      actual_end: '2026-11-25',
      version: String(before.version),
    });
    expect(issued.status).toBe(403);
    expect(text(issued.text)).toContain('của cuộc đánh giá ĐGNB-2026-01 vì bạn đã soạn thảo TL-A-01 lần 1 của quy trình QT-A-01 thuộc phạm vi đánh giá.');
    expect(await auditRow()).toEqual(before);
    expect(await rows(t, "select count(*) as n from e_signatures where entity = 'audit'")).toEqual([{ n: 0 }]);
    expect((await auditLog(t, 'audit', auditId)).map((e) => e.action)).not.toContain('issue_report');
  });
});

describe('recording results in an external audit', () => {
  it('is not refused: the audit is recorded for an outside body, as at planning', async () => {
    const created = await qo.post(
      '/audits',
      auditForm(f, {
        type: 'certification',
        external_body: 'Tổ chức chứng nhận X',
        lead_auditor_id: String(t.users.quality_officer),
        procedure_ids: [String(f.p1)],
      }),
    );
    expect(created.status).toBe(303);
    const id = idFromLocation(created.headers.location);
    expect((await qo.post(`/audits/${id}/checklist/items`, { question: 'Câu hỏi ngoài', procedure_id: String(f.p1), clause: '7.5.3' })).status).toBe(303);
    expect((await qo.post(`/audits/${id}/start`, { actual_start: '2026-11-24', version: '1' })).status).toBe(303);
    const [row] = await rows<{ id: number }>(t, 'select id from audit_checklist_items where audit_id = ?', id);
    const res = await qo.post(`/audits/${id}/checklist/${row.id}`, {
      question: 'Câu hỏi ngoài',
      clause: '7.5.3',
      procedure_id: String(f.p1),
      result: 'conform',
      evidence: 'Đã xem',
      version: '1',
    });
    expect(res.status).toBe(303);
    expect(await item(row.id)).toMatchObject({ result: 'conform', assessed_by: t.users.quality_officer });
  });
});

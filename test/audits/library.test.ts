import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopedDb } from '../../src/core/db/scope';
import { CLAUSES } from '../../src/core/iso/clauses';
import { APPLICABLE_CLAUSES, STANDARD_LIBRARY } from '../../src/features/audits/audits.library.seed';
import { installStandardLibrary } from '../../src/features/audits/audits.library.service';
import { previousFindingsByItem } from '../../src/features/audits/audits.library.queries';
import { createTestApp, one, rows, type SignedIn, type TestApp } from '../support/app';
import { auditForm, auditLog, fixture, idFromLocation, type Fixture } from './support';

/**
 * The audit question library: the standard questions cover every clause that applies to an administrative office;
 * installing them once; editing (revisions), retiring, validation, roles and CSRF; a checklist built from the library
 * for an audit's procedures and clauses; a checklist started from the previous audit of the same scope with last
 * time's findings shown beside the questions. One app for the file: each story uses its own audits.
 */
let t: TestApp;
let f: Fixture;
let qo: SignedIn;
beforeAll(async () => {
  t = await createTestApp();
  f = await fixture(t);
  qo = await t.signIn('auditor');
});
afterAll(async () => t.close());

const VIETNAMESE = /[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]/i;

describe('the standard library', () => {
  it('has three real questions or more in both languages for every leaf clause of 4–10 but 8.3', () => {
    const leaves = CLAUSES.filter((c) => !CLAUSES.some((d) => d.parent === c.clause)).map((c) => c.clause);
    const applicable = leaves.filter((c) => c !== '8.3');
    expect(applicable).toHaveLength(48);
    expect(APPLICABLE_CLAUSES).toEqual(applicable);
    for (const clause of applicable) expect(STANDARD_LIBRARY.filter((q) => q.clause === clause).length, clause).toBeGreaterThanOrEqual(3);
    expect(STANDARD_LIBRARY.every((q) => applicable.includes(q.clause))).toBe(true);
    for (const q of STANDARD_LIBRARY) {
      expect(q.vi, q.clause).toMatch(VIETNAMESE);
      expect(q.vi.trim().length, q.clause).toBeGreaterThan(20);
      expect(q.en.trim().length, q.clause).toBeGreaterThan(20);
      expect(q.en, q.clause).not.toMatch(VIETNAMESE);
    }
    expect(new Set(STANDARD_LIBRARY.map((q) => q.vi)).size).toBe(STANDARD_LIBRARY.length);
    expect(new Set(STANDARD_LIBRARY.map((q) => q.en)).size).toBe(STANDARD_LIBRARY.length);
    // the examples of the issue, word for word
    expect(STANDARD_LIBRARY).toContainEqual(
      expect.objectContaining({ clause: '7.5.3', vi: 'Hồ sơ giải quyết TTHC có được lưu trữ đủ thành phần theo quy trình không?' }),
    );
    expect(STANDARD_LIBRARY).toContainEqual(
      expect.objectContaining({ clause: '8.5.1', vi: 'Phiếu kiểm soát quá trình giải quyết hồ sơ có được ghi đầy đủ thời điểm chuyển bước không?' }),
    );
  });

  it('is offered when the library is empty, installs once with a revision per question, and only for quality officers', async () => {
    const empty = await qo.get('/audits/questions');
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('Nạp bộ câu hỏi mẫu');
    const staff = await t.signIn('staff');
    expect((await staff.post('/audits/questions/install', {})).status).toBe(403);
    expect((await staff.get('/audits/questions')).status).toBe(403);
    expect((await (await t.signIn('leader')).post('/audits/questions/install', {})).status).toBe(403);
    expect(await one(t, 'select count(*) as n from audit_questions')).toEqual({ n: 0 });

    expect((await qo.post('/audits/questions/install', {})).status).toBe(303);
    const n = STANDARD_LIBRARY.length;
    expect(await one(t, 'select count(*) as n from audit_questions where organisation_id = 1 and active = 1 and revision = 1')).toEqual({ n });
    expect(await one(t, 'select count(*) as n from audit_question_revisions where revision = 1')).toEqual({ n });
    // a second install, through the page or directly, adds nothing
    expect((await qo.post('/audits/questions/install', {})).status).toBe(303);
    const db = scopedDb(t.ctx.db, 1);
    expect(await db.transaction().execute((trx) => installStandardLibrary(trx, t.clock.now(), null))).toBe(0);
    expect(await one(t, 'select count(*) as n from audit_questions')).toEqual({ n });
    expect(await one(t, 'select count(*) as n from audit_question_revisions')).toEqual({ n });

    const page = await (await t.signIn('leader')).get('/audits/questions?clause=7.5');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h2>7.5.3 — Kiểm soát thông tin dạng văn bản</h2>');
    expect(page.text).toContain('Hồ sơ giải quyết TTHC có được lưu trữ đủ thành phần theo quy trình không?');
    expect(page.text).toContain('Are the dossiers of settled administrative procedures stored with every component the procedure requires?');
    expect(page.text).not.toContain('<h2>8.5.1 — ');
    expect(page.text).not.toContain('Nạp bộ câu hỏi mẫu');
    const english = await (await t.signIn('leader')).get('/audits/questions?clause=7.5.3&lang=en');
    expect(english.text).toContain('7.5.3 — Control of documented information');
  });
});

describe('editing the library', () => {
  it('adds procedure questions, edits into revisions, retires with a reason; 422 beside the field, 403 for staff, CSRF', async () => {
    const created = await qo.post('/audits/questions', {
      clause: '7.5.2',
      procedure_id: String(f.p1),
      text_vi: 'Mẫu đơn đề nghị của quy trình QT-A-01 có đúng mẫu ban hành kèm quy định hiện hành không?',
      text_en: '',
    });
    expect(created.status).toBe(303);
    const own = await one<{ id: number; revision: number; procedure_id: number }>(
      t,
      'select id, revision, procedure_id from audit_questions where procedure_id is not null',
    );
    expect(own).toEqual({ id: own!.id, revision: 1, procedure_id: f.p1 });
    expect(await rows(t, 'select revision, reason from audit_question_revisions where question_id = ?', own!.id)).toEqual([{ revision: 1, reason: '' }]);

    const bad = await qo.post('/audits/questions', { clause: '8.9', text_vi: '', text_en: '' });
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/id="e-text_vi">Vui lòng nhập trường này\.</);
    expect(bad.text).toMatch(/id="e-clause">Có số điều khoản không thuộc ISO 9001:2015\.</);
    const foreign = await qo.post('/audits/questions', { clause: '8.1', procedure_id: '999999', text_vi: 'Câu hỏi thử' });
    expect(foreign.status).toBe(422);
    expect(foreign.text).toMatch(/id="e-procedure_id">Lựa chọn không hợp lệ\.</);
    const staff = await t.signIn('staff');
    expect((await staff.post('/audits/questions', { clause: '8.1', text_vi: 'Câu hỏi thử' })).status).toBe(403);
    const noToken = await qo.agent.post('/audits/questions').type('form').send({ clause: '8.1', text_vi: 'Câu hỏi thử' });
    expect(noToken.status).toBe(403);
    expect(await one(t, "select count(*) as n from audit_questions where text_vi = 'Câu hỏi thử'")).toEqual({ n: 0 });

    const q = await one<{ id: number; version: number }>(t, "select id, version from audit_questions where clause = '9.2' order by position limit 1");
    const noReason = await qo.post(`/audits/questions/${q!.id}`, {
      clause: '9.2',
      text_vi: 'Câu mới',
      text_en: 'New',
      reason: '',
      version: String(q!.version),
    });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toMatch(/id="e-reason">Vui lòng nhập trường này\.</);
    const edit = {
      clause: '9.2',
      text_vi: 'Chương trình đánh giá nội bộ năm có được lãnh đạo phê duyệt trước khi thực hiện không?',
      text_en: 'Is the year’s audit programme approved before it starts?',
    };
    expect((await qo.post(`/audits/questions/${q!.id}`, { ...edit, reason: 'Hỏi rõ thời điểm phê duyệt', version: String(q!.version) })).status).toBe(303);
    expect(await one(t, 'select revision, text_vi, version from audit_questions where id = ?', q!.id)).toEqual({
      revision: 2,
      text_vi: edit.text_vi,
      version: q!.version + 1,
    });
    expect(await rows(t, 'select revision, reason from audit_question_revisions where question_id = ? order by revision', q!.id)).toEqual([
      { revision: 1, reason: '' },
      { revision: 2, reason: 'Hỏi rõ thời điểm phê duyệt' },
    ]);
    // an edit from a stale form is refused
    expect((await qo.post(`/audits/questions/${q!.id}`, { ...edit, reason: 'x', version: String(q!.version) })).status).toBe(409);
    const history = await qo.get(`/audits/questions/${q!.id}`);
    expect(history.text).toContain('Hỏi rõ thời điểm phê duyệt');
    expect(history.text).toContain(STANDARD_LIBRARY.find((s) => s.clause === '9.2')!.vi);

    expect((await qo.post(`/audits/questions/${q!.id}/status`, { reason: '', version: String(q!.version + 1) })).status).toBe(422);
    expect((await qo.post(`/audits/questions/${q!.id}/status`, { reason: 'Trùng với câu khác', version: String(q!.version + 1) })).status).toBe(303);
    expect(await one(t, 'select active, retired_reason from audit_questions where id = ?', q!.id)).toEqual({ active: 0, retired_reason: 'Trùng với câu khác' });
    expect((await qo.get(`/audits/questions/${q!.id}`)).text).toContain('Câu hỏi đã ngừng dùng: Trùng với câu khác');
    expect((await qo.get('/audits/questions?clause=9.2&status=retired')).text).toContain(edit.text_vi);
    expect((await auditLog(t, 'audit_question', q!.id)).map((e) => e.action)).toEqual(['update', 'retire']);
  });
});

describe('a checklist from the library', () => {
  it('asks, per procedure, the general questions of every clause under the scope plus the procedure’s own, in clause order', async () => {
    const auditId = idFromLocation((await qo.post('/audits', auditForm(f, { clauses: ['7.5'] }))).headers.location);
    expect((await qo.post(`/audits/${auditId}/checklist/library`, {})).status).toBe(303);
    const items = await rows<{ procedure_id: number; clause: string; question: string; question_id: number; question_revision: number }>(
      t,
      'select procedure_id, clause, question, question_id, question_revision from audit_checklist_items where audit_id = ? order by position',
      auditId,
    );
    // 7.5.1, 7.5.2, 7.5.3 have 3 general questions each: 9 per procedure, plus P1's own question on 7.5.2
    expect(items).toHaveLength(9 + 1 + 9);
    const general = STANDARD_LIBRARY.filter((q) => q.clause.startsWith('7.5.')).map((q) => q.vi);
    const own = 'Mẫu đơn đề nghị của quy trình QT-A-01 có đúng mẫu ban hành kèm quy định hiện hành không?';
    expect(items.map((i) => [i.procedure_id, i.clause, i.question])).toEqual([
      ...general.slice(0, 6).map((q, i) => [f.p1, i < 3 ? '7.5.1' : '7.5.2', q]),
      [f.p1, '7.5.2', own],
      ...general.slice(6).map((q) => [f.p1, '7.5.3', q]),
      ...general.map((q, i) => [f.p2, ['7.5.1', '7.5.2', '7.5.3'][Math.floor(i / 3)], q]),
    ]);
    const ids = await rows<{ id: number; text_vi: string }>(t, "select id, text_vi from audit_questions where clause like '7.5.%'");
    for (const item of items) {
      expect(ids.find((q) => q.id === item.question_id)?.text_vi).toBe(item.question);
      expect(item.question_revision).toBe(1);
    }
    // again: nothing new; an edit of a question used makes revision 2, the items keep revision 1 and their words
    expect((await qo.post(`/audits/${auditId}/checklist/library`, {})).status).toBe(303);
    expect(await one(t, 'select count(*) as n from audit_checklist_items where audit_id = ?', auditId)).toEqual({ n: 19 });
    const first = items[0];
    const version = (await one<{ version: number }>(t, 'select version from audit_questions where id = ?', first.question_id))!.version;
    const reworded = {
      clause: '7.5.1',
      text_vi: 'Cơ quan có đủ quy trình, biểu mẫu và hồ sơ theo yêu cầu không?',
      text_en: '',
      reason: 'Gọn hơn',
      version: String(version),
    };
    expect((await qo.post(`/audits/questions/${first.question_id}`, reworded)).status).toBe(303);
    expect(await rows(t, 'select question, question_revision from audit_checklist_items where question_id = ?', first.question_id)).toEqual([
      { question: first.question, question_revision: 1 },
      { question: first.question, question_revision: 1 },
    ]);
    expect((await auditLog(t, 'audit', auditId)).map((e) => e.action)).toEqual(['create', 'checklist_library']);
  });
});

describe('starting from the previous audit of the same scope', () => {
  it('copies the questions without results and shows last time’s finding; refused without such an audit or on a started checklist', async () => {
    const scope = { procedure_ids: [String(f.p1)], clauses: ['8.5.1'] };
    const previous = idFromLocation(
      (await qo.post('/audits', auditForm(f, { ...scope, planned_start: '2026-11-24', planned_end: '2026-11-25' }))).headers.location,
    );
    expect((await qo.post(`/audits/${previous}/start`, { actual_start: '2026-11-24', version: '1' })).status).toBe(303);
    expect((await qo.post(`/audits/${previous}/checklist/library`, {})).status).toBe(303);
    const old = await rows<{ id: number; question: string; version: number }>(
      t,
      'select id, question, version from audit_checklist_items where audit_id = ? order by position',
      previous,
    );
    expect(old).toHaveLength(3);
    const statement = '02/10 phiếu kiểm soát không ghi thời điểm chuyển bước thẩm định.';
    const answer = (i: number, result: string, more: Record<string, string> = {}) =>
      qo.post(`/audits/${previous}/checklist/${old[i].id}`, {
        question: old[i].question,
        clause: '8.5.1',
        procedure_id: String(f.p1),
        result,
        version: String(old[i].version),
        ...more,
      });
    expect((await answer(0, 'minor_nc', { statement, evidence: 'Đã kiểm tra 10 hồ sơ tháng 11.' })).status).toBe(303);
    expect((await answer(1, 'conform', { evidence: 'Đúng hạn 10/10 hồ sơ.' })).status).toBe(303);
    const { code } = (await one<{ code: string }>(t, 'select code from audits where id = ?', previous))!;

    const next = idFromLocation(
      (await qo.post('/audits', auditForm(f, { ...scope, planned_start: '2026-12-10', planned_end: '2026-12-11' }))).headers.location,
    );
    expect((await qo.post(`/audits/${next}/checklist/copy`, {})).status).toBe(303);
    const copied = await rows(
      t,
      'select procedure_id, clause, question, question_id, question_revision, result, evidence, statement, found_on, assessed_by, copied_from_item_id from audit_checklist_items where audit_id = ? order by position',
      next,
    );
    const source = await rows<{ id: number; question: string; question_id: number }>(
      t,
      'select id, question, question_id from audit_checklist_items where audit_id = ? order by position',
      previous,
    );
    expect(copied).toEqual(
      source.map((s) => ({
        procedure_id: f.p1,
        clause: '8.5.1',
        question: s.question,
        question_id: s.question_id,
        question_revision: 1,
        result: null,
        evidence: '',
        statement: '',
        found_on: null,
        assessed_by: null,
        copied_from_item_id: s.id,
      })),
    );
    const page = await qo.get(`/audits/${next}/checklist`);
    expect(page.text).toContain(`Lần trước (${code})`);
    expect(page.text).toContain(statement);
    expect(page.text).toContain('Điểm không phù hợp nhẹ');
    const ids = await rows<{ id: number }>(t, 'select id from audit_checklist_items where audit_id = ? order by position', next);
    expect((await qo.get(`/audits/${next}/checklist/${ids[0].id}`)).text).toContain(statement);
    const found = await previousFindingsByItem(scopedDb(t.ctx.db, 1), next);
    expect([...found.entries()]).toEqual([
      [ids[0].id, { grade: 'minor_nc', statement, auditCode: code }],
      [ids[1].id, { grade: 'conform', statement: '', auditCode: code }],
    ]);

    const again = await qo.post(`/audits/${next}/checklist/copy`, {});
    expect(again.status).toBe(422);
    expect(again.text).toContain('Phiếu kiểm tra đã có câu hỏi; chỉ chép từ cuộc đánh giá trước khi phiếu còn trống.');
    const other = idFromLocation((await qo.post('/audits', auditForm(f, { procedure_ids: [String(f.p1)], clauses: ['8.7'] }))).headers.location);
    const none = await qo.post(`/audits/${other}/checklist/copy`, {});
    expect(none.status).toBe(422);
    expect(none.text).toContain('Không có cuộc đánh giá trước nào có cùng quy trình và điều khoản và đã có phiếu kiểm tra.');
    expect(await one(t, 'select count(*) as n from audit_checklist_items where audit_id = ?', other)).toEqual({ n: 0 });
    expect((await auditLog(t, 'audit', next)).map((e) => e.action)).toEqual(['create', 'checklist_copy']);
  });
});

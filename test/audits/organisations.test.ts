import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countAudits } from '../../src/features/audits/audits.queries';
import { auditFiguresForProcedure, lastAuditDateForProcedure, listLastAuditDates, listUpcomingAudits } from '../../src/features/audits/audits.report.queries';
import { onPostgres } from '../support/engine';
import { plansOf } from '../support/plans';
import { createTestApp, rows, run, type SignedIn, type TestApp } from '../support/app';
import { addOrganisation, type OtherOrganisation } from '../support/orgs';
import { addProcedure, auditForm, fixture, idFromLocation, type Fixture } from './support';

/**
 * Audits per organisation (issue 22): organisation A (the test app's) and B each run their own audits, programmes,
 * checklists and templates, made through their own users' forms. Each numbers its codes, plans its years and names its
 * templates on its own; A sees none of B's rows, gets 404 for B's pages and posts, and cannot choose B's people,
 * procedures, units, programme items or templates in its forms.
 */
let t: TestApp;
let f: Fixture;
let b: OtherOrganisation;
let qoA: SignedIn;
let qoB: SignedIn;
/** B's procedure (no owning unit: B's quality officer is independent of it), audit, checklist item, file, programme item, template. */
const B = { procedure: 0, audit: 0, item: 0, file: 0, programmeItem: 0, template: 0 };
let aAudit = 0;
let aTemplate = 0;

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082',
  'hex',
);
const QUESTIONS = '7.5.3 | Hồ sơ có được lưu đúng thời hạn không?\nCán bộ có nắm được quy trình không?';

const bAuditForm = () => ({
  type: 'internal',
  title: 'Đánh giá của tổ chức B',
  objectives: 'Xác định sự phù hợp',
  procedure_ids: [String(B.procedure)],
  clauses: ['8.5.1'],
  lead_auditor_id: String(b.users.quality_officer),
  member_ids: [String(b.users.leader)],
  unit_ids: [String(b.units.main)],
  auditee_unit_id: String(b.units.main),
  planned_start: '2026-12-01',
  planned_end: '2026-12-02',
});

beforeAll(async () => {
  t = await createTestApp();
  f = await fixture(t);
  b = await addOrganisation(t, 'SOB');
  B.procedure = await addProcedure({ ...t, ctx: b.ctx }, 'QT-SOB-01', null);
  qoA = await t.signIn('auditor');
  qoB = await t.signIn(b.usernames.quality_officer);

  const createdA = await qoA.post('/audits', auditForm(f, { title: 'Đánh giá của tổ chức A' }));
  expect(createdA.status).toBe(303);
  aAudit = idFromLocation(createdA.headers.location);
  const createdB = await qoB.post('/audits', bAuditForm());
  expect(createdB.status).toBe(303);
  B.audit = idFromLocation(createdB.headers.location);
  expect((await qoB.post(`/audits/${B.audit}/checklist/generate`)).status).toBe(303);
  expect((await qoB.post(`/audits/${B.audit}/start`, { actual_start: '2026-11-24', version: '1' })).status).toBe(303);
  [{ id: B.item }] = await rows<{ id: number }>(t, 'select id from audit_checklist_items where audit_id = ?', B.audit);
  const upload = await qoB.agent.post(`/audits/${B.audit}/checklist/${B.item}/files`).field('_csrf', qoB.csrf).attach('file', PNG, 'bằng chứng.png');
  expect(upload.status).toBe(303);
  [{ id: B.file }] = await rows<{ id: number }>(t, 'select id from audit_evidence_files where audit_id = ?', B.audit);

  for (const [who, year] of [
    [qoA, '2026'],
    [qoB, '2026'],
    [qoB, '2027'],
  ] as const) {
    expect((await who.post('/audits/programmes', { year, objectives: 'Đánh giá mọi quy trình' })).status).toBe(303);
  }
  const item = { title: 'Đánh giá kế hoạch của B', month: '3', audit_type: 'internal', procedure_ids: [String(B.procedure)], clauses: ['8.5'] };
  expect((await qoB.post('/audits/programmes/2026/items', { ...item, unit_ids: [String(b.units.main)] })).status).toBe(303);
  [{ id: B.programmeItem }] = await rows<{ id: number }>(t, 'select id from audit_programme_items where organisation_id = ?', b.id);

  for (const who of [qoA, qoB]) expect((await who.post('/audits/templates', { name: 'Mẫu TTHC', questions: QUESTIONS })).status).toBe(303);
  [{ id: aTemplate }, { id: B.template }] = await rows<{ id: number }>(t, 'select id from audit_checklist_templates order by organisation_id');
});
afterAll(async () => t?.close());

describe('audits in two organisations', () => {
  it('number codes, plan years and name templates per organisation, each row stored with its organisation', async () => {
    expect(await rows(t, 'select organisation_id, code, title from audits order by organisation_id')).toEqual([
      { organisation_id: 1, code: 'ĐGNB-2026-01', title: 'Đánh giá của tổ chức A' },
      { organisation_id: b.id, code: 'ĐGNB-2026-01', title: 'Đánh giá của tổ chức B' },
    ]);
    expect(await rows(t, 'select organisation_id, prefix, year, last_no from audit_code_counters order by organisation_id')).toEqual([
      { organisation_id: 1, prefix: 'ĐGNB', year: 2026, last_no: 1 },
      { organisation_id: b.id, prefix: 'ĐGNB', year: 2026, last_no: 1 },
    ]);
    for (const table of ['audit_procedures', 'audit_units', 'audit_clauses', 'audit_team_members', 'audit_checklist_items', 'audit_evidence_files']) {
      expect(await rows(t, `select distinct organisation_id from ${table} where audit_id = ?`, B.audit), table).toEqual([{ organisation_id: b.id }]);
    }
    expect(await rows(t, 'select user_id from audit_team_members where audit_id = ?', B.audit)).toEqual([{ user_id: b.users.leader }]);
    expect(await rows(t, 'select organisation_id, year from audit_programmes order by organisation_id, year')).toEqual([
      { organisation_id: 1, year: 2026 },
      { organisation_id: b.id, year: 2026 },
      { organisation_id: b.id, year: 2027 },
    ]);
    expect(await rows(t, 'select organisation_id from audit_programme_items')).toEqual([{ organisation_id: b.id }]);
    expect(await rows(t, 'select organisation_id, name from audit_checklist_templates order by organisation_id')).toEqual([
      { organisation_id: 1, name: 'Mẫu TTHC' },
      { organisation_id: b.id, name: 'Mẫu TTHC' },
    ]);
    expect(await rows(t, 'select distinct organisation_id from audit_checklist_template_questions where template_id = ?', B.template)).toEqual([
      { organisation_id: b.id },
    ]);
    // A second programme of a year and a second template of a name are still refused within one organisation.
    expect((await qoB.post('/audits/programmes', { year: '2027' })).status).toBe(422);
    expect((await qoB.post('/audits/templates', { name: 'Mẫu TTHC', questions: 'Câu' })).status).toBe(422);
  });

  it("keep B's audits, programmes and templates out of A's lists, counts, figures and forms", async () => {
    const list = await qoA.get('/audits');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Đánh giá của tổ chức A');
    expect(list.text).not.toContain('Đánh giá của tổ chức B');
    expect(list.text).toContain('Tổng số: 1');
    expect(await countAudits(t.ctx.db, {})).toBe(1);
    expect(await countAudits(b.ctx.db, {})).toBe(1);
    const programmes = await qoA.get('/audits/programmes');
    expect(programmes.text).toContain('/audits/programmes/2026');
    expect(programmes.text).not.toContain('/audits/programmes/2027');
    const programme = await qoA.get('/audits/programmes/2026');
    expect(programme.status).toBe(200);
    expect(programme.text).not.toContain('Đánh giá kế hoạch của B');
    const coverage = await qoA.get('/audits/programmes/2026/coverage');
    expect(coverage.status).toBe(200);
    expect(coverage.text).toContain('QT-A-01');
    expect(coverage.text).not.toContain('QT-SOB-01');
    const templates = await qoA.get('/audits/templates');
    expect(templates.text).toContain(`/audits/templates/${aTemplate}`);
    expect(templates.text).not.toContain(`/audits/templates/${B.template}"`);
    const form = await qoA.get('/audits/new');
    expect(form.status).toBe(200);
    expect(form.text).toContain('Chuyên gia auditor');
    expect(form.text).not.toContain('SOB');
    const checklist = await qoA.get(`/audits/${aAudit}/checklist`);
    // One template offered (both are named "Mẫu TTHC", with 2 questions): A's own.
    expect(checklist.text.match(/Mẫu TTHC \(2\)/g)).toHaveLength(1);

    expect((await listUpcomingAudits(t.ctx.db, '2026-11-26', 10)).map((a) => a.id)).toEqual([aAudit]);
    expect((await listUpcomingAudits(b.ctx.db, '2026-11-26', 10)).map((a) => a.id)).toEqual([B.audit]);
    expect(await lastAuditDateForProcedure(t.ctx.db, B.procedure, '2026-12-31')).toBeUndefined();
    expect(await lastAuditDateForProcedure(b.ctx.db, B.procedure, '2026-12-31')).toBe('2026-11-24');
    expect([...(await listLastAuditDates(t.ctx.db, '2026-12-31'))]).toEqual([]);
    expect([...(await listLastAuditDates(b.ctx.db, '2026-12-31'))]).toEqual([[B.procedure, '2026-11-24']]);
    expect((await auditFiguresForProcedure(t.ctx.db, B.procedure, '2026-01-01', '2026-12-31')).count).toBe(0);
    expect((await auditFiguresForProcedure(b.ctx.db, B.procedure, '2026-01-01', '2026-12-31')).count).toBe(1);
  });

  it("answer 404 to A's users for B's audit, checklist, evidence, programme and template pages, and for posts to them", async () => {
    const before = await rows(t, 'select version, status, title from audits where id = ?', B.audit);
    const gets = [
      `/audits/${B.audit}`,
      `/audits/${B.audit}/edit`,
      `/audits/${B.audit}/checklist`,
      `/audits/${B.audit}/checklist/${B.item}`,
      `/audits/${B.audit}/files/${B.file}`,
      `/audits/${B.audit}/report`,
      `/audits/${B.audit}/follow-up`,
      '/audits/programmes/2027',
      '/audits/programmes/2027/coverage',
      '/audits/programmes/2027/items/new',
      `/audits/programmes/2026/items/${B.programmeItem}/edit`,
      `/audits/templates/${B.template}`,
      `/audits/templates/${B.template}/edit`,
    ];
    for (const path of gets) expect((await qoA.get(path)).status, `GET ${path}`).toBe(404);
    const posts: [string, Record<string, string | string[]>][] = [
      [`/audits/${B.audit}`, { ...auditForm(f), version: '2' }],
      [`/audits/${B.audit}/start`, { actual_start: '2026-11-24', version: '2' }],
      [`/audits/${B.audit}/cancel`, { reason: 'Không cần', version: '2' }],
      [`/audits/${B.audit}/conclusion`, { conclusion: 'Kết luận của A', version: '2' }],
      [`/audits/${B.audit}/issue`, { password: 'x', actual_end: '2026-11-25', version: '2' }],
      [`/audits/${B.audit}/close`, { version: '2' }],
      [`/audits/${B.audit}/checklist/generate`, {}],
      [`/audits/${B.audit}/checklist/template`, { template_id: String(aTemplate) }],
      [`/audits/${B.audit}/checklist/items`, { question: 'Câu hỏi của A' }],
      [`/audits/${B.audit}/checklist/${B.item}`, { question: 'Câu hỏi của A', result: 'conform', version: '1' }],
      [`/audits/${B.audit}/checklist/${B.item}/files`, {}],
      [`/audits/${B.audit}/follow-up`, { title: 'Theo dõi', lead_auditor_id: String(f.auditor), planned_start: '2026-12-10', planned_end: '2026-12-10' }],
      ['/audits/programmes/2027', { objectives: 'Của A', version: '1' }],
      ['/audits/programmes/2027/reopen', { reason: 'x', version: '1' }],
      ['/audits/programmes/2027/items', { title: 'Của A', month: '3', audit_type: 'internal', clauses: ['8.5'] }],
      [`/audits/programmes/2026/items/${B.programmeItem}`, { title: 'Của A', month: '3', audit_type: 'internal', clauses: ['8.5'], version: '1' }],
      [`/audits/programmes/2026/items/${B.programmeItem}/cancel`, { reason: 'x', version: '1' }],
      [`/audits/templates/${B.template}`, { name: 'Của A', questions: 'Câu', version: '1' }],
      [`/audits/templates/${B.template}/status`, { reason: 'x', version: '1' }],
    ];
    for (const [path, body] of posts) expect((await qoA.post(path, body)).status, `POST ${path}`).toBe(404);
    const leaderA = await t.signIn('leader');
    expect((await leaderA.post('/audits/programmes/2027/approve', { password: 'x', version: '1' })).status).toBe(404);

    expect(await rows(t, 'select version, status, title from audits where id = ?', B.audit)).toEqual(before);
    expect(await rows(t, 'select version, result, question from audit_checklist_items where id = ?', B.item)).toEqual([
      { version: 1, result: null, question: expect.stringContaining('QT-SOB-01') },
    ]);
    expect(await rows(t, 'select count(*) as n from audit_checklist_items where audit_id = ?', B.audit)).toEqual([{ n: 1 }]);
    expect(await rows(t, 'select version, objectives, status from audit_programmes where organisation_id = ? and year = 2027', b.id)).toEqual([
      { version: 1, objectives: 'Đánh giá mọi quy trình', status: 'draft' },
    ]);
    expect(await rows(t, 'select version, title, status from audit_programme_items where id = ?', B.programmeItem)).toEqual([
      { version: 1, title: 'Đánh giá kế hoạch của B', status: 'planned' },
    ]);
    expect(await rows(t, 'select version, name, active from audit_checklist_templates where id = ?', B.template)).toEqual([
      { version: 1, name: 'Mẫu TTHC', active: 1 },
    ]);
    expect(await rows(t, 'select count(*) as n from audits')).toEqual([{ n: 2 }]);
  });

  it("refuse B's people, procedures, units, programme items and templates in A's forms", async () => {
    const refused: [string, Record<string, string | string[]>][] = [
      ['lead_auditor_id', { lead_auditor_id: String(b.users.quality_officer) }],
      ['member_ids', { member_ids: [String(b.users.leader)] }],
      ['procedure_ids', { procedure_ids: [String(f.p1), String(B.procedure)] }],
      ['unit_ids', { unit_ids: [String(b.units.main)] }],
      ['auditee_unit_id', { auditee_unit_id: String(b.units.main) }],
      ['programme_item_id', { programme_item_id: String(B.programmeItem) }],
    ];
    for (const [field, extra] of refused) {
      const res = await qoA.post('/audits', auditForm(f, extra));
      expect(res.status, field).toBe(422);
    }
    const edit = await qoA.post(`/audits/${aAudit}`, { ...auditForm(f, { member_ids: [String(b.users.admin)] }), version: '1' });
    expect(edit.status).toBe(422);
    expect(await rows(t, 'select count(*) as n from audits where organisation_id = 1')).toEqual([{ n: 1 }]);
    expect(await rows(t, 'select last_no from audit_code_counters where organisation_id = 1')).toEqual([{ last_no: 1 }]);
    expect(await rows(t, 'select version from audits where id = ?', aAudit)).toEqual([{ version: 1 }]);
    expect(await rows(t, 'select count(*) as n from audit_team_members where user_id in (?, ?)', b.users.leader, b.users.admin)).toEqual([{ n: 1 }]);

    // A planned audit prefilled from B's programme item: not found, so the form is not prefilled.
    const prefilled = await qoA.get(`/audits/new?item=${B.programmeItem}`);
    expect(prefilled.status).toBe(200);
    expect(prefilled.text).not.toContain('Đánh giá kế hoạch của B');

    const item = { title: 'Đánh giá của A', month: '4', audit_type: 'internal', clauses: ['8.5'] };
    expect((await qoA.post('/audits/programmes/2026/items', { ...item, procedure_ids: [String(B.procedure)] })).status).toBe(422);
    expect((await qoA.post('/audits/programmes/2026/items', { ...item, unit_ids: [String(b.units.main)] })).status).toBe(422);
    expect(await rows(t, 'select count(*) as n from audit_programme_items where organisation_id = 1')).toEqual([{ n: 0 }]);

    expect((await qoA.post(`/audits/${aAudit}/checklist/template`, { template_id: String(B.template) })).status).toBe(422);
    expect((await qoA.post(`/audits/${aAudit}/checklist/items`, { question: 'Câu hỏi', procedure_id: String(B.procedure) })).status).toBe(422);
    expect(await rows(t, 'select count(*) as n from audit_checklist_items where audit_id = ?', aAudit)).toEqual([{ n: 0 }]);
  });

  it("let B's users work on B's audits only", async () => {
    const page = await qoB.get(`/audits/${B.audit}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('ĐGNB-2026-01');
    expect(page.text).toContain('QT-SOB-01');
    expect(page.text).toContain('Người dùng leader SOB');
    const list = await qoB.get('/audits');
    expect(list.text).toContain('Đánh giá của tổ chức B');
    expect(list.text).not.toContain('Đánh giá của tổ chức A');
    // The clauses each organisation's settings mark not applicable (A: 8.3, B: 8.4) are marked in its own form only.
    await run(t, `update organisation set not_applicable_clauses = '["8.4"]' where id = ?`, b.id);
    const form = await qoB.get('/audits/new');
    expect(form.text).not.toContain('Chuyên gia auditor');
    expect(form.text).not.toContain('QT-A-01');
    expect(form.text).toMatch(/8\.4[^<]*\(Không áp dụng\)/);
    expect(form.text).not.toMatch(/8\.3[^<]*\(Không áp dụng\)/);
    const formA = await qoA.get('/audits/new');
    expect(formA.text).toMatch(/8\.3[^<]*\(Không áp dụng\)/);
    expect(formA.text).not.toMatch(/8\.4[^<]*\(Không áp dụng\)/);
    expect((await qoB.get(`/audits/${aAudit}`)).status).toBe(404);
    const file = await qoB.get(`/audits/${B.audit}/files/${B.file}`).buffer(true);
    expect(file.status).toBe(200);
    expect(Buffer.compare(file.body as Buffer, PNG)).toBe(0);
    // B's template applies to B's audit, and B's programme item prefills B's form.
    expect((await qoB.post(`/audits/${B.audit}/checklist/template`, { template_id: String(B.template) })).status).toBe(303);
    expect(await rows(t, 'select distinct organisation_id from audit_checklist_items where audit_id = ?', B.audit)).toEqual([{ organisation_id: b.id }]);
    expect((await qoB.get(`/audits/new?item=${B.programmeItem}`)).text).toContain('Đánh giá kế hoạch của B');
  });
});

// SQLite-only: its EXPLAIN QUERY PLAN (PostgreSQL's plans are checked on the province data, see test/bench/README.md).
describe.skipIf(onPostgres)('the audit queries: plans', () => {
  it("read one organisation's run of the (organisation_id, …) indexes", async () => {
    const upcoming = await plansOf(t.ctx.sqlite!, (db) => listUpcomingAudits(db, '2026-11-26', 5), b.id);
    expect(upcoming).toHaveLength(1);
    expect(upcoming[0].plan.filter((l) => l.includes('audits_status_idx'))).toHaveLength(2);
    expect(upcoming[0].plan.join('\n')).toContain('USING INDEX audits_status_idx (organisation_id=? AND status=?)');
    const last = await plansOf(t.ctx.sqlite!, (db) => listLastAuditDates(db, '2026-12-31'), b.id);
    expect(last[0].plan.join('\n')).toContain('audits_actual_start_idx (organisation_id=? AND actual_start<?)');
  });
});

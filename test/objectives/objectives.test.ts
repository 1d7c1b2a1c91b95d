import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchWorkbook } from '../support/xlsx';
import { createTestApp, one, rows, run, TEST_PASSWORD, type SignedIn, type TestApp } from '../support/app';
import { fieldsWithErrors } from '../support/html';
import { addOrganisation } from '../support/orgs';
import { dossier, procedure } from '../reports/fixtures';

/**
 * Quality objectives (ISO 9001:2015 clause 6.2): written by the quality officer, read by everyone, submitted and
 * approved by a leader's electronic signature, locked once approved (the database refuses changes), amended by
 * cancelling or adding (a new approval, the history kept), manual readings with evidence corrected with a reason, the
 * pages in both languages, the print view, the exports and each organisation's own. The test clock says 2026-11-26.
 */
let t: TestApp;
let qo: SignedIn;
let leader: SignedIn;
let staff: SignedIn;
let p1: number;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');
const PLAN = {
  plan_what: 'Nhắc hạn hằng ngày',
  plan_resources: 'Phần mềm, cán bộ Một cửa',
  plan_who: 'Trưởng phòng',
  plan_when: 'Cả năm 2026',
  plan_evaluation: 'Báo cáo hằng tháng',
};
const onTime = () => ({
  year: '2026',
  objective: 'Tối thiểu 75% hồ sơ đúng hạn',
  indicator: 'on_time_rate',
  procedure_id: String(p1),
  comparison: 'gte',
  target: '75',
  unit: '',
  frequency: 'quarterly',
  owner_id: String(t.users.quality_officer),
  unit_id: '',
  ...PLAN,
});
const manual = () => ({
  ...onTime(),
  objective: 'Không quá 2 phản ánh mỗi quý',
  indicator: 'manual',
  procedure_id: '',
  comparison: 'lte',
  target: '2',
  unit: 'phản ánh',
});
const count = async (table: string) => Number((await one<{ n: number }>(t, `select count(*) as n from ${table}`))!.n);
const idOf = (location: string) => Number(/\/objectives\/(\d+)$/.exec(location)![1]);
const version = async (sqlText: string, ...params: unknown[]) => String((await one<{ version: number }>(t, sqlText, ...params))!.version);
const setVersion = () => version('select version from objective_sets where year = 2026 and organisation_id = 1');

function reading(who: SignedIn, objectiveId: number, fields: Record<string, string>, file?: { body: Buffer; name: string }) {
  let req = who.agent.post(`/objectives/${objectiveId}/readings`).field('_csrf', who.csrf);
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  if (file) req = req.attach('file', file.body, file.name);
  return req;
}

beforeAll(async () => {
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
  leader = await t.signIn('leader');
  staff = await t.signIn('staff');
  p1 = await procedure(t, 'QT-01');
  // Q1: 3 early or on time of 4 resolved (75 %); Q2: none
  await dossier(t, p1, 'H1', { received: '2026-01-05', due: '2026-01-10', returned: '2026-01-08' });
  await dossier(t, p1, 'H2', { received: '2026-01-12', due: '2026-01-20', returned: '2026-01-20' });
  await dossier(t, p1, 'H3', { received: '2026-02-01', due: '2026-02-05', returned: '2026-02-04' });
  await dossier(t, p1, 'H4', { received: '2026-03-01', due: '2026-03-05', returned: '2026-03-10' });
});
afterAll(async () => t?.close());

describe('quality objectives', () => {
  let computedId: number;
  let manualId: number;

  it('refuses bad input next to its field (422) and stores nothing', async () => {
    const cases: [Record<string, string>, string[]][] = [
      [{ ...onTime(), objective: ' ' }, ['objective']],
      [{ ...onTime(), target: 'chín lăm' }, ['target']],
      [{ ...onTime(), target: '101' }, ['target']],
      [{ ...onTime(), indicator: 'citizen_satisfaction' }, ['indicator']],
      [{ ...manual(), unit: '' }, ['unit']],
      [{ ...manual(), procedure_id: String(p1) }, ['procedure_id']],
      [{ ...onTime(), plan_what: '', plan_evaluation: '' }, ['plan_evaluation', 'plan_what']],
      [{ ...onTime(), owner_id: '999999' }, ['owner_id']],
    ];
    for (const [fields, errors] of cases) {
      const res = await qo.post('/objectives', fields);
      expect(res.status, JSON.stringify(fields)).toBe(422);
      expect(fieldsWithErrors(res.text).sort(), JSON.stringify(fields)).toEqual(errors);
    }
    const res = await qo.post('/objectives', { ...onTime(), target: '101' });
    expect(res.text).toContain('Chỉ số tính tự động là phần trăm: chỉ tiêu không quá 100.');
    expect(await count('quality_objectives')).toBe(0);
    expect(await count('objective_sets')).toBe(0);
  });

  it('creates objectives in one audited change; everyone reads them, only the quality officer and admin write', async () => {
    const a = await qo.post('/objectives', { ...onTime(), target: '75,5' });
    expect(a.status).toBe(303);
    computedId = idOf(a.headers.location);
    const b = await qo.post('/objectives', manual());
    expect(b.status).toBe(303);
    manualId = idOf(b.headers.location);
    expect(await one(t, 'select seq, target, unit, organisation_id, locked, status from quality_objectives where id = ?', computedId)).toEqual({
      seq: 1,
      target: 75.5,
      unit: '%',
      organisation_id: 1,
      locked: 0,
      status: 'active',
    });
    const [entry] = await rows<{ action: string }>(t, "select action from audit_log where entity = 'quality_objective' and entity_id = ?", String(computedId));
    expect(entry.action).toBe('create');
    // fix the target back to 75 while it is a draft
    const edit = await qo.post(`/objectives/${computedId}`, { ...onTime(), version: '1' });
    expect(edit.status).toBe(422); // the year is not a field of the edit form
    const { year: _year, ...fields } = onTime();
    expect((await qo.post(`/objectives/${computedId}`, { ...fields, version: '1' })).status).toBe(303);
    expect(Number((await one<{ target: number }>(t, 'select target from quality_objectives where id = ?', computedId))!.target)).toBe(75);

    for (const path of ['/objectives', `/objectives/${computedId}`, '/objectives/approval?year=2026', '/objectives/print?year=2026'])
      expect((await staff.get(path)).status, path).toBe(200);
    expect((await staff.get('/objectives/new')).status).toBe(403);
    expect((await staff.post('/objectives', manual())).status).toBe(403);
    expect((await leader.post('/objectives', manual())).status).toBe(403);
    expect((await staff.post(`/objectives/${computedId}/cancel`, { reason: 'x', version: '2' })).status).toBe(403);
    expect(await count('quality_objectives')).toBe(2);
    expect((await staff.get('/objectives?year=20x6')).status).toBe(400);
  });

  it('shows each objective’s figures, status and definition, in Vietnamese and in English', async () => {
    const page = await staff.get(`/objectives/${computedId}`);
    // Q1: 3 of 4 → 75 % meets ≥ 75 %; Q2, Q3, Q4 no data; the year to date 3/4 → on track
    expect(page.text).toMatch(/<tr data-period="Q1">[\s\S]*?data-value>75\u00a0%<\/td>[\s\S]*?data-ratio>3 \/ 4<\/td>[\s\S]*?✓ Đạt/);
    expect(page.text).toMatch(/<tr data-period="Q2">[\s\S]*?data-value>Chưa có số liệu<\/td>/);
    expect(page.text).toContain('data-status="on_track"');
    expect(page.text).toContain('số hồ sơ đã giải quyết trước hạn và đúng hạn trong kỳ ÷ số hồ sơ đã giải quyết trong kỳ');
    expect(page.text).toContain('<svg class="chart"');
    const en = await staff.get(`/objectives/${computedId}?lang=en`);
    expect(en.text).toContain('On track');
    expect(en.text).toContain('dossiers resolved early or on time in the period ÷ dossiers resolved in the period');
    const index = await staff.get('/objectives?year=2026&lang=vi');
    expect(index.text).toContain('data-set-status="draft"');
    expect(index.text).toMatch(/data-objective-row="1"[\s\S]*?data-year-value>75\u00a0%/);
    expect(index.text).toMatch(/data-objective-row="2"[\s\S]*?data-status="no_data"/);
  });

  it('takes no readings before approval, and no change while submitted', async () => {
    expect((await reading(qo, manualId, { period: 'Q1', value: '1' })).status).toBe(409);
    expect((await qo.post('/objectives/approval/submit?year=2026', { version: await setVersion() })).status).toBe(303);
    expect(await one(t, 'select status from objective_sets where year = 2026')).toEqual({ status: 'submitted' });
    expect((await qo.post('/objectives', manual())).status).toBe(409);
    expect((await qo.post(`/objectives/${manualId}/cancel`, { reason: 'x', version: '1' })).status).toBe(409);
  });

  it('is approved by a leader re-entering the password; the approved objectives are locked in the database', async () => {
    expect((await qo.post('/objectives/approval/approve?year=2026', { password: TEST_PASSWORD, version: await setVersion() })).status).toBe(403);
    const wrong = await leader.post('/objectives/approval/approve?year=2026', { password: 'sai mật khẩu', version: await setVersion() });
    expect(wrong.status).toBe(422);
    expect(fieldsWithErrors(wrong.text)).toEqual(['password']);
    expect(await count('objective_approvals')).toBe(0);
    const ok = await leader.post('/objectives/approval/approve?year=2026', { password: TEST_PASSWORD, version: await setVersion() });
    expect(ok.status).toBe(303);
    expect(await one(t, 'select status, revision from objective_sets where year = 2026')).toEqual({ status: 'approved', revision: 1 });
    expect(await rows(t, 'select seq, locked, approved_revision from quality_objectives order by seq')).toEqual([
      { seq: 1, locked: 1, approved_revision: 1 },
      { seq: 2, locked: 1, approved_revision: 1 },
    ]);
    expect(await one(t, "select meaning, signer_name from e_signatures where entity = 'objective_set'")).toEqual({
      meaning: 'approved',
      signer_name: 'Người dùng leader',
    });
    expect((await qo.get(`/objectives/${computedId}/edit`)).status).toBe(409);
    const { year: _year, ...fields } = onTime();
    expect((await qo.post(`/objectives/${computedId}`, { ...fields, target: '50', version: '3' })).status).toBe(409);
    await expect(run(t, 'update quality_objectives set target = 10 where id = ?', computedId)).rejects.toThrow(/approved objective does not change/);
    await expect(run(t, 'delete from quality_objectives where id = ?', computedId)).rejects.toThrow(/never deleted/);
    await expect(run(t, 'update objective_approvals set signer_name = ?', 'x')).rejects.toThrow(/never changed or deleted/);
    const page = await staff.get('/objectives/approval?year=2026');
    expect(page.text).toContain('Lần 1: Người dùng leader phê duyệt lúc');
  });

  it('records readings with evidence, one per period; a correction supersedes with a reason, nothing is lost', async () => {
    const bad = await reading(qo, manualId, { period: 'Q1', value: 'hai' });
    expect(bad.status).toBe(422);
    expect(fieldsWithErrors(bad.text)).toEqual(['value']);
    const text = await reading(qo, manualId, { period: 'Q1', value: '3' }, { body: Buffer.from('không phải bằng chứng'), name: 'a.txt' });
    expect(fieldsWithErrors(text.text)).toEqual(['file']);
    expect((await reading(qo, manualId, { period: 'Q1', value: '3', note: 'Sổ tiếp nhận' }, { body: PDF, name: 'Sổ phản ánh Q1.pdf' })).status).toBe(303);
    const again = await reading(qo, manualId, { period: 'Q1', value: '4' });
    expect(again.status).toBe(422);
    expect(fieldsWithErrors(again.text)).toEqual(['period']);
    expect((await reading(qo, manualId, { period: 'Q2', value: '1' })).status).toBe(303);
    const first = (await one<{ id: number }>(t, "select id from objective_readings where period = 'Q1'"))!.id;
    const noReason = await reading(qo, manualId, { period: 'Q1', value: '2', supersedes_id: String(first) });
    expect(noReason.status).toBe(422);
    expect(fieldsWithErrors(noReason.text)).toEqual(['reason']);
    expect((await reading(qo, manualId, { period: 'Q1', value: '2', supersedes_id: String(first), reason: 'Đếm trùng một phản ánh' })).status).toBe(303);
    expect((await reading(qo, manualId, { period: 'Q1', value: '1', supersedes_id: String(first), reason: 'Lần nữa' })).status).toBe(422);
    expect((await reading(staff, manualId, { period: 'Q3', value: '0' })).status).toBe(403);
    expect(await rows(t, 'select period, value, case when supersedes_id is null then 0 else 1 end as corrects from objective_readings order by id')).toEqual([
      { period: 'Q1', value: 3, corrects: 0 },
      { period: 'Q2', value: 1, corrects: 0 },
      { period: 'Q1', value: 2, corrects: 1 },
    ]);
    await expect(run(t, 'update objective_readings set value = 0')).rejects.toThrow(/never changed or deleted/);
    await expect(run(t, 'delete from objective_readings')).rejects.toThrow(/never changed or deleted/);
    // Q1 now 2 (≤ 2 met), Q2 1; the year's value is the latest period's (Q2: 1) → on track; the corrected 3 is kept
    const page = await staff.get(`/objectives/${manualId}`);
    expect(page.text).toMatch(/<tr data-period="Q1">[\s\S]*?data-value>2 phản ánh<\/td>/);
    expect(page.text).toContain('<s>3 phản ánh</s>');
    expect(page.text).toContain('Đếm trùng một phản ánh');
    expect(page.text).toContain('data-status="on_track"');
    const file = await staff.get(`/objectives/${manualId}/readings/${first}/file`);
    expect(file.status).toBe(200);
    expect(Buffer.from(file.body as Buffer).equals(PDF)).toBe(true);
    expect((await qo.get(`/objectives/${computedId}/readings/new?period=Q1`)).status).toBe(409);
  });

  it('amends an approved set: a cancellation with a reason and an addition need a new approval; the history is kept', async () => {
    const empty = await qo.post(`/objectives/${computedId}/cancel`, {
      reason: ' ',
      version: await version('select version from quality_objectives where id = ?', computedId),
    });
    expect(empty.status).toBe(422);
    expect(fieldsWithErrors(empty.text)).toEqual(['reason']);
    const v = await version('select version from quality_objectives where id = ?', computedId);
    expect((await qo.post(`/objectives/${computedId}/cancel`, { reason: 'Gộp vào mục tiêu chung', version: v })).status).toBe(303);
    expect(await one(t, 'select status from objective_sets where year = 2026')).toEqual({ status: 'draft' });
    const added = await qo.post('/objectives', { ...onTime(), procedure_id: '', objective: 'Tối thiểu 90% hồ sơ đúng hạn', target: '90' });
    expect(added.status).toBe(303);
    expect((await qo.post('/objectives/approval/submit?year=2026', { version: await setVersion() })).status).toBe(303);
    expect((await leader.post('/objectives/approval/approve?year=2026', { password: TEST_PASSWORD, version: await setVersion() })).status).toBe(303);
    expect(await rows(t, 'select revision, objectives, changes from objective_approvals order by revision')).toEqual([
      { revision: 1, objectives: 2, changes: '{"added":[1,2],"cancelled":[]}' },
      { revision: 2, objectives: 2, changes: '{"added":[3],"cancelled":[1]}' },
    ]);
    expect(await count("e_signatures where entity = 'objective_set'")).toBe(2);
    const page = await staff.get('/objectives/approval?year=2026');
    expect(page.text).toContain('Điều chỉnh so với lần trước: thêm MT3; hủy MT1.');
    expect((await staff.get('/objectives?year=2026')).text).toMatch(/data-cancelled-objective="1"[\s\S]*?Gộp vào mục tiêu chung/);
  });

  it('prints the year’s objectives in the administrative format, signed by the approving leader', async () => {
    const page = await staff.get('/objectives/print?year=2026');
    expect(page.status).toBe(200);
    expect(page.text).toContain('class="doc-header"');
    expect(page.text).toContain('KẾ HOẠCH');
    expect(page.text).toContain('Thực hiện mục tiêu chất lượng năm 2026');
    expect(page.text).toMatch(/class="number">Số: ……\/KH-LĐTBXH</);
    expect(page.text).toMatch(/class="signer-title">TRƯỞNG PHÒNG</);
    expect(page.text).toContain('Người dùng leader');
    expect(page.text).not.toContain('data-draft');
    expect([...page.text.matchAll(/data-print-row="(\d+)"/g)].map((m) => m[1])).toEqual(['2', '3']);
    expect((await staff.get('/objectives/print?year=2025')).text).toContain('data-draft');
  });

  it('exports the year as CSV and XLSX with each objective’s figures', async () => {
    const csv = await staff.get('/objectives.csv?year=2026');
    expect(csv.status).toBe(200);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe(
      'year,no,unitCode,objective,indicator,indicatorLabel,procedureCode,comparison,target,unit,frequency,owner,planWhat,planResources,planWho,planWhen,planEvaluation,yearValue,numerator,denominator,status,statusLabel,state,cancelReason',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^2026,2,,Không quá 2 phản ánh mỗi quý,manual,.*,<=,2,phản ánh,quarterly,.*,1,,,on_track,Đúng tiến độ,Đã phê duyệt,$/);
    expect(lines[2]).toMatch(/^2026,3,,Tối thiểu 90% hồ sơ đúng hạn,on_time_rate,.*,>=,90,%,quarterly,.*,75,3,4,not_met,Chưa đạt,Đã phê duyệt,$/);
    expect(lines[3]).toMatch(/^2026,1,.*,Đã hủy,Gộp vào mục tiêu chung$/);
    const xlsx = await fetchWorkbook(staff, '/objectives.xlsx?year=2026&lang=en');
    expect(xlsx.status).toBe(200);
    const wb = xlsx.wb!;
    expect(wb.worksheets[0].getRow(1).getCell(4).value).toBe('Objective');
    expect(wb.worksheets[0].getRow(3).getCell(18).value).toBe(75);
    const periods = wb.worksheets[1];
    expect(periods.getRow(1).getCell(2).value).toBe('Period');
    expect(periods.getRow(2).values).toEqual(
      [undefined, 2, 'Quarter 1', '2026-01-01', '2026-03-31', 2, null, null, 'Yes'].map((v) => (v === null ? undefined : v)),
    );
  });

  it("keeps each organisation's own: another organisation's objectives answer 404 and are not listed", async () => {
    const b = await addOrganisation(t, 'ORGB');
    const bOfficer = await t.signIn(b.usernames.quality_officer);
    const res = await bOfficer.post('/objectives', { ...manual(), owner_id: String(b.users.quality_officer), objective: 'Mục tiêu của B' });
    expect(res.status).toBe(303);
    const id = idOf(res.headers.location);
    expect(await one(t, 'select organisation_id from quality_objectives where id = ?', id)).toEqual({ organisation_id: b.id });
    for (const path of [`/objectives/${id}`, `/objectives/${id}/edit`]) expect((await qo.get(path)).status, path).toBe(404);
    expect((await qo.post(`/objectives/${id}/cancel`, { reason: 'x', version: '1' })).status).toBe(404);
    expect((await qo.get('/objectives?year=2026')).text).not.toContain('Mục tiêu của B');
    expect((await qo.get('/objectives.csv?year=2026')).text).not.toContain('Mục tiêu của B');
    // A's owner is not B's to choose
    expect(fieldsWithErrors((await bOfficer.post('/objectives', { ...manual(), owner_id: String(t.users.quality_officer) })).text)).toEqual(['owner_id']);
  });
});

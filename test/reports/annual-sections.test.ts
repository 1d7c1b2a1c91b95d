import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchWorkbook } from '../support/xlsx';
import { computeAnnualFigures } from '../../src/features/reports/reports.annual.figures';
import { lateCauses } from '../../src/features/reports/reports.annual.sections';
import { annualPeriod } from '../../src/features/reports/reports.periods';
import { createTestApp, one, rows, TEST_PASSWORD, type SignedIn, type TestApp } from '../support/app';
import { fieldsWithErrors } from '../support/html';
import { buildScenario, run } from './fixtures';

/**
 * The annual report, complete (issue 23): the reporting period as a setting, and the sections other features keep —
 * the declarations, the year's objectives and results, the risks treated, the causes of late dossiers as the
 * nonconformities covering them record them — computed for the period, shown with an editable narrative each, and
 * frozen when the report is issued. On the reports' fixtures (today 2026-11-26; D4 is the one dossier resolved late)
 * plus the rows inserted below; every figure is counted by hand in the comments.
 */
let t: TestApp;
let quality: SignedIn;
let leader: SignedIn;
let admin: SignedIn;
let ncs: number[];

const declaration = (no: string, on: string, kind: string, procedures: number, status = 'recorded') =>
  run(
    t,
    `insert into qms_declarations (organisation_id, kind, decision_no, decided_on, signer_name, signer_title, note, scope, status, cancel_reason, cancelled_at, created_at)
     values (1, ?, ?, ?, 'Trần Văn Hùng', 'CHỦ TỊCH', '', ?, ?, ?, ?, 'now')`,
    kind,
    no,
    on,
    JSON.stringify(Array.from({ length: procedures }, (_, i) => ({ code: `P${i}`, title: `Quy trình ${i}`, kind: 'administrative' }))),
    status,
    status === 'cancelled' ? 'Ghi nhầm' : null,
    status === 'cancelled' ? 'now' : null,
  );

const risk = (code: string, kind: string, over: Record<string, unknown>) => {
  const r = {
    likelihood: 3,
    impact: 3,
    level: 'medium',
    treatment: kind === 'risk' ? 'reduce' : 'pursue',
    identified_on: '2026-02-01',
    review_due: '2026-12-31',
    residual_likelihood: null,
    residual_impact: null,
    residual_level: null,
    status: 'open',
    closed_on: null,
    close_reason: null,
    ...over,
  };
  return run(
    t,
    `insert into risks (organisation_id, code, kind, process, description, likelihood, impact, level, treatment, owner_id, identified_on, review_due,
       residual_likelihood, residual_impact, residual_level, status, closed_on, close_reason, created_at, updated_at)
     values (1, ?, ?, 'Một cửa', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'now', 'now')`,
    code,
    kind,
    `Mô tả ${code}`,
    r.likelihood,
    r.impact,
    r.level,
    r.treatment,
    t.users.staff,
    r.identified_on,
    r.review_due,
    r.residual_likelihood,
    r.residual_impact,
    r.residual_level,
    r.status,
    r.closed_on,
    r.close_reason,
  );
};
const riskId = async (code: string) => (await one<{ id: number }>(t, 'select id from risks where code = ?', code))!.id;

beforeAll(async () => {
  t = await createTestApp();
  await buildScenario(t);
  quality = await t.signIn('quality_officer');
  leader = await t.signIn('leader');
  admin = await t.signIn('admin');
  ncs = (await rows<{ id: number }>(t, 'select id from nonconformities order by id')).map((r) => r.id);

  // Declarations: 2025-03-01 (2 procedures), 2025-12-20 (3), 2026-05-10 (4, in force), 2026-06-01 cancelled (5).
  await declaration('10/QĐ', '2025-03-01', 'declaration', 2);
  await declaration('20/QĐ', '2025-12-20', 're_declaration', 3);
  await declaration('30/QĐ', '2026-05-10', 're_declaration', 4);
  await declaration('40/QĐ', '2026-06-01', 're_declaration', 5, 'cancelled');

  // Risks: R1 identified 2026-02-01, reviewed twice in 2026 (effective, then not effective), residual high;
  // R2 identified 2025-11-10 (before the year), untreated; R3 an opportunity identified 2026-03-01; R4 closed.
  await risk('R1', 'risk', { level: 'very_high', likelihood: 4, impact: 4, residual_likelihood: 3, residual_impact: 4, residual_level: 'high' });
  await risk('R2', 'risk', { identified_on: '2025-11-10', treatment: null });
  await risk('R3', 'opportunity', { identified_on: '2026-03-01' });
  await risk('R4', 'risk', { identified_on: '2026-04-01', status: 'closed', closed_on: '2026-05-01', close_reason: 'Thủ tục bãi bỏ' });
  const r1 = await riskId('R1');
  for (const [on, effectiveness] of [
    ['2025-12-01', 'effective'], // before the year: not counted
    ['2026-03-01', 'effective'],
    ['2026-09-01', 'not_effective'],
  ])
    await run(
      t,
      `insert into risk_reviews (organisation_id, risk_id, reviewed_on, reviewer_id, likelihood, impact, level, effectiveness, note, next_review, created_at)
       values (1, ?, ?, ?, 3, 4, 'high', ?, 'Ghi chú', '2026-12-31', 'now')`,
      r1,
      on,
      t.users.quality_officer,
      effectiveness,
    );
  // Risk actions: done 2026-04-10 (counted), done 2025-12-20 (before the year), open.
  for (const [status, completed] of [
    ['done', '2026-04-10'],
    ['done', '2025-12-20'],
    ['planned', null],
  ])
    await run(
      t,
      `insert into nc_actions (risk_id, type, kind, description, owner_id, due_date, status, completed_on, version, created_at, updated_at, organisation_id)
       values (?, 'risk', 'general', 'Hành động', ?, '2026-12-31', ?, ?, 1, 'now', 'now', 1)`,
      r1,
      t.users.staff,
      status,
      completed,
    );

  // The late dossier D4 is covered by NC2 (cause: method) and by NC6 (rejected: not a cover); D1 (early) by NC3.
  const link = async (dossier: string, nc: number) =>
    run(
      t,
      `insert into nonconformity_dossiers (nonconformity_id, dossier_id, created_at, organisation_id) select ?, id, 'now', 1 from dossiers where code = ?`,
      nc,
      dossier,
    );
  await run(t, "update nonconformities set cause_category = 'method', root_cause = 'Chờ xác minh tại xã' where id = ?", ncs[1]);
  await link('D4', ncs[1]);
  await link('D4', ncs[5]);
  await link('D1', ncs[2]);

  // Objectives of 2026: MT1 manual ≥ 90 % with Q1 95 and Q3 85 (the latest, not met); MT2 manual without readings; MT3 cancelled.
  await run(t, "insert into objective_sets (organisation_id, year, status, created_at, updated_at) values (1, 2026, 'draft', 'now', 'now')");
  const set = (await one<{ id: number }>(t, 'select id from objective_sets where year = 2026'))!.id;
  const objective = (seq: number, text: string, status = 'active') =>
    run(
      t,
      `insert into quality_objectives (organisation_id, set_id, year, seq, objective, indicator, comparison, target, unit, frequency, owner_id,
         plan_what, plan_resources, plan_who, plan_when, plan_evaluation, status, cancel_reason, cancelled_at, created_at, updated_at)
       values (1, ?, 2026, ?, ?, 'manual', 'gte', 90, '%', 'quarterly', ?, '', '', '', '', '', ?, ?, ?, 'now', 'now')`,
      set,
      seq,
      text,
      t.users.quality_officer,
      status,
      status === 'cancelled' ? 'Không còn phù hợp' : null,
      status === 'cancelled' ? 'now' : null,
    );
  await objective(1, 'Tỷ lệ người dân hài lòng');
  await objective(2, 'Tỷ lệ hồ sơ số hóa');
  await objective(3, 'Mục tiêu đã hủy', 'cancelled');
  const mt1 = (await one<{ id: number }>(t, 'select id from quality_objectives where seq = 1'))!.id;
  for (const [period, value] of [
    ['Q1', 95],
    ['Q3', 85],
  ])
    await run(
      t,
      `insert into objective_readings (organisation_id, objective_id, period, value, recorded_by, recorded_at) values (1, ?, ?, ?, ?, 'now')`,
      mt1,
      period,
      value,
      t.users.quality_officer,
    );
});
afterAll(async () => t.close());

describe('the reporting period (known answers)', () => {
  it('is the calendar year, or 15 December of the year before to 14 December; ended today while it runs', () => {
    expect(annualPeriod(2025, '2026-11-26', 'calendar')).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    expect(annualPeriod(2025, '2026-11-26', 'dec15')).toEqual({ from: '2024-12-15', to: '2025-12-14' });
    expect(annualPeriod(2026, '2026-11-26', 'dec15')).toEqual({ from: '2025-12-15', to: '2026-11-26' });
    expect(annualPeriod(2026, '2026-11-26', 'calendar')).toEqual({ from: '2026-01-01', to: '2026-11-26' });
  });

  it('groups the late dossiers covered by their nonconformities’ cause categories', () => {
    const out = lateCauses({
      late: 7,
      covered: 5,
      ncs: [
        { code: 'A', title: 'a', cause_category: 'method', root_cause: null, dossiers: 2 },
        { code: 'B', title: 'b', cause_category: null, root_cause: null, dossiers: 1 },
        { code: 'C', title: 'c', cause_category: 'method', root_cause: null, dossiers: 1 },
        { code: 'D', title: 'd', cause_category: 'people', root_cause: null, dossiers: 3 },
      ],
    });
    expect(out.byCause).toEqual([
      { cause: 'method', dossiers: 3 },
      { cause: 'people', dossiers: 3 },
      { cause: 'none', dossiers: 1 },
    ]);
    expect([out.late, out.covered]).toEqual([7, 5]);
  });
});

describe('the sections of the year (known answers)', () => {
  it('counts each section for the calendar year 2026', async () => {
    const f = await computeAnnualFigures(t.ctx.db, 2026, '2026-11-26', 'Asia/Ho_Chi_Minh');
    expect(f.periodKind).toBe('calendar');
    // in force at the end: 30/QĐ (the cancelled 40/QĐ is no declaration); decided in 2026: 30/QĐ only
    expect(f.declarations).toEqual({
      inForce: { decisionNo: '30/QĐ', decidedOn: '2026-05-10', kind: 're_declaration', procedures: 4 },
      inPeriod: [{ decisionNo: '30/QĐ', decidedOn: '2026-05-10', kind: 're_declaration', procedures: 4 }],
    });
    // MT1: latest reading Q3 85 < 90 → not met (the year runs); MT2: no reading → no data; MT3 cancelled: left out
    expect(f.objectives).toEqual({
      total: 2,
      met: 0,
      onTrack: 0,
      notMet: 1,
      noData: 1,
      items: [
        { seq: 1, objective: 'Tỷ lệ người dân hài lòng', comparison: 'gte', target: 90, unit: '%', value: 85, status: 'not_met' },
        { seq: 2, objective: 'Tỷ lệ hồ sơ số hóa', comparison: 'gte', target: 90, unit: '%', value: null, status: 'no_data' },
      ],
    });
    // identified in 2026: R1, R3, R4 = 3; reviews in 2026: 2 (of R1: 1 risk), 1 effective, 1 not; actions done in 2026: 1;
    // open now: risks R1, R2 = 2, opportunity R3 = 1; without treatment: R2; high residual: R1
    expect(f.risks).toEqual({
      identified: 3,
      reviews: 2,
      reviewed: 1,
      effective: 1,
      partlyEffective: 0,
      notEffective: 1,
      actionsDone: 1,
      openRisks: 2,
      openOpportunities: 1,
      withoutTreatment: 1,
      highResidual: 1,
    });
    // late in 2026: D4 = 1, covered by NC2 (NC6 is rejected, D1 was early)
    const nc2 = (await one<{ code: string; title: string }>(t, 'select code, title from nonconformities where id = ?', ncs[1]))!;
    expect(f.lateCauses).toEqual({
      late: 1,
      covered: 1,
      byCause: [{ cause: 'method', dossiers: 1 }],
      ncs: [{ code: nc2.code, title: nc2.title, cause_category: 'method', root_cause: 'Chờ xác minh tại xã', dossiers: 1 }],
    });
    expect(f.dossiers.late).toBe(f.lateCauses!.late);
  });

  it('shows every section on the report page with its figures, in both languages', async () => {
    const page = await quality.get('/reports/annual/2026');
    expect(page.status).toBe(200);
    for (const heading of [
      'I. Tổ chức và phạm vi áp dụng HTQLCL',
      'II. Công bố, công bố lại HTQLCL phù hợp TCVN ISO 9001:2015',
      'IV. Đào tạo, tuyên truyền về HTQLCL',
      'VI. Xem xét của lãnh đạo',
      'VII. Mục tiêu chất lượng và kết quả thực hiện',
      'VIII. Xử lý rủi ro và cơ hội',
      'X. Sự hài lòng và phản ánh, kiến nghị của người dân',
      'XII. Đánh giá chung',
      'XIII. Phương hướng, kế hoạch năm tiếp theo',
    ])
      expect(page.text, heading).toContain(heading);
    expect(page.text).toContain('HTQLCL đang áp dụng theo Quyết định công bố số 30/QĐ ngày 10/05/2026, phạm vi 4 quy trình.');
    expect(page.text).toContain('2 mục tiêu: 0 đạt, 0 đúng tiến độ, 1 chưa đạt, 1 chưa có số liệu.');
    expect(page.text).toContain('data-figure="risks.identified">3<');
    expect(page.text).toContain('data-figure="risks.highResidual">1<');
    expect(page.text).toContain('1 hồ sơ giải quyết trễ hạn; 1 hồ sơ đã được lập sự không phù hợp để phân tích nguyên nhân.');
    expect(page.text).toContain('Chờ xác minh tại xã');
    const en = await quality.get('/reports/annual/2026?lang=en');
    expect(en.text).toContain('VIII. Risks and opportunities treated');
    expect(en.text).toContain('2 objectives: 0 met, 0 on track, 1 not met, 1 without data.');
    await quality.get('/reports/annual/2026?lang=vi'); // the choice stays with the session: back to Vietnamese
  });
});

describe('the period setting and the narratives', () => {
  it('lets the admin set the reporting regime’s period, which the report then counts over', async () => {
    const form = await admin.get('/admin/organisation');
    expect(form.text).toContain('name="annual_period"');
    const version = String((await one<{ version: number }>(t, 'select version from organisation where id = 1'))!.version);
    const fields = {
      name: 'Phòng Lao động - Thương binh và Xã hội',
      time_zone: 'Asia/Ho_Chi_Minh',
      revision_signers: '3',
      version,
    };
    const bad = await admin.post('/admin/organisation', { ...fields, annual_period: 'weekly' });
    expect(bad.status).toBe(422);
    expect(fieldsWithErrors(bad.text)).toEqual(['annual_period']);
    expect((await admin.post('/admin/organisation', { ...fields, annual_period: 'dec15' })).status).toBe(303);
    expect((await one<{ p: string }>(t, 'select annual_period as p from organisation where id = 1'))!.p).toBe('dec15');
    const entry = (await one<{ new_values: string }>(
      t,
      "select new_values from audit_log where entity = 'organisation' and action = 'update' order by id desc limit 1",
    ))!;
    expect(JSON.parse(entry.new_values)).toMatchObject({ annual_period: 'dec15' });
    const f = await computeAnnualFigures(t.ctx.db, 2026, '2026-11-26', 'Asia/Ho_Chi_Minh');
    expect(f.period).toEqual({ from: '2025-12-15', to: '2026-11-26' });
    // 20/QĐ of 2025-12-20 now falls in the period
    expect(f.declarations!.inPeriod.map((d) => d.decisionNo)).toEqual(['20/QĐ', '30/QĐ']);
    expect((await quality.get('/reports/annual/2026')).text).toContain('15/12/2025');
  });

  it('saves a narrative for each section, and freezes every section when the report is issued', async () => {
    const narratives: Record<string, string> = {
      narrative_training: 'Tổ chức 01 lớp phổ biến TCVN ISO 9001:2015.',
      narrative_reviews: 'Họp xem xét của lãnh đạo 02 lần.',
      narrative_satisfaction: 'Không có phản ánh.',
      narrative_advantages: 'Lãnh đạo quan tâm.',
      narrative_difficulties: 'Cán bộ kiêm nhiệm.',
      narrative_causes: 'Biên chế hạn chế.',
      narrative_plan: 'Đánh giá nội bộ 02 đợt.',
    };
    const long = await quality.post('/reports/annual/2026', { ...narratives, narrative_plan: 'x'.repeat(4001) });
    expect(long.status).toBe(422);
    expect(fieldsWithErrors(long.text)).toEqual(['narrative_plan']);
    expect((await quality.post('/reports/annual/2026', narratives)).status).toBe(303);
    const page = await quality.get('/reports/annual/2026');
    for (const text of Object.values(narratives)) expect(page.text).toContain(text);
    expect(page.text).toContain('Khó khăn, hạn chế');
    const version = String((await one<{ version: number }>(t, 'select version from annual_reports where year = 2026'))!.version);
    expect((await leader.post('/reports/annual/2026/issue', { password: TEST_PASSWORD, version })).status).toBe(303);
    const frozen = JSON.parse((await one<{ f: string }>(t, 'select figures_json as f from annual_reports where year = 2026'))!.f) as Record<string, unknown>;
    expect(frozen).toMatchObject({ periodKind: 'dec15', risks: { identified: 3 }, lateCauses: { late: 1, covered: 1 } });
    // a later declaration does not change the issued report
    await declaration('50/QĐ', '2026-11-20', 're_declaration', 6);
    const after = await quality.get('/reports/annual/2026');
    expect(after.text).toContain('Quyết định công bố số 30/QĐ');
    expect(after.text).not.toContain('50/QĐ');
  });

  it('exports every figure of the issued report as CSV and XLSX, each section in the report’s order', async () => {
    const csv = await quality.get('/reports/annual/2026/figures.csv');
    expect(csv.status).toBe(200);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe('section,figure,label,value');
    expect(lines).toContain('Kỳ báo cáo,from,Từ ngày,2025-12-15');
    expect(lines).toContain('"II. Công bố, công bố lại HTQLCL phù hợp TCVN ISO 9001:2015",inForce,Quyết định công bố đang áp dụng,30/QĐ (2026-05-10)');
    expect(lines).toContain('VIII. Xử lý rủi ro và cơ hội,identified,Nhận diện mới,3');
    expect(lines).toContain('VII. Mục tiêu chất lượng và kết quả thực hiện,MT1,Tỷ lệ người dân hài lòng,85');
    expect(lines).toContain('Nguyên nhân hồ sơ trễ hạn,cause.method,"Phương pháp, cách làm",1');
    const sections = lines.slice(1).map((l) => l.split(',')[0]);
    expect(sections.indexOf('VIII. Xử lý rủi ro và cơ hội')).toBeLessThan(sections.indexOf('XI. Kết quả giải quyết hồ sơ thủ tục hành chính'));
    const xlsx = await fetchWorkbook(quality, '/reports/annual/2026/figures.xlsx?lang=en');
    expect(xlsx.status).toBe(200);
    const wb = xlsx.wb!;
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).values).toEqual([undefined, 'Section', 'Figure', 'Label', 'Value']);
    const risk = ws.getSheetValues().find((r) => Array.isArray(r) && r[2] === 'identified') as unknown[];
    expect(risk.slice(1)).toEqual(['VIII. Risks and opportunities treated', 'identified', 'Newly identified', 3]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcedure } from '../../src/features/procedures/procedures.service';
import { computeAnnualFigures } from '../../src/features/reports/reports.annual.figures';
import { buildSummary } from '../../src/features/reports/reports.summary';
import { createTestApp, one, rows, TEST_PASSWORD, type SignedIn, type TestApp } from '../support/app';
import { addOrganisation, type OtherOrganisation } from '../support/orgs';

/**
 * Reports in two organisations (issue 22): the compliance report of a procedure code is the organisation's own
 * procedure of that code (another organisation's code is a 404 in every form), the summary of all procedures and the
 * annual report cover the organisation's procedures only, and each organisation has its own annual report of a year.
 * Each organisation's dossiers come from its own quality officer's upload. The clock says 2026-11-26.
 */
let t: TestApp;
let b: OtherOrganisation;
let qa: SignedIn;
let qb: SignedIn;
const PERIOD = 'from=2026-11-01&to=2026-11-30';
const HEADER = 'code,procedure_code,received_at,due_date,returned_at,outcome,channel';
const FILE_A = [HEADER, 'HS-001,QT-CHUNG,2026-11-02,2026-11-05,2026-11-09,,direct', 'HS-A-02,QT-CHUNG,2026-11-03,2026-11-10,2026-11-04,,online'].join('\n');
const FILE_B = [
  HEADER,
  'HS-001,QT-CHUNG,2026-11-02,2026-11-04,2026-11-04,,postal',
  'HS-B-02,QT-CHUNG,2026-11-05,2026-11-06,2026-11-06,,direct',
  'HS-B-03,QT-CHUNG,2026-11-06,2026-11-20,2026-11-07,,online',
  'HS-B-04,QT-RIENG-B,2026-11-09,2026-11-11,,,direct',
].join('\n');

const upload = (who: SignedIn, text: string, name: string) =>
  who.agent.post('/dossiers/import').field('_csrf', who.csrf).attach('file', Buffer.from(text), name);
const narratives = (conclusion: string, extra: Record<string, string> = {}) => ({
  narrative_procedures: '',
  narrative_documents: '',
  narrative_audits: '',
  narrative_nonconformities: '',
  narrative_dossiers: '',
  narrative_conclusion: conclusion,
  number_text: '',
  ...extra,
});

beforeAll(async () => {
  t = await createTestApp();
  b = await addOrganisation(t, 'SOB');
  const base = { field: 'Tư pháp', online_level: 'none' as const, national_code: null, processing_days: 2, on_time_target: 1 };
  await createProcedure(t.ctx, { ...base, unit_id: t.units.main, code: 'QT-CHUNG', title: 'Thủ tục chung của A' }, null);
  await createProcedure(b.ctx, { ...base, unit_id: b.units.main, code: 'QT-CHUNG', title: 'Thủ tục chung của B' }, null);
  await createProcedure(b.ctx, { ...base, unit_id: b.units.main, code: 'QT-RIENG-B', title: 'Thủ tục riêng của B' }, null);
  qa = await t.signIn('quality_officer');
  qb = await t.signIn(b.usernames.quality_officer);
  expect((await upload(qa, FILE_A, 'a.csv')).status).toBe(303);
  expect((await upload(qb, FILE_B, 'b.csv')).status).toBe(303);
});
afterAll(async () => t?.close());

describe('the compliance report of a procedure code', () => {
  it("is the organisation's own procedure of that code, with its own dossiers", async () => {
    const a = await qa.get(`/reports/procedures/QT-CHUNG.json?${PERIOD}`);
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ procedure: { code: 'QT-CHUNG', title: 'Thủ tục chung của A' }, dossiers: { received: 2, resolved: 2, late: 1 } });
    const other = await qb.get(`/reports/procedures/QT-CHUNG.json?${PERIOD}`);
    expect(other.status).toBe(200);
    expect(other.body).toMatchObject({ procedure: { code: 'QT-CHUNG', title: 'Thủ tục chung của B' }, dossiers: { received: 3, resolved: 3, late: 0 } });
    const html = await qa.get(`/reports/procedures/QT-CHUNG?${PERIOD}`);
    expect(html.status).toBe(200);
    expect(html.text).toContain('Thủ tục chung của A');
    expect(html.text).not.toContain('Thủ tục chung của B');
    const csv = await qb.get(`/reports/procedures/QT-CHUNG.csv?${PERIOD}`);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('Thủ tục chung của B');
  });

  it("answers 404 for another organisation's code in every form, and from the index's form", async () => {
    for (const path of ['/reports/procedures/QT-RIENG-B', '/reports/procedures/QT-RIENG-B.json', '/reports/procedures/QT-RIENG-B.csv']) {
      const res = await qa.get(`${path}?${PERIOD}`);
      expect(res.status, path).toBe(404);
      expect(res.text, path).not.toContain('Thủ tục riêng của B');
      expect((await qb.get(`${path}?${PERIOD}`)).status, path).toBe(200);
    }
    expect((await qa.get(`/reports/open?code=QT-RIENG-B&${PERIOD}`)).status).toBe(404);
    expect((await qb.get(`/reports/open?code=QT-RIENG-B&${PERIOD}`)).status).toBe(303);
  });
});

describe('the summary of all procedures', () => {
  it("covers the organisation's procedures only, on screen, in its exports and in its totals", async () => {
    const a = await qa.get(`/reports/summary?${PERIOD}`);
    expect(a.status).toBe(200);
    expect(a.text).toContain('Thủ tục chung của A');
    expect(a.text).not.toContain('Thủ tục chung của B');
    expect(a.text).not.toContain('QT-RIENG-B');
    // Asked for the same period right after A: B's own rows, not A's kept ones.
    const other = await qb.get(`/reports/summary?${PERIOD}`);
    expect(other.text).toContain('Thủ tục chung của B');
    expect(other.text).toContain('QT-RIENG-B');
    expect(other.text).not.toContain('Thủ tục chung của A');
    const csv = await qa.get(`/reports/summary.csv?${PERIOD}`);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('Thủ tục chung của A');
    expect(csv.text).not.toMatch(/của B|QT-RIENG-B/);
    const print = await qb.get(`/reports/summary/print?${PERIOD}`);
    expect(print.text).not.toContain('Thủ tục chung của A');

    const period = { from: '2026-11-01', to: '2026-11-30' };
    const summaryA = await buildSummary(t.ctx, period, {});
    const summaryB = await buildSummary(b.ctx, period, {});
    expect(summaryA.rows.map((r) => r.title)).toEqual(['Thủ tục chung của A']);
    expect(summaryB.rows.map((r) => r.title)).toEqual(['Thủ tục chung của B', 'Thủ tục riêng của B']);
    expect(summaryA.totals.dossiers.received).toBe(2);
    expect(summaryB.totals.dossiers.received).toBe(4);
    // B's unit in A's filter selects nothing.
    expect((await buildSummary(t.ctx, period, { unitId: b.units.main })).rows).toEqual([]);
  });
});

describe('the annual report', () => {
  it("is one per organisation and year, each drafted and issued by the organisation's own users", async () => {
    expect((await qa.post('/reports/annual/2026', narratives('Kết luận của A.'))).status).toBe(303);
    expect((await qb.post('/reports/annual/2026', narratives('Kết luận của B.'))).status).toBe(303);
    expect(await rows(t, 'select organisation_id, year, status, version from annual_reports order by organisation_id')).toEqual([
      { organisation_id: 1, year: 2026, status: 'draft', version: 1 },
      { organisation_id: b.id, year: 2026, status: 'draft', version: 1 },
    ]);
    const leaderB = await t.signIn(b.usernames.leader);
    expect((await leaderB.post('/reports/annual/2026/issue', { password: TEST_PASSWORD, version: '1' })).status).toBe(303);
    expect(await rows(t, 'select organisation_id, status from annual_reports order by organisation_id')).toEqual([
      { organisation_id: 1, status: 'draft' },
      { organisation_id: b.id, status: 'issued' },
    ]);
    // A's draft is still A's to edit; B's issued report is B's alone.
    expect((await qa.post('/reports/annual/2026', narratives('Kết luận mới của A.', { version: '1' }))).status).toBe(303);
    const a = await qa.get('/reports/annual/2026');
    expect(a.status).toBe(200);
    expect(a.text).toContain('Kết luận mới của A.');
    expect(a.text).not.toContain('Kết luận của B.');
    const other = await qb.get('/reports/annual/2026');
    expect(other.text).toContain('Kết luận của B.');
    expect(other.text).not.toContain('của A.');
    const frozen = JSON.parse(
      (await one<{ figures_json: string }>(t, 'select figures_json from annual_reports where organisation_id = ?', b.id))!.figures_json,
    );
    expect(frozen.dossiers.received).toBe(4);
  });

  it("counts the organisation's procedures and dossiers only", async () => {
    const a = await computeAnnualFigures(t.ctx.db, 2026, '2026-11-26', 'Asia/Ho_Chi_Minh');
    const other = await computeAnnualFigures(b.ctx.db, 2026, '2026-11-26', 'Asia/Ho_Chi_Minh');
    expect(a.dossiers.received).toBe(2);
    expect(other.dossiers.received).toBe(4);
    expect(a.procedures.total).toBe(1);
    expect(other.procedures.total).toBe(2);
    expect(a.monthly.find((m) => m.month === '2026-11')?.resolved).toBe(2);
    expect(other.monthly.find((m) => m.month === '2026-11')?.resolved).toBe(3);
  });
});

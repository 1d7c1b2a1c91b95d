import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOSSIER_FIELDS } from '../../src/features/reports/reports.dossiers';
import { createTestApp, type SignedIn, type TestApp } from '../support/app';
import type { OtherOrganisation } from '../support/orgs';
import { mergeAIntoB, mergerOffices, PERIOD } from '../reports/merger-fixture';
import { answer, questionSet } from '../surveys/results-fixtures';
import { addToken, apiGet, okBody } from './read-support';

/**
 * The API's reports with `with=predecessors` (issue 22) and `include=satisfaction` (issue 24), on the merger of
 * test/reports/predecessors.test.ts: office HUYEN-CU (A) merged into XA-MOI (B) on 01/11/2026, both with dossiers of
 * QT-CHUNG in October 2026; QT-CU is A's only, QT-RIENG-B B's only. The API answers exactly the signed-in JSON, and the
 * figures computed by hand below. The clock says 2026-11-26.
 */
let t: TestApp;
let a: OtherOrganisation;
let b: OtherOrganisation;
let qb: SignedIn;
let tokenB: string;
/** Dossier figures of October (nothing carried over, nothing pending on track: every pending dossier is overdue at 31/10). */
const dossiers = (online: number, direct: number, postal: number, early: number, onTime: number, late: number, pending: number) => {
  const received = online + direct + postal;
  const resolved = early + onTime + late;
  return {
    carriedOver: 0,
    newlyReceived: received,
    newlyReceivedOnline: online,
    newlyReceivedDirect: direct,
    newlyReceivedPostal: postal,
    received,
    resolved,
    early,
    onTime,
    late,
    pending,
    pendingOnTrack: 0,
    pendingOverdue: pending,
    onTimeRate: resolved === 0 ? null : (early + onTime) / resolved,
  };
};

const HUYEN_CU = { code: 'HUYEN-CU', name: 'Cơ quan HUYEN-CU' };
const STEP = { ...HUYEN_CU, kind: 'merge', effectiveOn: '2026-11-01' };

beforeAll(async () => {
  t = await createTestApp();
  const offices = await mergerOffices(t);
  ({ a, b } = offices);
  const { chungA, cu, chungB } = offices.procedures;
  // Survey answers: B's QT-CHUNG 5, 4 (commented) and 2, – in October, 1, 1 in November (after the period);
  // A's QT-CHUNG 1, 1 and A's QT-CU 5, 5 in October.
  const setA = await questionSet(t, 1, 'active', ['information', 'attitude'], a.id);
  const setB = await questionSet(t, 1, 'active', ['information', 'attitude'], b.id);
  const mainB = b.units.main;
  await answer(t, { org: b.id, procedureId: chungB, unitId: mainB, set: setB, on: '2026-10-03', scores: [5, 4], comment: 'Nhanh' });
  await answer(t, { org: b.id, procedureId: chungB, unitId: mainB, set: setB, on: '2026-10-31', scores: [2, null] });
  await answer(t, { org: b.id, procedureId: chungB, unitId: mainB, set: setB, on: '2026-11-02', scores: [1, 1] });
  await answer(t, { org: a.id, procedureId: chungA, unitId: a.units.main, set: setA, on: '2026-10-04', scores: [1, 1] });
  await answer(t, { org: a.id, procedureId: cu, unitId: a.units.main, set: setA, on: '2026-10-14', scores: [5, 5] });
  await mergeAIntoB(t);
  qb = await t.signIn(b.usernames.quality_officer);
  tokenB = await addToken(t, 'reports:read', b.id);
});
afterAll(async () => t?.close());

/** The API's answer and the signed-in JSON of the same report: both 200, the API's body accepted by its schema. */
async function bothReports(code: string, options: string) {
  const signed = await qb.get(`/reports/procedures/${code}.json?${PERIOD}${options}`);
  expect(signed.status, signed.text).toBe(200);
  const api = await okBody(t, tokenB, 'getProcedureReport', `/reports/procedures/${code}?${PERIOD}${options}`);
  return { signed: signed.body, api: api.body };
}

describe('GET /reports/procedures/{code}?with=predecessors', () => {
  it("adds A's dossiers of the same code, names A, and answers exactly the signed-in JSON", async () => {
    const { signed, api } = await bothReports('QT-CHUNG', '&with=predecessors');
    expect(api).toEqual(signed);
    // A's 3 (early, late, on time; 2 at the desk, 1 online) + B's 3 (on time, early, pending overdue; 2 at the desk, 1 online).
    expect(api.dossiers).toEqual(dossiers(2, 4, 0, 2, 2, 1, 1));
    expect(api.dossiers.onTimeRate).toBe(0.8);
    expect(api.predecessors).toEqual([STEP]);
    expect(api).not.toHaveProperty('predecessor');
    expect(api).not.toHaveProperty('satisfaction');
    // 4 of 5 in time against an objective of 100 %: judged on the summed figures.
    expect(api.checks.find((c: { id: string }) => c.id === 'on_time_target').passed).toBe(false);
  });

  it("gives B's figures alone without the option", async () => {
    const { signed, api } = await bothReports('QT-CHUNG', '');
    expect(api).toEqual(signed);
    expect(api.dossiers).toEqual(dossiers(1, 2, 0, 1, 1, 0, 1));
    expect(api).not.toHaveProperty('predecessors');
  });

  it("reports A's own procedure with the option, as A's, and 404 without it", async () => {
    const { signed, api } = await bothReports('QT-CU', '&with=predecessors');
    expect(api).toEqual(signed);
    expect(api.procedure).toEqual({ code: 'QT-CU', title: 'Thủ tục chỉ có ở huyện cũ' });
    expect(api.predecessor).toEqual(HUYEN_CU);
    expect(api.predecessors).toEqual([STEP]);
    expect(api.dossiers).toEqual(dossiers(0, 0, 1, 0, 0, 1, 0));
    const without = await apiGet(t, tokenB, `/reports/procedures/QT-CU?${PERIOD}`);
    expect(without.status).toBe(404);
    expect(without.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('GET /reports/procedures/{code}?include=satisfaction with the predecessors', () => {
  it("adds B's own answers of the period, never A's", async () => {
    const { signed, api } = await bothReports('QT-CHUNG', '&with=predecessors&include=satisfaction');
    expect(api).toEqual(signed);
    expect(api.dossiers).toEqual(dossiers(2, 4, 0, 2, 2, 1, 1));
    // October: 5, 4 and 2, – → 3 scores, sum 11 → 3.67; satisfied 2 → 66.67. information 5, 2: 3.50, 50.00; attitude 4.
    expect(api.satisfaction).toEqual({
      responses: 2,
      withComment: 1,
      scores: 3,
      satisfied: 2,
      average: 3.67,
      index: 66.67,
      criteria: [
        { criterion: 'information', scores: 2, satisfied: 1, average: 3.5, index: 50 },
        { criterion: 'attitude', scores: 1, satisfied: 1, average: 4, index: 100 },
      ],
    });
  });

  it('gives a procedure found only in A its answers in A', async () => {
    const { signed, api } = await bothReports('QT-CU', '&with=predecessors&include=satisfaction');
    expect(api).toEqual(signed);
    expect(api.satisfaction).toMatchObject({ responses: 1, scores: 2, satisfied: 2, average: 5, index: 100 });
  });
});

describe('GET /reports/summary?with=predecessors', () => {
  it("adds A's figures by code, lists A's own procedure with its predecessor, and names A", async () => {
    const r = await okBody(t, tokenB, 'getReportSummary', `/reports/summary?${PERIOD}&with=predecessors`);
    const rows = r.body.rows as { code: string; status: string; dossiers: Record<string, number | null>; predecessor?: unknown }[];
    expect(rows.map((row) => row.code)).toEqual(['QT-CHUNG', 'QT-CU', 'QT-RIENG-B']);
    expect(rows.map((row) => row.predecessor)).toEqual([undefined, HUYEN_CU, undefined]);
    expect(rows[0].dossiers).toEqual(dossiers(2, 4, 0, 2, 2, 1, 1));
    expect(rows[1].dossiers).toEqual(dossiers(0, 0, 1, 0, 0, 1, 0));
    expect(rows[2].dossiers).toEqual(dossiers(0, 1, 0, 0, 1, 0, 0));
    // A's 4 (1 early, 1 on time, 2 late) + B's 4 (1 early, 2 on time, 1 pending): 7 resolved, 5 in time.
    expect(r.body.totals.dossiers).toEqual(dossiers(2, 5, 1, 2, 3, 2, 1));
    expect(r.body.totals.dossiers.onTimeRate).toBe(5 / 7);
    expect(r.body.predecessors).toEqual([STEP]);
    // Each row the report of its procedure with the same option.
    for (const row of rows) {
      const report = (await okBody(t, tokenB, 'getProcedureReport', `/reports/procedures/${row.code}?${PERIOD}&with=predecessors`)).body;
      expect(row.dossiers, row.code).toEqual(report.dossiers);
      expect(row.status, row.code).toBe(report.status);
    }
  });

  it('gives the figures of the signed-in summary with the option (its CSV)', async () => {
    const r = await okBody(t, tokenB, 'getReportSummary', `/reports/summary?${PERIOD}&with=predecessors`);
    const csv = await qb.get(`/reports/summary.csv?${PERIOD}&with=predecessors`);
    expect(csv.status).toBe(200);
    const [header, ...records]: string[][] = parse(csv.text.slice(1));
    const totals = records.pop()!;
    const col = (k: string) => header.indexOf(k);
    const fields = [...DOSSIER_FIELDS, 'onTimeRate'];
    const figuresOf = (cells: string[]) => Object.fromEntries(fields.map((f) => [f, cells[col(f)] === '' ? null : Number(cells[col(f)])]));
    expect(records.map((cells) => cells[col('code')])).toEqual(r.body.rows.map((row: { code: string }) => row.code));
    expect(records.map((cells) => cells[col('predecessor')])).toEqual(['', 'HUYEN-CU', '']);
    expect(records.map(figuresOf)).toEqual(r.body.rows.map((row: { dossiers: Record<string, number | null> }) => row.dossiers));
    expect(figuresOf(totals)).toEqual(r.body.totals.dossiers);
  });

  it("gives B's figures alone without the option", async () => {
    const r = await okBody(t, tokenB, 'getReportSummary', `/reports/summary?${PERIOD}`);
    expect(r.body.rows.map((row: { code: string }) => row.code)).toEqual(['QT-CHUNG', 'QT-RIENG-B']);
    expect(r.body.rows.some((row: object) => 'predecessor' in row)).toBe(false);
    expect(r.body.totals.dossiers).toEqual(dossiers(1, 3, 0, 1, 2, 0, 1));
    expect(r.body).not.toHaveProperty('predecessors');
  });

  it("keeps A's own procedure out of a filter by B's unit, as the signed-in summary does", async () => {
    const r = await okBody(t, tokenB, 'getReportSummary', `/reports/summary?${PERIOD}&with=predecessors&unit=XA-MOI-U`);
    expect(r.body.rows.map((row: { code: string }) => row.code)).toEqual(['QT-CHUNG', 'QT-RIENG-B']);
    expect(r.body.rows[0].dossiers).toEqual(dossiers(2, 4, 0, 2, 2, 1, 1));
  });
});

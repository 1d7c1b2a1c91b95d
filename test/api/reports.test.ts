import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, one, run, type SignedIn, type TestApp } from '../support/app';
import { addOrganisation } from '../support/orgs';
import { buildScenario } from '../reports/fixtures';
import { answer, questionSet } from '../surveys/results-fixtures';
import { DOSSIER_FIELDS } from '../../src/features/reports/reports.dossiers';
import { addToken, apiGet, okBody } from './read-support';

/**
 * GET /reports/procedures/{code} and /reports/summary (scope reports:read) on the report tests' scenario
 * (test/reports/fixtures.ts, hand-computed answers in test/reports/procedure-report.test.ts): the same JSON as the
 * signed-in report, the summary's totals the sums of its rows. The clock says 2026-11-26.
 */
let t: TestApp;
let quality: SignedIn;
let token: string;
let tokenB: string;

beforeAll(async () => {
  t = await createTestApp();
  await buildScenario(t);
  quality = await t.signIn('quality_officer');
  token = await addToken(t, 'reports:read');
  const b = await addOrganisation(t, 'SOB');
  await run(
    t,
    `insert into procedures (code, title, field, online_level, on_time_target, search_text, created_at, updated_at, organisation_id) values ('QT-B-01', 'Thủ tục của B', 'Tư pháp', 'none', 1, 'qt-b-01', ?, ?, ?)`,
    '2026-01-01T00:00:00.000Z',
    '2026-01-01T00:00:00.000Z',
    b.id,
  );
  tokenB = await addToken(t, 'reports:read', b.id);
  // Survey answers of QT-TEST-01 (questions: information, time): 5, 4 (commented) and 2, – in the first quarter;
  // 1, 1 discarded in it; 1, 1 on 01/04 (after it).
  const set = await questionSet(t, 1, 'active', ['information', 'time']);
  const { id } = (await one<{ id: number }>(t, `select id from procedures where code = 'QT-TEST-01'`))!;
  const qt01 = { procedureId: Number(id), unitId: null, set };
  await answer(t, { ...qt01, on: '2026-02-10', scores: [5, 4], comment: 'Tốt' });
  await answer(t, { ...qt01, on: '2026-03-31', scores: [2, null] });
  await answer(t, { ...qt01, on: '2026-03-01', scores: [1, 1], discarded: true });
  await answer(t, { ...qt01, on: '2026-04-01', scores: [1, 1] });
});
afterAll(async () => t?.close());

const PERIODS = ['from=2026-01-01&to=2026-03-31', 'from=2026-01-01&to=2026-12-31', 'from=2025-07-01&to=2026-02-14'];

describe('GET /reports/procedures/{code}', () => {
  it('answers exactly the JSON of the signed-in report', async () => {
    for (const code of ['QT-TEST-01', 'QT-TEST-02', 'QT-TEST-03']) {
      for (const period of PERIODS) {
        const signed = await quality.get(`/reports/procedures/${code}.json?${period}`);
        expect(signed.status).toBe(200);
        const api = await okBody(t, token, 'getProcedureReport', `/reports/procedures/${code}?${period}`);
        expect(api.body, `${code} ${period}`).toEqual(signed.body);
      }
    }
  });

  it('gives the hand-computed figures of QT-TEST-01, its checks worded in the asked language', async () => {
    const r = await okBody(t, token, 'getProcedureReport', '/reports/procedures/QT-TEST-01?from=2026-01-01&to=2026-03-31', 'en');
    expect(r.body.dossiers).toEqual({
      carriedOver: 2,
      newlyReceived: 6,
      newlyReceivedOnline: 2,
      newlyReceivedDirect: 3,
      newlyReceivedPostal: 1,
      received: 8,
      resolved: 4,
      early: 1,
      onTime: 2,
      late: 1,
      pending: 4,
      pendingOnTrack: 2,
      pendingOverdue: 2,
      onTimeRate: 0.75,
    });
    expect(r.body.status).toBe('attention');
    expect(r.body.asOf).toBe('2026-03-31');
    expect(r.headers['content-language']).toBe('en');
    const vi = await okBody(t, token, 'getProcedureReport', '/reports/procedures/QT-TEST-01?from=2026-01-01&to=2026-03-31');
    expect(vi.body.checks.map((c: { id: string }) => c.id)).toEqual(r.body.checks.map((c: { id: string }) => c.id));
    expect(vi.body.checks[0].detail).not.toBe(r.body.checks[0].detail);
  });

  it('answers 422 naming the parameter for a bad period or option, 404 for an unknown procedure', async () => {
    const cases: [string, string][] = [
      ['from=2026-04-01&to=2026-03-01', 'from'],
      ['from=2026-01-01', 'to'],
      ['from=2026-02-30&to=2026-03-01', 'from'],
      ['from=1800-01-01&to=2026-03-01', 'from'],
      ['from=2026-01-01&to=31/03/2026', 'to'],
    ];
    for (const [query, parameter] of cases) {
      const r = await apiGet(t, token, `/reports/procedures/QT-TEST-01?${query}`);
      expect(r.status, query).toBe(422);
      expect(r.body.errors?.[0]?.parameter, query).toBe(parameter);
    }
    const options: [string, string, string][] = [
      ['/reports/procedures/QT-TEST-01?from=2026-01-01&to=2026-03-31&with=foo', 'with', 'invalid_choice'],
      ['/reports/procedures/QT-TEST-01?from=2026-01-01&to=2026-03-31&include=x', 'include', 'invalid_choice'],
      ['/reports/procedures/QT-TEST-01?from=2026-01-01&to=2026-03-31&with=predecessors&with=predecessors', 'with', 'invalid_type'],
      ['/reports/summary?with=foo', 'with', 'invalid_choice'],
      ['/reports/summary?with=', 'with', 'invalid_choice'],
      ['/reports/summary?include=satisfaction', 'include', 'unknown_field'],
    ];
    for (const [path, parameter, code] of options) {
      const r = await apiGet(t, token, path);
      expect(r.status, path).toBe(422);
      expect(r.headers['content-type'], path).toMatch(/^application\/problem\+json/);
      expect(r.body.errors, path).toEqual([{ parameter, code, detail: expect.any(String) }]);
    }
    const unknown = await apiGet(t, token, '/reports/procedures/QT-KHONG?from=2026-01-01&to=2026-03-31');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('GET /reports/procedures/{code}?include=satisfaction', () => {
  it("adds the survey's figures of the period, exactly as the signed-in JSON", async () => {
    for (const code of ['QT-TEST-01', 'QT-TEST-02']) {
      for (const period of PERIODS) {
        const signed = await quality.get(`/reports/procedures/${code}.json?${period}&include=satisfaction`);
        expect(signed.status).toBe(200);
        const api = await okBody(t, token, 'getProcedureReport', `/reports/procedures/${code}?${period}&include=satisfaction`);
        expect(api.body, `${code} ${period}`).toEqual(signed.body);
      }
    }
    const q1 = await okBody(t, token, 'getProcedureReport', '/reports/procedures/QT-TEST-01?from=2026-01-01&to=2026-03-31&include=satisfaction');
    // 5, 4 and 2, – (the discarded answer and April's left out): 3 scores, sum 11 → 3.67; satisfied 2 → 66.67.
    expect(q1.body.satisfaction).toEqual({
      responses: 2,
      withComment: 1,
      scores: 3,
      satisfied: 2,
      average: 3.67,
      index: 66.67,
      criteria: [
        { criterion: 'information', scores: 2, satisfied: 1, average: 3.5, index: 50 },
        { criterion: 'time', scores: 1, satisfied: 1, average: 4, index: 100 },
      ],
    });
    const keys = Object.keys(q1.body as object);
    expect(keys[keys.length - 1]).toBe('satisfaction');
    // Without answers: nothing counted, no index nor average.
    const none = await okBody(t, token, 'getProcedureReport', '/reports/procedures/QT-TEST-02?from=2026-01-01&to=2026-03-31&include=satisfaction');
    expect(none.body.satisfaction).toEqual({ responses: 0, withComment: 0, scores: 0, satisfied: 0, average: null, index: null, criteria: [] });
    const plain = await okBody(t, token, 'getProcedureReport', '/reports/procedures/QT-TEST-01?from=2026-01-01&to=2026-03-31');
    expect(plain.body).not.toHaveProperty('satisfaction');
  });
});

describe('with=predecessors for an organisation without predecessors', () => {
  it('changes nothing, as in the signed-in reports', async () => {
    const period = 'from=2026-01-01&to=2026-03-31';
    const report = await okBody(t, token, 'getProcedureReport', `/reports/procedures/QT-TEST-01?${period}&with=predecessors`);
    expect(report.body).toEqual((await quality.get(`/reports/procedures/QT-TEST-01.json?${period}&with=predecessors`)).body);
    expect(report.body).toEqual((await okBody(t, token, 'getProcedureReport', `/reports/procedures/QT-TEST-01?${period}`)).body);
    expect(report.body).not.toHaveProperty('predecessors');
    const summary = await okBody(t, token, 'getReportSummary', `/reports/summary?${period}&with=predecessors`);
    expect(summary.body).toEqual((await okBody(t, token, 'getReportSummary', `/reports/summary?${period}`)).body);
    expect(summary.body).not.toHaveProperty('predecessors');
  });
});

describe('GET /reports/summary', () => {
  it('has totals that are the sums of its rows, and rows equal to the procedure reports', async () => {
    const period = 'from=2026-01-01&to=2026-03-31';
    const r = await okBody(t, token, 'getReportSummary', `/reports/summary?${period}`);
    expect(r.body.period).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(r.body.asOf).toBe('2026-03-31');
    const rows = r.body.rows as { code: string; status: string; dossiers: Record<string, number>; ncRaised: number; ncOpenAtEnd: number }[];
    expect(rows.map((row) => row.code)).toEqual(['QT-TEST-01', 'QT-TEST-02', 'QT-TEST-03']);
    expect(rows.map((row) => row.status)).toEqual(['attention', 'non_compliant', 'compliant']);
    expect(r.body.totals.procedures).toBe(3);
    expect(r.body.totals.byStatus).toEqual({ non_compliant: 1, attention: 1, compliant: 1 });
    for (const f of DOSSIER_FIELDS) expect(r.body.totals.dossiers[f], f).toBe(rows.reduce((s, row) => s + row.dossiers[f], 0));
    // QT-TEST-01 resolved 4 (3 in time), QT-TEST-03 resolved 1 early: 4 of 5.
    expect(r.body.totals.dossiers.onTimeRate).toBeCloseTo(4 / 5, 10);
    expect(r.body.totals.ncRaised).toBe(rows.reduce((s, row) => s + row.ncRaised, 0));
    expect(r.body.totals.ncOpenAtEnd).toBe(rows.reduce((s, row) => s + row.ncOpenAtEnd, 0));
    for (const row of rows) {
      const report = (await okBody(t, token, 'getProcedureReport', `/reports/procedures/${row.code}?${period}`)).body;
      expect(row.dossiers, row.code).toEqual(report.dossiers);
      expect(row.status, row.code).toBe(report.status);
      expect(row.ncRaised, row.code).toBe(report.nonconformities.raised);
    }
  });

  it('filters by field, unit and status; without dates it is this quarter', async () => {
    const codes = async (q: string) =>
      (await okBody(t, token, 'getReportSummary', `/reports/summary?from=2026-01-01&to=2026-03-31&${q}`)).body.rows.map((r: { code: string }) => r.code);
    expect(await codes(`field=${encodeURIComponent('Người có công')}`)).toEqual(['QT-TEST-02']);
    expect(await codes('status=compliant')).toEqual(['QT-TEST-03']);
    const unit = (await okBody(t, token, 'getReportSummary', '/reports/summary?from=2026-01-01&to=2026-03-31')).body.rows[1].unitCode;
    expect(await codes(`unit=${encodeURIComponent(unit)}`)).toEqual(['QT-TEST-02']);
    expect(await codes('unit=KHONG-CO')).toEqual([]);
    const quarter = await okBody(t, token, 'getReportSummary', '/reports/summary');
    expect(quarter.body.period).toEqual({ from: '2026-10-01', to: '2026-11-26' });
    expect((await apiGet(t, token, '/reports/summary?from=2026-01-01')).status).toBe(422);
    expect((await apiGet(t, token, '/reports/summary?status=good')).status).toBe(422);
  });
});

describe('hostile queries', () => {
  it('never answer 5xx', async () => {
    const paths = [
      '/reports/procedures/QT-TEST-01?from[a]=1&to=2026-01-01',
      '/reports/procedures/QT-TEST-01?from=2026-01-01&from=2026-02-01&to=2026-03-01',
      '/reports/procedures/QT-TEST-01?from=9999-12-31&to=9999-12-31',
      '/reports/procedures/QT-TEST-01?from=0000-01-01&to=2026-01-01',
      `/reports/procedures/${'%27'.repeat(200)}?from=2026-01-01&to=2026-03-31`,
      '/reports/summary?from=2026-13-01&to=2026-12-31',
      `/reports/summary?field=${'x'.repeat(5000)}`,
      '/reports/summary?unit=%00',
      '/reports/summary?with=%00',
      '/reports/summary?with[]=predecessors',
      '/reports/procedures/QT-TEST-01?from=2026-01-01&to=2026-03-31&include[a]=satisfaction',
      `/reports/procedures/QT-TEST-01?from=2026-01-01&to=2026-03-31&include=${'s'.repeat(300)}`,
    ];
    for (const path of paths) {
      const r = await apiGet(t, token, path);
      expect(r.status, path).toBeLessThan(500);
      expect(r.status, path).toBeGreaterThanOrEqual(400);
    }
  });
});

describe('isolation and scope', () => {
  it("shows another organisation none of the first one's procedures", async () => {
    expect((await apiGet(t, tokenB, '/reports/procedures/QT-TEST-01?from=2026-01-01&to=2026-03-31')).status).toBe(404);
    const summary = await okBody(t, tokenB, 'getReportSummary', '/reports/summary?from=2026-01-01&to=2026-03-31');
    expect(summary.body.rows.map((r: { code: string }) => r.code)).toEqual(['QT-B-01']);
  });

  it('refuses a token without reports:read', async () => {
    const registers = await addToken(t, 'registers:read');
    for (const path of ['/reports/summary', '/reports/procedures/QT-TEST-01?from=2026-01-01&to=2026-03-31']) {
      const r = await apiGet(t, registers, path);
      expect(r.status, path).toBe(403);
      expect(r.body.required_scope).toBe('reports:read');
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lowestProcedures, surveyFigures, surveySummary } from '../../src/features/surveys/surveys.figures';
import { monthChart } from '../../src/features/surveys/surveys.results.view';
import { createTestApp, run, type TestApp } from '../support/app';
import { procedure } from '../reports/fixtures';
import { seedKnownAnswers } from './results-fixtures';

/**
 * The satisfaction figures by known answers (the answers are tabled in results-fixtures.ts; every figure below is
 * worked out by hand from that table). Satisfied = a score of 4 or 5; index = satisfied ÷ scores × 100.
 */
let t: TestApp;
let w: Awaited<ReturnType<typeof seedKnownAnswers>>;
const OCT = { from: '2026-10-01', to: '2026-10-31' };
const none = { information: null, procedure: null, attitude: null, time: null, result: null, other: null };

beforeAll(async () => {
  t = await createTestApp();
  w = await seedKnownAnswers(t, (code, unitId) => procedure(t, code, { unitId }));
});
afterAll(async () => t?.close());

describe('the satisfaction figures of October (known answers)', () => {
  it('counts the answers and the index: first and last day in, the days around out, the discarded answer nowhere', async () => {
    const f = await surveyFigures(t.ctx.db, OCT);
    // answers R1, R2, R3, R4, R8 (R5 is 11-01, R6 09-30, R7 discarded) = 5; comments R1, R2 (R8's is blank) = 2;
    // dossier codes R1, R3 = 2
    expect([f.responses, f.withComment, f.withDossier]).toEqual([5, 2, 2]);
    // scores R1 5,4 · R2 2,3 · R3 4,5,1 · R4 5,5,4 = 10 scores, sum 38 → average 3.80; satisfied 2+0+2+3 = 7 → 70.00 %
    expect([f.scores, f.satisfied, f.average, f.index]).toEqual([10, 7, 3.8, 70]);
    // at or below the low score 2: R2 (2) and R3 (1) → 2 of 5 answers = 40.00 %
    expect([f.lowScore, f.lowScoreResponses, f.lowScoreShare]).toEqual([2, 2, 40]);
  });

  it('per criterion, over both question-set versions', async () => {
    const f = await surveyFigures(t.ctx.db, OCT);
    const c = Object.fromEntries(f.criteria.map((x) => [x.criterion, [x.scores, x.satisfied, x.average, x.index]]));
    // information: Q1 5, 2 (v1) + Q3 4, 5 (v2) → 4 scores, sum 16 → 4.00; satisfied 3 → 75.00
    expect(c.information).toEqual([4, 3, 4, 75]);
    // attitude: Q2 4, 3 + Q4 5, 5 → 4 scores, sum 17 → 4.25; satisfied 3 → 75.00
    expect(c.attitude).toEqual([4, 3, 4.25, 75]);
    // time: Q5 1, 4 → 2 scores, sum 5 → 2.50; satisfied 1 → 50.00
    expect(c.time).toEqual([2, 1, 2.5, 50]);
    // no question on the others: no data, not 0 %
    for (const k of ['procedure', 'result', 'other']) expect(c[k]).toEqual([0, 0, null, null]);
  });

  it('per question, grouped by the version of the set the answers were given on', async () => {
    const f = await surveyFigures(t.ctx.db, OCT);
    const sets = f.sets.map((s) => ({ v: s.version, n: s.responses, q: s.questions.map((q) => [q.seq, q.criterion, q.scores, q.average, q.index]) }));
    expect(sets).toEqual([
      // v1: R1, R2 — Q1 5, 2 → 3.50, 50 %; Q2 4, 3 → 3.50, 50 %
      {
        v: 1,
        n: 2,
        q: [
          [1, 'information', 2, 3.5, 50],
          [2, 'attitude', 2, 3.5, 50],
        ],
      },
      // v2: R3, R4, R8 — Q3 4, 5 → 4.50, 100 %; Q4 5, 5 → 5.00, 100 %; Q5 1, 4 → 2.50, 50 %
      {
        v: 2,
        n: 3,
        q: [
          [1, 'information', 2, 4.5, 100],
          [2, 'attitude', 2, 5, 100],
          [3, 'time', 2, 2.5, 50],
        ],
      },
    ]);
  });

  it('per procedure, and per unit as recorded with the answer (not the unit the procedure has moved to)', async () => {
    const f = await surveyFigures(t.ctx.db, OCT);
    const p = f.byProcedure.map((x) => [x.code, x.responses, x.scores, x.average, x.index, x.averages]);
    expect(p).toEqual([
      // P-A: R1, R2, R3 — 5,4,2,3,4,5,1: 7 scores, sum 24 → 3.43 (3.428…); satisfied 4 → 57.14 (57.142…);
      // information 5,2,4 → 3.67; attitude 4,3,5 → 4.00; time 1 → 1.00
      ['P-A', 3, 7, 3.43, 57.14, { ...none, information: 3.67, attitude: 4, time: 1 }],
      // P-B: R4, R8 — 5,5,4: 3 scores, sum 14 → 4.67; satisfied 3 → 100
      ['P-B', 2, 3, 4.67, 100, { ...none, information: 5, attitude: 5, time: 4 }],
    ]);
    const u = f.byUnit.map((x) => [x.unitId, x.responses, x.scores, x.average, x.index]);
    expect(u).toEqual([
      // "LĐTBXH" (main) sorts before "VP" (other). main: R1, R2 (P-A before it moved) — 5,4,2,3 → 3.50; 2 of 4 → 50.00
      [t.units.main, 2, 4, 3.5, 50],
      // other: R3 (P-A after the move), R4 — 4,5,1,5,5,4 → 24/6 = 4.00; 5 of 6 → 83.33
      [t.units.other, 2, 6, 4, 83.33],
      // R8 recorded without a unit: 1 answer, no score → no data
      [null, 1, 0, null, null],
    ]);
  });

  it('filters by one unit or one procedure', async () => {
    const main = await surveyFigures(t.ctx.db, { ...OCT, unitId: t.units.main });
    // R1, R2: 4 scores, 2 satisfied → 50.00; low: R2 → 1 of 2 → 50.00
    expect([main.responses, main.scores, main.index, main.lowScoreResponses, main.lowScoreShare]).toEqual([2, 4, 50, 1, 50]);
    const pa = await surveyFigures(t.ctx.db, { ...OCT, procedureId: w.pa });
    // R1, R2, R3 (see above): 57.14; low: R2, R3 → 2 of 3 → 66.67
    expect([pa.responses, pa.scores, pa.index, pa.lowScoreResponses, pa.lowScoreShare]).toEqual([3, 7, 57.14, 2, 66.67]);
    expect(pa.byProcedure.map((x) => x.code)).toEqual(['P-A']);
  });

  it('per month, every month of the period (for the chart)', async () => {
    const f = await surveyFigures(t.ctx.db, { from: '2026-09-01', to: '2026-12-31' });
    // September: R6 (1) → 1 answer, 0 of 1 → 0.00 (a real zero: there is a score); October as above; November: R5 (1)
    // → 0.00; December: nothing → no data
    expect(f.byMonth.map((m) => [m.month, m.responses, m.scores, m.index])).toEqual([
      ['2026-09', 1, 1, 0],
      ['2026-10', 5, 10, 70],
      ['2026-11', 1, 1, 0],
      ['2026-12', 0, 0, null],
    ]);
  });

  it('the chart draws the last 24 months of a longer period; the figures keep every month', async () => {
    const f = await surveyFigures(t.ctx.db, { from: '2025-01-01', to: '2026-12-31' });
    expect(f.byMonth).toHaveLength(24);
    const long = await surveyFigures(t.ctx.db, { from: '2024-01-01', to: '2026-12-31' });
    expect(long.byMonth).toHaveLength(36);
    const chart = monthChart(long, 'vi');
    expect(chart.bars.map((b) => b.label).slice(0, 1)).toEqual(['01/2025']);
    expect(chart.bars).toHaveLength(24);
    expect(chart.desc).toContain('24 tháng cuối kỳ');
  });

  it('a period without the first and last days of October loses R1 and R4', async () => {
    const f = await surveyFigures(t.ctx.db, { from: '2026-10-02', to: '2026-10-30' });
    // R2, R3, R8: scores 2,3,4,5,1 → satisfied 2 of 5 → 40.00; sum 15 → 3.00
    expect([f.responses, f.scores, f.index, f.average]).toEqual([3, 5, 40, 3]);
  });
});

describe('no data', () => {
  it('a period without answers: every rate and average is null, never 0 % or 100 %', async () => {
    const f = await surveyFigures(t.ctx.db, { from: '2026-12-01', to: '2026-12-31' });
    expect([f.responses, f.scores, f.index, f.average, f.lowScoreShare]).toEqual([0, 0, null, null, null]);
    expect(f.criteria.every((c) => c.index === null && c.average === null)).toBe(true);
    expect([f.sets, f.byProcedure, f.byUnit]).toEqual([[], [], []]);
  });

  it('answers without scores: counted, and still no index', async () => {
    // R8 alone (10-25): one answer, no score
    const f = await surveyFigures(t.ctx.db, { from: '2026-10-25', to: '2026-10-25' });
    expect([f.responses, f.scores, f.index, f.lowScoreResponses, f.lowScoreShare]).toEqual([1, 0, null, 0, 0]);
  });

  it('a low score of 0 in the settings: no low-score share', async () => {
    await run(t, 'update organisation set survey_low_score = 0 where id = 1');
    const f = await surveyFigures(t.ctx.db, OCT);
    expect([f.lowScore, f.lowScoreResponses, f.lowScoreShare]).toEqual([0, 0, null]);
    await run(t, 'update organisation set survey_low_score = 2 where id = 1');
  });
});

describe('the summary the reports carry', () => {
  it('is the same figures: answers, index, the criteria with scores', async () => {
    const s = await surveySummary(t.ctx.db, { ...OCT, procedureId: w.pb });
    // P-B in October: R4, R8 — 5,5,4 → 100 %, 4.67
    expect(s).toEqual({
      responses: 2,
      withComment: 0,
      scores: 3,
      satisfied: 3,
      average: 4.67,
      index: 100,
      criteria: [
        { criterion: 'information', scores: 1, satisfied: 1, average: 5, index: 100 },
        { criterion: 'attitude', scores: 1, satisfied: 1, average: 5, index: 100 },
        { criterion: 'time', scores: 1, satisfied: 1, average: 4, index: 100 },
      ],
    });
    expect(lowestProcedures(await surveyFigures(t.ctx.db, OCT), 1).map((p) => p.code)).toEqual(['P-A']);
  });
});

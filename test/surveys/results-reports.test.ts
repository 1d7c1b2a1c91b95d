import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueAnnualReport, saveAnnualDraft } from '../../src/features/reports/reports.annual.service';
import { computeAnnualFigures, emptyNarratives } from '../../src/features/reports/reports.annual.figures';
import { createReview, signReview } from '../../src/features/reviews/reviews.service';
import { emptyAssessments } from '../../src/features/reviews/reviews.model';
import { createTestApp, one, type SignedIn, type TestApp } from '../support/app';
import { procedure } from '../reports/fixtures';
import { answer, seedKnownAnswers } from './results-fixtures';

/**
 * The survey figures inside the reports, by the known answers of results-fixtures.ts (the test clock says 2026-11-26):
 * the compliance report per procedure (JSON and HTML), the annual report's section X (live, then frozen when issued),
 * and the management review's data pack (live, then frozen when signed). A score of 4 or 5 is satisfied; the index is
 * satisfied ÷ scores × 100.
 */
let t: TestApp;
let qo: SignedIn;
let w: Awaited<ReturnType<typeof seedKnownAnswers>>;

beforeAll(async () => {
  t = await createTestApp();
  qo = await t.signIn('quality_officer');
  w = await seedKnownAnswers(t, (code, unitId) => procedure(t, code, { unitId }));
});
afterAll(async () => t?.close());

describe('the compliance report per procedure', () => {
  it('adds the procedure’s answers of the period to the JSON when asked, after every other field', async () => {
    const plain = await qo.get('/reports/procedures/P-A.json?from=2026-10-01&to=2026-10-31');
    expect(Object.keys(plain.body as object)).not.toContain('satisfaction'); // REPORTING.md's keys unless asked
    const res = await qo.get('/reports/procedures/P-A.json?from=2026-10-01&to=2026-10-31&include=satisfaction');
    expect(res.status).toBe(200);
    const keys = Object.keys(res.body as object);
    expect(keys[keys.length - 1]).toBe('satisfaction');
    // P-A in October: R1 (5, 4), R2 (2, 3), R3 (4, 5, 1); R7 discarded. 7 scores, sum 24 → 3.43; satisfied 4 → 57.14.
    // information 5, 2, 4: sum 11 → 3.67, satisfied 2 of 3 → 66.67; attitude 4, 3, 5: 4.00, 66.67; time 1: 1.00, 0.00
    expect(res.body.satisfaction).toEqual({
      responses: 3,
      withComment: 2,
      scores: 7,
      satisfied: 4,
      average: 3.43,
      index: 57.14,
      criteria: [
        { criterion: 'information', scores: 3, satisfied: 2, average: 3.67, index: 66.67 },
        { criterion: 'attitude', scores: 3, satisfied: 2, average: 4, index: 66.67 },
        { criterion: 'time', scores: 1, satisfied: 0, average: 1, index: 0 },
      ],
    });
  });

  it('prints the section in the HTML report', async () => {
    const res = await qo.get('/reports/procedures/P-A?from=2026-10-01&to=2026-10-31&lang=vi');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h2 id="satisfaction">Khảo sát sự hài lòng</h2>');
    expect(res.text).toContain('3 phiếu khảo sát; chỉ số hài lòng 57,14\u00a0%; điểm trung bình 3,43.');
    expect(res.text).toMatch(
      /data-criterion="time"><th scope="row">Thời gian giải quyết<\/th><td class="num">1<\/td><td class="num" data-key="average">1<\/td><td class="num" data-key="index">0\u00a0%<\/td>/,
    );
    // a period without answers says so
    const none = await qo.get('/reports/procedures/P-A?from=2026-01-01&to=2026-03-31&lang=vi');
    expect(none.text).toContain('Không có phiếu khảo sát trong kỳ.');
  });
});

describe('the annual report', () => {
  // 2026 to today (11-26): R1–R6 and R8 (R7 discarded) = 7 answers; scores: October's 10 (sum 38, 7 satisfied) + R5 1
  // + R6 1 = 12, sum 40 → 3.33; satisfied 7 → 58.33. information: October's 4 (16, 3 satisfied) + 1 + 1 → 6 scores,
  // sum 18 → 3.00, 3 satisfied → 50.00; attitude and time as in October.
  const year = {
    responses: 7,
    withComment: 2,
    scores: 12,
    satisfied: 7,
    average: 3.33,
    index: 58.33,
    criteria: [
      { criterion: 'information', scores: 6, satisfied: 3, average: 3, index: 50 },
      { criterion: 'attitude', scores: 4, satisfied: 3, average: 4.25, index: 75 },
      { criterion: 'time', scores: 2, satisfied: 1, average: 2.5, index: 50 },
    ],
  };

  it('gives section X the year’s figures, on the page and in its CSV, beside the narrative', async () => {
    const f = await computeAnnualFigures(t.ctx.db, 2026, '2026-11-26', 'Asia/Ho_Chi_Minh');
    expect(f.satisfaction).toEqual(year);
    await saveAnnualDraft(
      t.ctx,
      2026,
      { narratives: { ...emptyNarratives(), satisfaction: 'Người dân hài lòng với thái độ phục vụ.' }, numberText: '7' },
      t.users.quality_officer,
    );
    const page = await qo.get('/reports/annual/2026?lang=vi');
    expect(page.text).toContain('7 phiếu khảo sát; chỉ số hài lòng 58,33\u00a0%; điểm trung bình 3,33.');
    expect(page.text).toContain('Người dân hài lòng với thái độ phục vụ.');
    const csv = (await qo.get('/reports/annual/2026/figures.csv?lang=vi')).text.split('\r\n');
    // the index as a fraction, like every rate of that export
    expect(csv).toContain('"X. Sự hài lòng và phản ánh, kiến nghị của người dân",index,Chỉ số hài lòng,0.5833');
    expect(csv).toContain('"X. Sự hài lòng và phản ánh, kiến nghị của người dân",average.information,Điểm trung bình: Tiếp cận thông tin,3');
  });

  it('freezes the figures when issued: a later answer changes the live figures, not the issued report', async () => {
    const row = (await one<{ version: number }>(t, 'select version from annual_reports where year = 2026'))!;
    await issueAnnualReport(t.ctx, 2026, Number(row.version), { userId: t.users.leader, name: 'Người dùng leader', role: 'leader' });
    await answer(t, { procedureId: w.pb, unitId: t.units.other, set: w.v2, on: '2026-11-20', scores: [5, 5, 5] });
    const frozen = JSON.parse(String((await one<{ figures_json: string }>(t, 'select figures_json from annual_reports where year = 2026'))!.figures_json));
    expect(frozen.satisfaction).toEqual(year);
    expect((await computeAnnualFigures(t.ctx.db, 2026, '2026-11-26', 'Asia/Ho_Chi_Minh')).satisfaction!.responses).toBe(8);
    expect((await qo.get('/reports/annual/2026?lang=vi')).text).toContain('7 phiếu khảo sát; chỉ số hài lòng 58,33\u00a0%');
  });
});

describe('the management review’s data pack', () => {
  it('gives the satisfaction input the period’s figures and the lowest procedures, frozen when signed', async () => {
    const id = await createReview(
      t.ctx,
      {
        period_from: '2026-10-01',
        period_to: '2026-10-31',
        held_on: '2026-11-20',
        place: 'Phòng họp',
        chair_id: t.users.leader,
        secretary_id: t.users.quality_officer,
        attendee_ids: [t.users.admin],
        assessments: { ...emptyAssessments(), satisfaction: 'Cần cải thiện thời gian giải quyết.' },
        conclusions: 'Duy trì hệ thống.',
      },
      t.users.quality_officer,
    );
    const page = await qo.get(`/reviews/${id}?lang=vi`);
    expect(page.status).toBe(200);
    // October (see results-figures.test.ts): 5 answers, 70 %, 3.80; the lowest index: P-A 57.14 %, then P-B 100 %
    expect(page.text).toContain('5 phiếu khảo sát; chỉ số hài lòng 70\u00a0%; điểm trung bình 3,8.');
    expect(page.text).toMatch(/data-lowest="P-A"><code>P-A<\/code> Quy trình P-A — 57,14\u00a0%/);
    expect(page.text).toContain('Cần cải thiện thời gian giải quyết.');
    const version = Number((await one<{ version: number }>(t, 'select version from management_reviews where id = ?', id))!.version);
    await signReview(t.ctx, id, version, { userId: t.users.leader, name: 'Người dùng leader', role: 'leader' });
    // an answer given later for October (a late-entered one cannot exist, but the frozen pack must not move anyway)
    await answer(t, { procedureId: w.pa, unitId: t.units.other, set: w.v2, on: '2026-10-30', scores: [1, 1, 1] });
    const pack = JSON.parse(String((await one<{ pack_json: string }>(t, 'select pack_json from management_reviews where id = ?', id))!.pack_json));
    expect(pack.satisfaction.survey).toMatchObject({ responses: 5, scores: 10, satisfied: 7, average: 3.8, index: 70 });
    expect(pack.satisfaction.survey.lowest.map((p: { code: string; index: number }) => [p.code, p.index])).toEqual([
      ['P-A', 57.14],
      ['P-B', 100],
    ]);
    expect((await qo.get(`/reviews/${id}?lang=vi`)).text).toContain('5 phiếu khảo sát; chỉ số hài lòng 70\u00a0%');
  });
});

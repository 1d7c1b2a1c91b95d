import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/features/demo';
import { createTestApp, one, rows, type TestApp } from '../support/app';

/**
 * The demo's satisfaction survey (the demo's "now" is the test clock's, 2026-11-26): version 1 retired with its old
 * answers, version 2 in use, 250 answers over the 12 months before today, mostly satisfied, a few low scores with
 * comments, a third tied to real dossiers of their procedure, two discarded as spam; the same on every run.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ withUsers: false });
  await runDemo(t.ctx, () => {}, { province: false });
}, 180_000);
afterAll(async () => t.close());

describe('demo satisfaction survey', () => {
  it('has a retired version 1 with old answers and version 2 in use with one more question', async () => {
    const sets = await rows<{ version: number; status: string; questions: number; answers: number }>(
      t,
      `select s.version, s.status, (select count(*) from survey_questions q where q.question_set_id = s.id) as questions,
        (select count(*) from survey_responses r where r.question_set_id = s.id) as answers
       from survey_question_sets s where s.organisation_id = 1 order by s.version`,
    );
    expect(sets.map((s) => [Number(s.version), s.status, Number(s.questions)])).toEqual([
      [1, 'retired', 7],
      [2, 'active', 8],
    ]);
    expect(Number(sets[0].answers)).toBeGreaterThan(30);
    expect(Number(sets[1].answers)).toBeGreaterThan(100);
  });

  it('spreads 250 answers over the 12 months before today, mostly satisfied, with low scores commented and dossiers of their procedure', async () => {
    const span = await one<{ n: number; first: string; last: string }>(
      t,
      'select count(*) as n, min(answered_on) as first, max(answered_on) as last from survey_responses where organisation_id = 1',
    );
    expect(Number(span!.n)).toBe(250);
    expect(span!.first >= '2025-11-26').toBe(true);
    expect(span!.last < '2026-11-26').toBe(true);
    const scores = await one<{ n: number; high: number; low: number }>(
      t,
      `select count(*) as n, sum(case when s.score >= 4 then 1 else 0 end) as high, sum(case when s.score <= 2 then 1 else 0 end) as low
       from survey_scores s join survey_responses r on r.id = s.response_id where r.status = 'counted'`,
    );
    expect(Number(scores!.high) / Number(scores!.n)).toBeGreaterThan(0.8);
    expect(Number(scores!.low)).toBeGreaterThan(0);
    const lowWithoutComment = await one<{ n: number }>(
      t,
      `select count(*) as n from survey_responses r where r.status = 'counted' and r.comment is null
         and exists (select 1 from survey_scores s where s.response_id = r.id and s.score <= 2)`,
    );
    expect(Number(lowWithoutComment!.n)).toBe(0);
    const tied = await rows<{ ok: number }>(
      t,
      `select case when d.procedure_id = r.procedure_id and d.returned_on = r.answered_on then 1 else 0 end as ok
       from survey_responses r join dossiers d on d.code = r.dossier_code and d.organisation_id = r.organisation_id`,
    );
    expect(tied.length).toBeGreaterThan(60);
    expect(tied.every((x) => Number(x.ok) === 1)).toBe(true);
    const discarded = await rows<{ comment: string; discard_reason: string }>(
      t,
      "select comment, discard_reason from survey_responses where status = 'discarded'",
    );
    expect(discarded).toHaveLength(2);
  });
});

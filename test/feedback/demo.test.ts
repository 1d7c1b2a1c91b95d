import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/features/demo';
import { feedbackFigures } from '../../src/features/feedback/feedback.figures';
import { createTestApp, one, rows, type TestApp } from '../support/app';

/**
 * The demo's feedback register (the demo's "now" is the test clock's, 2026-11-26): a dozen records over the last year,
 * most answered on time, one late, one overdue and open, one raised as a nonconformity, one cancelled; and the records
 * the survey's answers opened (one per answer with a low score or a comment), triaged: answered in time and closed,
 * the last fortnight's still open.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ withUsers: false });
  await runDemo(t.ctx, () => {}, { province: false });
}, 120_000);
afterAll(async () => t.close());

describe('demo feedback', () => {
  it('holds a dozen records of every kind of fate', async () => {
    const all = await rows<{ status: string; channel: string; outcome: string | null }>(
      t,
      "select status, channel, outcome from feedback where organisation_id = 1 and channel <> 'survey'",
    );
    expect(all.length).toBe(12);
    expect(new Set(all.map((r) => r.channel))).toEqual(new Set(['counter', 'phone', 'email', 'portal', 'other']));
    // the survey's records: one per counted answer with a comment or a score at or below 2 (the demo's settings)
    const triage = (await one<{ n: number }>(
      t,
      `select count(*) as n from survey_responses r where r.organisation_id = 1
         and ((r.comment is not null and trim(r.comment) <> '') or exists (select 1 from survey_scores s where s.response_id = r.id and s.score <= 2))`,
    ))!.n;
    const survey = await rows<{ status: string; late: number; spam: number; in_year: number; answered_in_year: number }>(
      t,
      `select f.status, case when f.answered_on > f.answer_due_on then 1 else 0 end as late,
              case when r.status = 'discarded' then 1 else 0 end as spam, case when f.received_on >= '2025-11-27' then 1 else 0 end as in_year,
              case when f.answered_on >= '2025-11-27' and f.status = 'closed' then 1 else 0 end as answered_in_year
         from feedback f join survey_responses r on r.id = f.survey_response_id where f.organisation_id = 1 and f.channel = 'survey'`,
    );
    expect(triage).toBeGreaterThan(10);
    expect(survey.length).toBe(triage);
    // the spam answers' records are cancelled, the others closed in time or (the last fortnight's) open
    expect(survey.filter((r) => r.spam === 1).map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
    expect(survey.filter((r) => r.spam === 0).every((r) => r.status === 'closed' || r.status === 'open')).toBe(true);
    expect(survey.filter((r) => r.late === 1)).toEqual([]);
    const inYear = survey.filter((r) => r.in_year === 1);
    const count = (status: string) => inYear.filter((r) => r.status === status).length;
    const year = await feedbackFigures(t.ctx.db, '2025-11-27', '2026-11-26');
    expect(year).toMatchObject({
      received: 11 + inYear.length - count('cancelled'), // a cancelled record counts under cancelled only
      // answered in the year, whenever received
      answered: 9 + survey.filter((r) => r.answered_in_year === 1).length,
      answeredOnTime: 8 + survey.filter((r) => r.answered_in_year === 1).length,
      answeredLate: 1,
      openAtEnd: 2 + count('open'),
      overdueAtEnd: 1,
      raisedAsNc: 1,
      cancelled: 1 + count('cancelled'),
    });
    const nc = (await one<{ source: string; id: number }>(
      t,
      "select n.source, n.id from feedback f join nonconformities n on n.id = f.nonconformity_id where f.outcome = 'nonconformity'",
    ))!;
    expect(nc.source).toBe('complaint');
    expect((await one<{ n: number }>(t, "select count(*) as n from audit_log where entity = 'feedback'"))!.n).toBeGreaterThan(12);
  });
});

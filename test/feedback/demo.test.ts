import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/features/demo';
import { feedbackFigures } from '../../src/features/feedback/feedback.figures';
import { createTestApp, one, rows, type TestApp } from '../support/app';

/**
 * The demo's feedback register (the demo's "now" is the test clock's, 2026-11-26): a dozen records over the last year,
 * most answered on time, one late, one overdue and open, one raised as a nonconformity, one cancelled.
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
      'select status, channel, outcome from feedback where organisation_id = 1',
    );
    expect(all.length).toBe(12);
    expect(new Set(all.map((r) => r.channel))).toEqual(new Set(['counter', 'phone', 'email', 'portal', 'other']));
    const year = await feedbackFigures(t.ctx.db, '2025-11-27', '2026-11-26');
    expect(year).toMatchObject({ received: 11, answered: 9, answeredOnTime: 8, answeredLate: 1, openAtEnd: 2, overdueAtEnd: 1, raisedAsNc: 1, cancelled: 1 });
    const nc = (await one<{ source: string; id: number }>(
      t,
      "select n.source, n.id from feedback f join nonconformities n on n.id = f.nonconformity_id where f.outcome = 'nonconformity'",
    ))!;
    expect(nc.source).toBe('complaint');
    expect((await one<{ n: number }>(t, "select count(*) as n from audit_log where entity = 'feedback'"))!.n).toBeGreaterThan(12);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/features/demo';
import { parsePack } from '../../src/features/reviews/reviews.pack';
import { createTestApp, rows, type TestApp } from '../support/app';

/**
 * The demo's management reviews (the test clock, the demo's "now", says 2026-11-26): December last year and June this
 * year, both signed; the June review's frozen pack shows the December decisions' actions with their status at the end
 * of May — two done, two overdue (one in progress, one not started) — though one of them was finished in July.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ withUsers: false });
  await runDemo(t.ctx, () => {}, { province: false });
}, 120_000);
afterAll(async () => t.close());

describe('demo management reviews', () => {
  it('holds two signed reviews with attendees, assessments, conclusions and decisions', async () => {
    const reviews = await rows<{
      code: string;
      held_on: string;
      status: string;
      period_from: string;
      period_to: string;
      attendee_ids: string;
      conclusions: string;
    }>(t, 'select code, held_on, status, period_from, period_to, attendee_ids, conclusions from management_reviews where organisation_id = 1 order by held_on');
    expect(reviews.map((r) => [r.code, r.held_on, r.status, r.period_from, r.period_to])).toEqual([
      ['XXLĐ-2025-01', '2025-12-04', 'signed', '2025-01-01', '2025-11-30'],
      ['XXLĐ-2026-01', '2026-06-10', 'signed', '2025-12-01', '2026-05-31'],
    ]);
    for (const r of reviews) {
      expect(JSON.parse(r.attendee_ids).length).toBe(5);
      expect(r.conclusions).not.toBe('');
    }
    const decisions = await rows<{ code: string; n: number }>(
      t,
      'select m.code, count(*) as n from management_review_decisions d join management_reviews m on m.id = d.review_id group by m.code order by m.code',
    );
    expect(decisions.map((d) => [d.code, Number(d.n)])).toEqual([
      ['XXLĐ-2025-01', 4],
      ['XXLĐ-2026-01', 3],
    ]);
  });

  it("shows the first review's decisions' actions in the second review's pack, with their status at the period's end", async () => {
    const [second] = await rows<{ pack_json: string }>(t, "select pack_json from management_reviews where code = 'XXLĐ-2026-01'");
    const pack = parsePack(second.pack_json)!;
    expect(pack.asOf).toBe('2026-05-31');
    expect(pack.previousActions).toMatchObject({ total: 4, done: 2, open: 2, overdue: 2, cancelled: 0 });
    expect(pack.previousActions.rows.map((r) => [r.decisionKind, r.status, r.overdue])).toEqual([
      ['improvement', 'done', false],
      ['qms_change', 'in_progress', true],
      ['resource', 'done', false],
      ['improvement', 'planned', true],
    ]);
    // the QMS change was finished since (in July): done today, overdue at the end of May
    const [now] = await rows<{ status: string; completed_on: string }>(
      t,
      "select a.status, a.completed_on from nc_actions a join management_review_decisions d on d.id = a.review_decision_id where d.kind = 'qms_change' and d.seq = 2 and d.review_id = (select id from management_reviews where code = 'XXLĐ-2025-01')",
    );
    expect(now).toEqual({ status: 'done', completed_on: '2026-07-15' });
    const [first] = await rows<{ pack_json: string }>(t, "select pack_json from management_reviews where code = 'XXLĐ-2025-01'");
    expect(parsePack(first.pack_json)!.previousActions.total).toBe(0);
  });
});

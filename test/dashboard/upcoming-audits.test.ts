import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listUpcomingAudits } from '../../src/features/audits/audits.report.queries';
import { createTestApp, type TestApp } from '../support/app';
import { audit, procedure } from '../reports/fixtures';
import { rows as query } from '../support/app';

/**
 * The quality officer's next audits, read as the first few of each status (in progress, then planned) merged in one
 * statement: the same rows and order as ordering every in-progress and planned audit by status rank, planned start
 * and id, for every limit. Audits done, reported or cancelled are left out; a planned audit whose start has passed
 * is flagged.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  const p = await procedure(t, 'QT-UPCOMING-01');
  const lead = t.users.quality_officer;
  const plan = [
    ['2026-12-10', 'planned'],
    ['2026-11-20', 'planned'],
    ['2026-12-10', 'planned'],
    ['2026-11-25', 'in_progress'],
    ['2026-10-01', 'in_progress'],
    ['2026-11-01', 'reported'],
    ['2026-12-01', 'cancelled'],
    ['2027-01-15', 'planned'],
    ['2026-11-25', 'in_progress'],
  ] as const;
  for (const [start, status] of plan) await audit(t, lead, { start, status, procedures: [p] });
});
afterAll(async () => t.close());

describe("the quality officer's next audits", () => {
  it('lists the audits in progress, then the planned ones, each by planned start then id, cut to the limit', async () => {
    const all = await query<{ id: number; code: string; status: string; planned_start: string }>(
      t,
      `select id, code, status, planned_start from audits where status in ('planned', 'in_progress')
       order by case when status = 'in_progress' then 0 else 1 end, planned_start, id`,
    );
    expect(all).toHaveLength(7);
    for (const limit of [0, 1, 2, 3, 4, 5, 7, 10]) {
      const got = await listUpcomingAudits(t.ctx.db, '2026-11-26', limit);
      expect(got.map((a) => a.id)).toEqual(all.slice(0, limit).map((a) => a.id));
    }
    const five = await listUpcomingAudits(t.ctx.db, '2026-11-26', 5);
    expect(five.map((a) => [a.status, a.planned_start, a.overdue])).toEqual([
      ['in_progress', '2026-10-01', false],
      ['in_progress', '2026-11-25', false],
      ['in_progress', '2026-11-25', false],
      ['planned', '2026-11-20', true],
      ['planned', '2026-12-10', false],
    ]);
    expect(five[0]).toMatchObject({ lead_auditor_name: expect.any(String), type: 'internal' });
  });
});

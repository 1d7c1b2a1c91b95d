import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQualityFigures, listActionsDue } from '../../src/features/dashboard/dashboard.queries';
import { countOpenBySeverity } from '../../src/features/nonconformities/nonconformities.queries';
import { createTestApp, type TestApp } from '../support/app';
import { buildScenario, run } from '../reports/fixtures';

/**
 * The quality officer's counts in one statement (open NCs by severity from nc_register_counts, open actions overdue
 * and due soon) against the register's own count and listActionsDue, on the report fixtures (today 2026-11-26:
 * major 2, minor 2; two open actions, both overdue), then after a nonconformity changes status and severity.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await buildScenario(t);
});
afterAll(async () => t.close());

const check = async (today: string, until: string) => {
  const figures = await countQualityFigures(t.ctx.db, today, until);
  const due = await listActionsDue(t.ctx.db, today, until, 8);
  expect(figures.nc).toEqual(await countOpenBySeverity(t.ctx.db));
  expect([figures.actionsOverdue, figures.actionsDueSoon]).toEqual([due.overdue.total, due.dueSoon.total]);
  return figures;
};

describe("the quality officer's counts", () => {
  it('equal the nonconformities counted from their table and the actions counted by listActionsDue', async () => {
    expect(await check('2026-11-26', '2026-12-10')).toEqual({ nc: { major: 2, minor: 2, total: 4 }, actionsOverdue: 2, actionsDueSoon: 0 });
    expect(await check('2026-02-20', '2026-03-06')).toMatchObject({ actionsOverdue: 0, actionsDueSoon: 1 });
  });

  it('follow a nonconformity that is closed, and one whose severity changes', async () => {
    const open = await t.ctx.db
      .selectFrom('nonconformities')
      .select(['id', 'severity'])
      .where('status', 'in', ['reported', 'open', 'analysed', 'action_plan', 'in_progress', 'awaiting_verification'])
      .orderBy('id')
      .execute();
    const minor = open.find((n) => n.severity === 'minor')!;
    await run(t, "update nonconformities set severity = 'major' where id = ?", minor.id);
    expect((await check('2026-11-26', '2026-12-10')).nc).toEqual({ major: 3, minor: 1, total: 4 });
    const major = open.find((n) => n.severity === 'major')!;
    await run(t, "update nonconformities set status = 'cancelled', cancelled_on = '2026-11-26', status_reason = 'trùng' where id = ?", major.id);
    expect((await check('2026-11-26', '2026-12-10')).nc).toEqual({ major: 2, minor: 1, total: 3 });
  });
});

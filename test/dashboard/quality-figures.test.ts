import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQualityFigures, listActionsDue } from '../../src/features/dashboard/dashboard.queries';
import { countOpenBySeverity } from '../../src/features/nonconformities/nonconformities.queries';
import { createTestApp, type TestApp } from '../support/app';
import { action, buildScenario, run } from '../reports/fixtures';
import { listReviewsDue } from '../../src/features/dashboard/dashboard.queries';

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
  // With the reviews' date, the reviews due are counted in the same statement, as listReviewsDue counts them.
  const withReviews = await countQualityFigures(t.ctx.db, today, until, '2027-12-31');
  expect(withReviews).toEqual({ ...figures, reviewsDue: (await listReviewsDue(t.ctx.db, today, '2027-12-31', 8)).total });
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

  it('follow open actions inserted, changed and deleted by hand (open_action_due_counts, kept by triggers)', async () => {
    const [nc] = await t.ctx.db.selectFrom('nonconformities').select('id').orderBy('id').limit(1).execute();
    const owner = t.users.staff;
    const a = await action(t, nc.id, owner, { due: '2026-11-20', status: 'planned' });
    const b = await action(t, nc.id, owner, { due: '2026-11-30', status: 'in_progress' });
    await action(t, nc.id, owner, { due: '2026-11-20', status: 'done', completed: '2026-11-19' });
    await action(t, nc.id, owner, { due: '2026-11-21', status: 'cancelled' });
    const base = { overdue: 2, soon: 0 }; // the scenario's two open actions, both overdue on 2026-11-26
    const counts = async () => {
      const f = await check('2026-11-26', '2026-12-10');
      return { overdue: f.actionsOverdue - base.overdue, soon: f.actionsDueSoon - base.soon };
    };
    expect(await counts()).toEqual({ overdue: 1, soon: 1 });
    await run(t, "update nc_actions set status = 'in_progress' where id = ?", a); // still open
    expect(await counts()).toEqual({ overdue: 1, soon: 1 });
    await run(t, "update nc_actions set due_date = '2026-12-01' where id = ?", a); // moved into the next two weeks
    expect(await counts()).toEqual({ overdue: 0, soon: 2 });
    await run(t, "update nc_actions set status = 'done', completed_on = '2026-11-26' where id = ?", b);
    expect(await counts()).toEqual({ overdue: 0, soon: 1 });
    await run(t, "update nc_actions set status = 'planned', completed_on = null, due_date = '2026-11-01' where id = ?", b); // reopened, earlier
    expect(await counts()).toEqual({ overdue: 1, soon: 1 });
    await run(t, 'delete from nc_actions where id = ?', a);
    expect(await counts()).toEqual({ overdue: 1, soon: 0 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, run, type TestApp } from '../support/app';
import { listMyActions, listOverdueAndDueSoonActions } from '../../src/features/nonconformities/nonconformities.actions.queries';
import { countOpenBySeverity, listAwaitingVerification } from '../../src/features/nonconformities/nonconformities.dashboard.queries';
import { completeAction } from '../../src/features/nonconformities/nonconformities.actions.service';
import { actionVersion, ncIn, newAction } from './helpers';

/** The queries the dashboards use, with known answers. */
let t: TestApp;
const ids: Record<string, number> = {};
beforeAll(async () => {
  t = await createTestApp();
  const a = await ncIn(t, 'action_plan', { severity: 'major' }); // staff owns one action due 2026-12-15
  ids.a = a.actionId!;
  ids.overdue = await newAction(t, a.id, { dueDate: '2026-11-25' });
  ids.today = await newAction(t, a.id, { dueDate: '2026-11-26', ownerId: t.users.leader });
  ids.soon = await newAction(t, a.id, { dueDate: '2026-12-03' });
  ids.later = await newAction(t, a.id, { dueDate: '2026-12-04' });
  ids.done = await newAction(t, a.id, { dueDate: '2026-11-01' });
  await completeAction(t.ctx, ids.done, Number(await actionVersion(t, ids.done)), 'Xong', t.users.staff);
  await ncIn(t, 'reported', { severity: 'minor' });
  await ncIn(t, 'closed', { severity: 'major' });
  await ncIn(t, 'cancelled', { severity: 'major' });
  await ncIn(t, 'rejected', { severity: 'minor' });
  const w1 = await ncIn(t, 'awaiting_verification', { severity: 'minor', title: 'Chờ 1' });
  await run(t, "update nonconformities set verify_due_on = '2026-12-01' where id = ?", w1.id);
  await ncIn(t, 'awaiting_verification', { severity: 'minor', title: 'Chờ 2' }); // verify_due_on 2026-12-26
});
afterAll(async () => t.close());

describe('dashboard queries', () => {
  it('countOpenBySeverity counts NCs from reported to awaiting verification', async () => {
    expect(await countOpenBySeverity(t.ctx.db)).toEqual({ major: 1, minor: 3, total: 4 });
  });

  it('listOverdueAndDueSoonActions splits open actions at today, up to today + days', async () => {
    const { overdue, dueSoon } = await listOverdueAndDueSoonActions(t.ctx.db, '2026-11-26', 7);
    expect(overdue.map((r) => r.id)).toEqual([ids.overdue]);
    expect(dueSoon.map((r) => r.id)).toEqual([ids.today, ids.soon]);
    expect(overdue[0]).toMatchObject({ nc_code: 'NC-2026-001', owner_name: 'Người dùng staff', due_date: '2026-11-25', status: 'planned' });
  });

  it('listMyActions gives the user’s open actions by due date and what they finished lately', async () => {
    const mine = await listMyActions(t.ctx.db, t.users.staff, '2026-11-26');
    expect(mine.open.map((r) => r.id)).toEqual([ids.overdue, ids.soon, ids.later, ids.a]);
    expect(mine.recent.map((r) => r.id)).toContain(ids.done);
    expect((await listMyActions(t.ctx.db, t.users.leader, '2026-11-26')).open.map((r) => r.id)).toEqual([ids.today]);
  });

  it('listAwaitingVerification lists those awaiting verification, earliest check first', async () => {
    const rows = await listAwaitingVerification(t.ctx.db);
    expect(rows.map((r) => [r.title, r.verify_due_on, r.last_completed_on])).toEqual([
      ['Chờ 1', '2026-12-01', '2026-11-26'],
      ['Chờ 2', '2026-12-26', '2026-11-26'],
    ]);
  });
});

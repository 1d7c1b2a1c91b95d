import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editAction } from '../../src/features/nonconformities/nonconformities.actions.service';
import { ncFiguresForProcedure } from '../../src/features/nonconformities/nonconformities.report.queries';
import { createTestApp, rows, run, type TestApp } from '../support/app';
import { actionVersion, addProcedure, ncIn } from './helpers';

/**
 * Issue 20, point 1: an action's due date moved after a period does not change that period's overdue count.
 * Action A of an NC of procedure P, in its action plan: on 05/10/2026 due 15/10/2026; on 25/10/2026 its due date
 * moves to 30/11/2026.
 * - period 01–20/10/2026: due in force at 20/10 was 15/10 < 20/10, not done → 1 overdue (corrective);
 * - period 01/10–30/11/2026: due in force at 30/11 is 30/11, not before 30/11 → 0;
 * - period 01/10–31/12/2026: 30/11 < 31/12 → 1.
 */
let t: TestApp;
let procedureId: number;
let actionId: number;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set('2026-10-05T03:00:00Z');
  procedureId = await addProcedure(t, 'QT-P-01');
  const nc = await ncIn(t, 'action_plan', { procedureId, detectedOn: '2026-10-02' });
  actionId = nc.actionId!;
  const edit = async (dueDate: string) =>
    editAction(
      t.ctx,
      actionId,
      Number(await actionVersion(t, actionId)),
      { description: 'Tập huấn lại', ownerId: t.users.staff, dueDate },
      t.users.quality_officer,
    );
  await edit('2026-10-15');
  t.clock.set('2026-10-25T03:00:00Z');
  await edit('2026-11-30');
  t.clock.set('2026-12-31T03:00:00Z');
});
afterAll(async () => t.close());

describe('the due date of an action as of the period’s end', () => {
  it('keeps the old due date for a period that ended before the change', async () => {
    expect(await rows(t, 'select due_before, due_after, changed_on from nc_action_due_history where action_id = ?', actionId)).toEqual([
      { due_before: '2026-12-15', due_after: '2026-10-15', changed_on: '2026-10-05' },
      { due_before: '2026-10-15', due_after: '2026-11-30', changed_on: '2026-10-25' },
    ]);
    expect(await ncFiguresForProcedure(t.ctx.db, procedureId, '2026-10-01', '2026-10-20')).toMatchObject({ overdueActions: 1, overdueCorrectiveActions: 1 });
    expect(await ncFiguresForProcedure(t.ctx.db, procedureId, '2026-10-01', '2026-11-30')).toMatchObject({ overdueActions: 0 });
    expect(await ncFiguresForProcedure(t.ctx.db, procedureId, '2026-10-01', '2026-12-31')).toMatchObject({ overdueActions: 1 });
  });

  it('keeps the history as written', async () => {
    await expect(run(t, 'delete from nc_action_due_history')).rejects.toThrow(/kept as written/);
    await expect(run(t, "update nc_action_due_history set due_before = '2026-12-01'")).rejects.toThrow(/kept as written/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILL_NC_REPORT_SPANS } from '../../src/core/db/migrations/2026_12_09_1000_nc_report_spans';
import { editAction } from '../../src/features/nonconformities/nonconformities.actions.service';
import { emptyNcFigures, listNcFiguresAt, ncFiguresForProcedure } from '../../src/features/nonconformities/nonconformities.report.queries';
import { createTestApp, rows, run, type TestApp } from '../support/app';
import { actionVersion, addProcedure, ncIn } from '../nonconformities/helpers';

/**
 * The compliance report reads one procedure's nonconformity figures from nc_report_spans (migration
 * 2026_12_09_1000_nc_report_spans), kept by triggers in the writing transaction. After every kind of write (through
 * the services, and by hand: history rows inserted, redated and deleted, a nonconformity moved to another procedure,
 * redated, made major, rejected or deleted, actions redated, completed, cancelled and deleted, due dates changed) the
 * kept rows equal the rows computed again from every record, and the figures equal those read from the records
 * themselves (listNcFiguresAt, the office-wide path) for periods before, across and after the changes. Both engines.
 */
let t: TestApp;
let p: number;
let q: number;
const ncs: Record<string, { id: number; actionId?: number }> = {};

const PERIODS = [
  ['2026-01-01', '2026-12-31'],
  ['2026-03-01', '2026-03-31'],
  ['2026-03-15', '2026-03-15'],
  ['2026-04-01', '2026-06-30'],
  ['2025-01-01', '2025-12-31'],
  ['2026-02-01', '2026-02-28'],
  ['2027-01-01', '2027-12-31'],
];

const spans = () =>
  rows(
    t,
    `select nonconformity_id, kind, action_id, starts, ends, procedure_id, severity, state, detected_on, due, corrective from nc_report_spans
     order by nonconformity_id, kind, action_id, starts`,
  );

/** The kept rows equal a recomputation from every record, and the figures of both procedures equal the records' own. */
async function expectKeptRight(): Promise<void> {
  const kept = await spans();
  for (const statement of FILL_NC_REPORT_SPANS.split(';\n')) if (statement.trim()) await run(t, statement);
  expect(kept).toEqual(await spans());
  for (const id of [p, q])
    for (const [from, to] of PERIODS) {
      const fromRecords = (await listNcFiguresAt(t.ctx.db, from, to, id)).get(id) ?? emptyNcFigures();
      expect({ id, from, to, ...(await ncFiguresForProcedure(t.ctx.db, id, from, to)) }).toEqual({ id, from, to, ...fromRecords });
    }
}

const at = (date: string) => t.clock.set(`${date}T03:00:00Z`);

beforeAll(async () => {
  t = await createTestApp();
  at('2026-02-01');
  p = await addProcedure(t, 'QT-SP-01');
  q = await addProcedure(t, 'QT-SP-02');
  ncs.open = await ncIn(t, 'open', { procedureId: p, detectedOn: '2026-01-20', severity: 'major' });
  at('2026-03-01');
  ncs.plan = await ncIn(t, 'action_plan', { procedureId: p, detectedOn: '2026-02-25' });
  ncs.progress = await ncIn(t, 'in_progress', { procedureId: p, detectedOn: '2026-02-26', severity: 'major' });
  at('2026-03-10');
  ncs.closed = await ncIn(t, 'closed', { procedureId: p, detectedOn: '2026-03-02' });
  ncs.reported = await ncIn(t, 'reported', { procedureId: p, detectedOn: '2026-03-09' });
  ncs.rejected = await ncIn(t, 'rejected', { procedureId: p, detectedOn: '2026-03-08' });
  ncs.cancelled = await ncIn(t, 'cancelled', { procedureId: p, detectedOn: '2026-03-05' });
  ncs.other = await ncIn(t, 'in_progress', { procedureId: q, detectedOn: '2026-03-03' });
  ncs.none = await ncIn(t, 'open', { procedureId: null, detectedOn: '2026-03-04' });
  at('2026-05-20');
});
afterAll(async () => t.close());

describe('nc_report_spans follows every write in its transaction', () => {
  it('after the services wrote the nonconformities, their histories and actions', async () => {
    expect((await spans()).length).toBeGreaterThan(0);
    expect((await spans()).filter((r) => Number(r.nonconformity_id) === ncs.none.id)).toEqual([]);
    await expectKeptRight();
  });

  it('after an action due date changed twice (the due date in force at each date)', async () => {
    const edit = async (dueDate: string) =>
      editAction(
        t.ctx,
        ncs.plan.actionId!,
        Number(await actionVersion(t, ncs.plan.actionId!)),
        { description: 'Sửa', ownerId: t.users.staff, dueDate },
        t.users.quality_officer,
      );
    at('2026-03-20');
    await edit('2026-03-25');
    at('2026-04-10');
    await edit('2026-06-15');
    at('2026-05-20');
    await expectKeptRight();
  });

  it('after history rows inserted, redated and deleted by hand', async () => {
    const insert = (id: number, from: string, to: string, on: string) =>
      run(
        t,
        'insert into nc_status_history (nonconformity_id, from_status, to_status, changed_on, changed_at, changed_by, organisation_id) values (?, ?, ?, ?, ?, ?, 1)',
        id,
        from,
        to,
        on,
        `${on}T03:00:00.000Z`,
        t.users.quality_officer,
      );
    // A closing in March then a reopening the same day; an entry dated before detection; one dated after today.
    await insert(ncs.open.id, 'open', 'closed', '2026-03-15');
    await insert(ncs.open.id, 'closed', 'open', '2026-03-15');
    await insert(ncs.progress.id, 'in_progress', 'closed', '2026-01-10');
    await insert(ncs.plan.id, 'action_plan', 'closed', '2027-02-01');
    await expectKeptRight();
    const [first] = await rows<{ id: number }>(t, 'select min(id) as id from nc_status_history where nonconformity_id = ?', ncs.closed.id);
    await run(t, "update nc_status_history set changed_on = '2026-04-02' where id = ?", first.id);
    await run(
      t,
      "update nc_status_history set to_status = 'closed', changed_on = '2026-03-31' where nonconformity_id = ? and to_status = 'in_progress'",
      ncs.progress.id,
    );
    await expectKeptRight();
    await run(t, "delete from nc_status_history where nonconformity_id = ? and changed_on = '2026-03-15'", ncs.open.id);
    await expectKeptRight();
  });

  it('after a nonconformity moved, redated, made major, rejected, and one without any history', async () => {
    await run(t, 'update nonconformities set procedure_id = ? where id = ?', q, ncs.cancelled.id);
    await run(t, "update nonconformities set detected_on = '2026-04-15' where id = ?", ncs.plan.id);
    await run(t, "update nonconformities set severity = 'major' where id = ?", ncs.closed.id);
    await run(t, "update nonconformities set status = 'rejected' where id = ?", ncs.other.id);
    await run(t, 'update nonconformities set procedure_id = ? where id = ?', p, ncs.none.id);
    await run(t, 'delete from nc_status_history where nonconformity_id = ?', ncs.none.id);
    await expectKeptRight();
    await run(t, 'update nonconformities set procedure_id = null where id = ?', ncs.none.id);
    await expectKeptRight();
  });

  it('after actions redated, completed, cancelled and deleted by hand', async () => {
    const action = ncs.progress.actionId!;
    await run(t, "update nc_actions set due_date = '2026-03-05', completed_on = null, status = 'in_progress' where id = ?", action);
    await expectKeptRight();
    await run(t, "update nc_actions set status = 'done', completed_on = '2026-04-20' where id = ?", action);
    await expectKeptRight();
    await run(t, "update nc_actions set status = 'cancelled', cancelled_on = '2026-04-01', cancel_reason = 'Không cần' where id = ?", ncs.plan.actionId!);
    await expectKeptRight();
    await run(t, 'delete from nc_action_notes where action_id = ?', action);
    await run(t, 'delete from nc_action_files where action_id = ?', action);
    await run(t, 'delete from nc_actions where id = ?', action);
    await expectKeptRight();
  });

  it('after a nonconformity deleted with its records', async () => {
    const id = ncs.reported.id;
    for (const table of ['nc_status_history', 'nc_corrections', 'nc_verifications']) await run(t, `delete from ${table} where nonconformity_id = ?`, id);
    await run(t, 'delete from nonconformities where id = ?', id);
    expect((await spans()).filter((r) => Number(r.nonconformity_id) === id)).toEqual([]);
    await expectKeptRight();
  });
});

import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';

/**
 * Something open with a due date and the people answerable for it (a corrective action, feedback to answer, a risk
 * to review), as the daily reminder run reads it: an entity
 * name of the audit log, its page, what the message shows (codes only: never a citizen's personal data), the people
 * it waits for and the unit whose leaders hear of it when it stays overdue.
 */
export interface DueItem {
  entity: string;
  entityId: number;
  link: string;
  code: string;
  dueOn: string;
  /** The people it waits for (the owner, the assignee, or the quality officers when nobody is assigned). */
  userIds: number[];
  unitId: number | null;
}

/** Open corrective actions (planned or in progress) with their owner and the owner's unit. */
async function listOpenActions(db: Db): Promise<DueItem[]> {
  const rows = await db
    .selectFrom('nc_actions as a')
    .innerJoin('users as u', 'u.id', 'a.owner_id')
    .leftJoin('nonconformities as n', 'n.id', 'a.nonconformity_id')
    .select(['a.id', 'a.owner_id', 'a.due_date', 'u.unit_id', 'n.code as nc_code', 'n.responsible_unit_id'])
    .where('a.organisation_id', '=', organisationOf(db))
    .where('a.status', 'in', ['planned', 'in_progress'])
    .orderBy('a.id')
    .execute();
  return rows.map((r) => ({
    entity: 'nc_action',
    entityId: r.id,
    link: `/actions/${r.id}`,
    code: r.nc_code ?? '',
    dueOn: r.due_date,
    userIds: [r.owner_id],
    unitId: r.unit_id ?? r.responsible_unit_id ?? null,
  }));
}

/** Feedback waiting for its answer, for its assignee, else for the quality officers. */
async function listOpenFeedback(db: Db, qualityOfficers: number[]): Promise<DueItem[]> {
  const rows = await db
    .selectFrom('feedback as f')
    .leftJoin('users as u', 'u.id', 'f.assignee_id')
    .select(['f.id', 'f.code', 'f.answer_due_on', 'f.assignee_id', 'f.unit_id', 'u.unit_id as assignee_unit_id'])
    .where('f.organisation_id', '=', organisationOf(db))
    .where('f.status', '=', 'open')
    .orderBy('f.id')
    .execute();
  return rows.map((r) => ({
    entity: 'feedback',
    entityId: r.id,
    link: `/feedback/${r.id}`,
    code: r.code,
    dueOn: r.answer_due_on,
    userIds: r.assignee_id !== null ? [r.assignee_id] : qualityOfficers,
    unitId: r.unit_id ?? r.assignee_unit_id ?? null,
  }));
}

/** Open risks and opportunities whose periodic review is due, for their owner. */
async function listOpenRisks(db: Db): Promise<DueItem[]> {
  const rows = await db
    .selectFrom('risks as r')
    .innerJoin('users as u', 'u.id', 'r.owner_id')
    .select(['r.id', 'r.code', 'r.review_due', 'r.owner_id', 'u.unit_id'])
    .where('r.organisation_id', '=', organisationOf(db))
    .where('r.status', '=', 'open')
    .orderBy('r.id')
    .execute();
  return rows.map((r) => ({
    entity: 'risk',
    entityId: r.id,
    link: `/risks/${r.id}`,
    code: r.code,
    dueOn: r.review_due,
    userIds: [r.owner_id],
    unitId: r.unit_id,
  }));
}

/** Everything open with a due date in the organisation of the handle. */
export async function listDueItems(db: Db): Promise<DueItem[]> {
  const officers = await listActiveUserIds(db, 'quality_officer', undefined);
  return [...(await listOpenActions(db)), ...(await listOpenFeedback(db, officers)), ...(await listOpenRisks(db))];
}

/** Active users of the organisation with the role, in the unit when given. */
export async function listActiveUserIds(db: Db, role: 'leader' | 'quality_officer', unitId: number | undefined): Promise<number[]> {
  let q = db.selectFrom('users').select('id').where('organisation_id', '=', organisationOf(db)).where('role', '=', role).where('active', '=', 1);
  if (unitId !== undefined) q = q.where('unit_id', '=', unitId);
  return (await q.orderBy('id').execute()).map((r) => r.id);
}

/**
 * Claims the day's run for the organisation: the row is inserted first in the run's transaction, so that a second
 * process (or handle) running the same day waits for the first to commit and then sees the row. False: already run.
 */
export async function insertReminderRun(trx: Db, runOn: string, at: Date): Promise<boolean> {
  const row = await trx
    .insertInto('reminder_runs')
    .values({ organisation_id: organisationOf(trx), run_on: runOn, ran_at: at.toISOString() })
    .onConflict((oc) => oc.columns(['organisation_id', 'run_on']).doNothing())
    .returning('run_on')
    .executeTakeFirst();
  return row !== undefined;
}

export async function updateReminderRunCounts(trx: Db, runOn: string, counts: { notices: number; digests: number }): Promise<void> {
  await trx.updateTable('reminder_runs').set(counts).where('organisation_id', '=', organisationOf(trx)).where('run_on', '=', runOn).execute();
}

export async function findReminderRun(db: Db, runOn: string): Promise<{ ran_at: string; notices: number; digests: number } | undefined> {
  return db
    .selectFrom('reminder_runs')
    .select(['ran_at', 'notices', 'digests'])
    .where('organisation_id', '=', organisationOf(db))
    .where('run_on', '=', runOn)
    .executeTakeFirst();
}

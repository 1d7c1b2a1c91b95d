import { sql, type Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import { addDays } from '../../core/calendar';
import { organisationOf } from '../../core/db/scope';
import type { NcSeverity } from './nonconformities.model';
import type { ActionStatus } from './nonconformities.actions.model';
import type { NcActionsTable } from './nonconformities.actions.tables';

/**
 * The lists of actions (a user's, the overdue and due soon, the filtered list of every action): the organisation's
 * actions, read from nc_actions_org_due_idx (organisation_id, status, due_date) or, for one owner, from the owner's
 * index (an owner is a user of the organisation: their actions are all the organisation's, rule 1).
 */

export type ActionListRow = Pick<
  Selectable<NcActionsTable>,
  'id' | 'nonconformity_id' | 'risk_id' | 'review_decision_id' | 'type' | 'kind' | 'description' | 'owner_id' | 'due_date' | 'status' | 'completed_on'
> & {
  nc_code: string | null;
  nc_title: string | null;
  nc_severity: NcSeverity | null;
  risk_code: string | null;
  risk_description: string | null;
  risk_kind: 'risk' | 'opportunity' | null;
  review_id: number | null;
  review_code: string | null;
  review_decision_description: string | null;
  owner_name: string | null;
};

/** Actions with their source: a nonconformity, a risk or a management review's decision (one of the joins finds it). */
const listBase = (db: Db) =>
  db
    .selectFrom('nc_actions as a')
    .leftJoin('nonconformities as n', 'n.id', 'a.nonconformity_id')
    .leftJoin('risks as r', 'r.id', 'a.risk_id')
    .leftJoin('management_review_decisions as rd', 'rd.id', 'a.review_decision_id')
    .leftJoin('management_reviews as mr', 'mr.id', 'rd.review_id')
    .leftJoin('users as o', 'o.id', 'a.owner_id')
    .select([
      'a.id',
      'a.nonconformity_id',
      'a.risk_id',
      'a.review_decision_id',
      'mr.id as review_id',
      'mr.code as review_code',
      'rd.description as review_decision_description',
      'r.code as risk_code',
      'r.description as risk_description',
      'r.kind as risk_kind',
      'n.code as nc_code',
      'n.title as nc_title',
      'n.severity as nc_severity',
      'a.type',
      'a.kind',
      'a.description',
      'a.owner_id',
      'o.full_name as owner_name',
      'a.due_date',
      'a.status',
      'a.completed_on',
    ]);

/**
 * "Việc của tôi": the user's actions. Open ones first, by due date; then those finished in the last
 * 90 days before `today`, most recent first.
 */
/** The user's open actions (planned or in progress), earliest due first. */
export function listMyOpenActions(db: Db, userId: number): Promise<ActionListRow[]> {
  // No organisation filter: the owner (the signed-in user) is one of the organisation's users, so all their actions
  // are the organisation's; with it SQLite took nc_actions_org_due_idx (every open action of the organisation, then
  // a sort) over the owner's own index.
  // Literal statuses: PostgreSQL keeps one plan for the prepared statement (with parameters it planned it again on
  // every request).
  return listBase(db)
    .where('a.owner_id', '=', userId)
    .where('a.status', 'in', [sql.lit('planned') as never, sql.lit('in_progress') as never])
    .orderBy('a.due_date')
    .orderBy('a.id')
    .execute();
}

export async function listMyActions(db: Db, userId: number, today: string): Promise<{ open: ActionListRow[]; recent: ActionListRow[] }> {
  const open = await listMyOpenActions(db, userId);
  const since = addDays(today, -90);
  const recent = await listBase(db)
    .where('a.owner_id', '=', userId)
    .where('a.status', '=', 'done')
    .where('a.completed_on', '>=', since)
    .orderBy('a.completed_on', 'desc')
    .orderBy('a.id', 'desc')
    .limit(50)
    .execute();
  return { open, recent };
}

/** Open actions past due (due_date < today) or due within `days` days (today … today + days), earliest first. */
export async function listOverdueAndDueSoonActions(db: Db, today: string, days: number): Promise<{ overdue: ActionListRow[]; dueSoon: ActionListRow[] }> {
  const until = addDays(today, days);
  const rows = await listBase(db)
    .where('a.organisation_id', '=', organisationOf(db))
    .where('a.status', 'in', ['planned', 'in_progress'])
    .where('a.due_date', '<=', until)
    .orderBy('a.due_date')
    .orderBy('a.id')
    .execute();
  return { overdue: rows.filter((r) => r.due_date < today), dueSoon: rows.filter((r) => r.due_date >= today) };
}

export interface ActionFilter {
  status?: ActionStatus | 'open';
  ownerId?: number;
  overdueBefore?: string;
}

export function listActions(db: Db, filter: ActionFilter, limit: number, offset: number): Promise<ActionListRow[]> {
  return applyActionFilter(listBase(db).where('a.organisation_id', '=', organisationOf(db)), filter)
    .orderBy('a.due_date')
    .orderBy('a.id')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function countActions(db: Db, filter: ActionFilter): Promise<number> {
  const row = await applyActionFilter(
    db
      .selectFrom('nc_actions as a')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('a.organisation_id', '=', organisationOf(db)),
    filter,
  ).executeTakeFirstOrThrow();
  return Number(row.n);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any query builder with a where() of its own kind (Kysely has no type for it)
function applyActionFilter<Q extends { where: (...args: any[]) => Q }>(q: Q, filter: ActionFilter): Q {
  let out = q;
  if (filter.status === 'open') out = out.where('a.status', 'in', ['planned', 'in_progress']);
  else if (filter.status) out = out.where('a.status', '=', filter.status);
  if (filter.ownerId) out = out.where('a.owner_id', '=', filter.ownerId);
  if (filter.overdueBefore) out = out.where('a.status', 'in', ['planned', 'in_progress']).where('a.due_date', '<', filter.overdueBefore);
  return out;
}

import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { NcSeverity, NcStatus } from './nonconformities.model';
import type { ActionStatus } from './nonconformities.actions.model';
import type { NcActionDueHistoryTable, NcActionsTable } from './nonconformities.actions.tables';

/** Every SQL statement about one action, its progress notes and evidence files (the lists: nonconformities.actions.list.queries.ts). */

export { countActions, listActions, listMyActions, listMyOpenActions, listOverdueAndDueSoonActions } from './nonconformities.actions.list.queries';
export type { ActionFilter, ActionListRow } from './nonconformities.actions.list.queries';

export type NewActionRow = Pick<
  Selectable<NcActionsTable>,
  'nonconformity_id' | 'risk_id' | 'review_decision_id' | 'type' | 'kind' | 'document_id' | 'description' | 'owner_id' | 'due_date' | 'created_by'
>;

export async function insertAction(trx: Db, values: NewActionRow, at: string): Promise<number> {
  const row = await trx
    .insertInto('nc_actions')
    .values({ ...values, organisation_id: organisationOf(trx), created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export type ActionChanges = Omit<
  Updateable<NcActionsTable>,
  'id' | 'nonconformity_id' | 'risk_id' | 'review_decision_id' | 'version' | 'created_at' | 'updated_at'
>;

export async function updateAction(trx: Db, id: number, changes: ActionChanges, version: number, at: string): Promise<boolean> {
  const result = await trx
    .updateTable('nc_actions')
    .set({ ...changes, updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(trx))
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * An action with its source (the nonconformity, the risk or the management review's decision it belongs to: the
 * fields of the others are null) and the names of its owner and completer.
 */
export type ActionRow = Pick<
  Selectable<NcActionsTable>,
  | 'id'
  | 'nonconformity_id'
  | 'risk_id'
  | 'review_decision_id'
  | 'type'
  | 'kind'
  | 'document_id'
  | 'description'
  | 'owner_id'
  | 'due_date'
  | 'status'
  | 'started_on'
  | 'completed_on'
  | 'completed_by'
  | 'completion_note'
  | 'fixed_by_revision_id'
  | 'fixed_by_revision_no'
  | 'cancelled_on'
  | 'cancel_reason'
  | 'version'
  | 'created_at'
> & {
  nc_code: string | null;
  nc_title: string | null;
  nc_status: NcStatus | null;
  nc_severity: NcSeverity | null;
  nc_responsible_user_id: number | null;
  nc_reported_by: number | null;
  risk_code: string | null;
  risk_description: string | null;
  risk_kind: 'risk' | 'opportunity' | null;
  risk_status: 'open' | 'closed' | null;
  risk_owner_id: number | null;
  review_id: number | null;
  review_code: string | null;
  review_decision_description: string | null;
  owner_name: string | null;
  completed_by_name: string | null;
};

const base = (db: Db) =>
  db
    .selectFrom('nc_actions as a')
    .leftJoin('nonconformities as n', 'n.id', 'a.nonconformity_id')
    .leftJoin('risks as r', 'r.id', 'a.risk_id')
    .leftJoin('management_review_decisions as rd', 'rd.id', 'a.review_decision_id')
    .leftJoin('management_reviews as mr', 'mr.id', 'rd.review_id')
    .leftJoin('users as o', 'o.id', 'a.owner_id')
    .leftJoin('users as cb', 'cb.id', 'a.completed_by')
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
      'r.status as risk_status',
      'r.owner_id as risk_owner_id',
      'n.code as nc_code',
      'n.title as nc_title',
      'n.status as nc_status',
      'n.severity as nc_severity',
      'n.responsible_user_id as nc_responsible_user_id',
      'n.reported_by as nc_reported_by',
      'a.type',
      'a.kind',
      'a.document_id',
      'a.description',
      'a.owner_id',
      'o.full_name as owner_name',
      'a.due_date',
      'a.status',
      'a.started_on',
      'a.completed_on',
      'a.completed_by',
      'cb.full_name as completed_by_name',
      'a.completion_note',
      'a.fixed_by_revision_id',
      'a.fixed_by_revision_no',
      'a.cancelled_on',
      'a.cancel_reason',
      'a.version',
      'a.created_at',
    ]);

/** An action of the organisation (another organisation's id: not found, so the route's 404). */
export function findAction(db: Db, id: number): Promise<ActionRow | undefined> {
  return base(db).where('a.id', '=', id).where('a.organisation_id', '=', organisationOf(db)).executeTakeFirst();
}

// Read by the id of an NC or an action found by a scoped lookup (the organisation's): no second filter (rule 1).

export function listActionsOfNc(db: Db, ncId: number): Promise<ActionRow[]> {
  return base(db).where('a.nonconformity_id', '=', ncId).orderBy('a.id').execute();
}

/** The actions of a risk or opportunity (found by a scoped lookup), in the order they were planned. */
export function listActionsOfRisk(db: Db, riskId: number): Promise<ActionRow[]> {
  return base(db).where('a.risk_id', '=', riskId).orderBy('a.id').execute();
}

export function listOpenActionsOfNc(db: Db, ncId: number): Promise<ActionRow[]> {
  return base(db).where('a.nonconformity_id', '=', ncId).where('a.status', 'in', ['planned', 'in_progress']).orderBy('a.id').execute();
}

/** Counts of an NC's actions by status, and the date the last one was completed. */
export async function actionTallyOfNc(db: Db, ncId: number): Promise<{ open: number; done: number; cancelled: number; lastCompletedOn: string | null }> {
  const rows = await db
    .selectFrom('nc_actions')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max<string>('completed_on').as('last')])
    .where('nonconformity_id', '=', ncId)
    .groupBy('status')
    .execute();
  const n = (s: ActionStatus) => Number(rows.find((r) => r.status === s)?.n ?? 0);
  return {
    open: n('planned') + n('in_progress'),
    done: n('done'),
    cancelled: n('cancelled'),
    lastCompletedOn: rows.find((r) => r.status === 'done')?.last ?? null,
  };
}

/** Open "revise document" actions waiting for a new effective revision of the document (one of the organisation's). */
export function listOpenReviseActionsForDocument(db: Db, documentId: number): Promise<ActionRow[]> {
  return base(db)
    .where('a.document_id', '=', documentId)
    .where('a.organisation_id', '=', organisationOf(db))
    .where('a.kind', '=', 'revise_document')
    .where('a.status', 'in', ['planned', 'in_progress'])
    .orderBy('a.id')
    .execute();
}

export async function insertActionNote(trx: Db, row: { action_id: number; note: string; author_id: number | null; at: string }): Promise<number> {
  const r = await trx
    .insertInto('nc_action_notes')
    .values({ ...row, organisation_id: organisationOf(trx) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export function listActionNotes(db: Db, actionId: number) {
  return db
    .selectFrom('nc_action_notes as n')
    .leftJoin('users as u', 'u.id', 'n.author_id')
    .select(['n.id', 'n.note', 'n.at', 'u.full_name as author_name'])
    .where('n.action_id', '=', actionId)
    .orderBy('n.id')
    .execute();
}

export async function insertActionFile(
  trx: Db,
  row: { action_id: number; sha256: string; file_name: string; mime_type: string; size_bytes: number; uploaded_by: number | null; uploaded_at: string },
): Promise<number> {
  const r = await trx
    .insertInto('nc_action_files')
    .values({ ...row, organisation_id: organisationOf(trx) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export function listActionFiles(db: Db, actionId: number) {
  return db
    .selectFrom('nc_action_files as f')
    .leftJoin('users as u', 'u.id', 'f.uploaded_by')
    .select(['f.id', 'f.sha256', 'f.file_name', 'f.mime_type', 'f.size_bytes', 'f.uploaded_at', 'u.full_name as uploader_name'])
    .where('f.action_id', '=', actionId)
    .orderBy('f.id')
    .execute();
}

export function findActionFile(db: Db, actionId: number, fileId: number) {
  return db
    .selectFrom('nc_action_files')
    .select(['id', 'sha256', 'file_name', 'mime_type', 'size_bytes'])
    .where('action_id', '=', actionId)
    .where('id', '=', fileId)
    .executeTakeFirst();
}

/** An active user of the organisation: who may own an action or be named as having made a correction. */
export function findActiveUser(db: Db, id: number): Promise<{ id: number; full_name: string } | undefined> {
  return db
    .selectFrom('users')
    .select(['id', 'full_name'])
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('active', '=', 1)
    .executeTakeFirst();
}

/** Whether a document of the organisation is active: a "revise document" action names one. */
export async function isActiveDocument(db: Db, id: number): Promise<boolean> {
  const row = await db
    .selectFrom('documents')
    .select('id')
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'active')
    .executeTakeFirst();
  return row !== undefined;
}

/** Records a change of an action's due date (nc_action_due_history). */
export async function insertDueChange(db: Db, row: Omit<Insertable<NcActionDueHistoryTable>, 'organisation_id'>): Promise<void> {
  await db
    .insertInto('nc_action_due_history')
    .values({ ...row, organisation_id: organisationOf(db) })
    .execute();
}

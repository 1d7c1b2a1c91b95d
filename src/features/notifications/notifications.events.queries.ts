import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { Role } from '../../core/http/roles';

/**
 * What the events of the inbox read: the records a change is about and the people they wait for. Every query is the
 * organisation's own (the scope of the transaction that made the change); people are its active users.
 */

/** Active users of the organisation with one of these roles (optionally of one unit). */
export async function activeUsersWithRole(db: Db, roles: readonly Role[], unitId?: number | null): Promise<number[]> {
  let q = db
    .selectFrom('users')
    .select('id')
    .where('organisation_id', '=', organisationOf(db))
    .where('active', '=', 1)
    .where('role', 'in', [...roles]);
  if (unitId !== undefined) {
    if (unitId === null) return [];
    q = q.where('unit_id', '=', unitId);
  }
  return (await q.orderBy('id').execute()).map((r) => Number(r.id));
}

/** The roles of these users (to keep only those who may open a record's page). */
export async function rolesOf(db: Db, ids: readonly number[]): Promise<Map<number, Role>> {
  if (ids.length === 0) return new Map();
  const found = await db
    .selectFrom('users')
    .select(['id', 'role'])
    .where('organisation_id', '=', organisationOf(db))
    .where('id', 'in', [...ids])
    .execute();
  return new Map(found.map((r) => [Number(r.id), r.role]));
}

export async function actionOf(db: Db, id: number) {
  return db
    .selectFrom('nc_actions')
    .leftJoin('nonconformities', 'nonconformities.id', 'nc_actions.nonconformity_id')
    .select([
      'nc_actions.id',
      'nc_actions.owner_id',
      'nc_actions.due_date',
      'nc_actions.status',
      'nc_actions.nonconformity_id',
      'nonconformities.code',
      'nonconformities.title',
    ])
    .where('nc_actions.id', '=', id)
    .where('nc_actions.organisation_id', '=', organisationOf(db))
    .executeTakeFirst();
}

export async function revisionOf(db: Db, id: number) {
  return db
    .selectFrom('document_revisions')
    .innerJoin('documents', 'documents.id', 'document_revisions.document_id')
    .select([
      'document_revisions.id',
      'document_revisions.document_id',
      'document_revisions.revision_no',
      'document_revisions.status',
      'document_revisions.author_id',
      'document_revisions.reviewer_id',
      'document_revisions.effective_from',
      'documents.code',
      'documents.title',
    ])
    .where('document_revisions.id', '=', id)
    .where('document_revisions.organisation_id', '=', organisationOf(db))
    .executeTakeFirst();
}

/** The active users a document concerns (its read-and-acknowledge scope) who have not acknowledged this revision. */
export async function mustAcknowledge(db: Db, documentId: number, revisionId: number): Promise<number[]> {
  const organisationId = organisationOf(db);
  const doc = await db
    .selectFrom('documents')
    .select(['ack_scope', 'owner_unit_id'])
    .where('id', '=', documentId)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  if (!doc) return [];
  let q = db
    .selectFrom('users')
    .select('users.id')
    .where('users.organisation_id', '=', organisationId)
    .where('users.active', '=', 1)
    .where('users.role', '!=', 'inspector')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('document_acknowledgements as a').select('a.id').whereRef('a.user_id', '=', 'users.id').where('a.revision_id', '=', revisionId),
        ),
      ),
    );
  if (doc.ack_scope === 'owner_unit') {
    if (doc.owner_unit_id === null) return [];
    q = q.where('users.unit_id', '=', doc.owner_unit_id);
  } else if (doc.ack_scope === 'units') {
    q = q.where('users.unit_id', 'in', (eb) => eb.selectFrom('document_ack_units').select('unit_id').where('document_id', '=', documentId));
  } else if (doc.ack_scope !== 'all') return [];
  return (await q.orderBy('users.id').execute()).map((r) => Number(r.id));
}

export async function findingOf(db: Db, id: number) {
  return db
    .selectFrom('audit_findings')
    .innerJoin('audits', 'audits.id', 'audit_findings.audit_id')
    .leftJoin('procedures', 'procedures.id', 'audit_findings.procedure_id')
    .select([
      'audit_findings.id',
      'audit_findings.audit_id',
      'audit_findings.seq',
      'audit_findings.grade',
      'audit_findings.status',
      'audits.code',
      'audits.title',
      'audits.auditee_unit_id',
      'procedures.unit_id as procedure_unit_id',
    ])
    .where('audit_findings.id', '=', id)
    .where('audit_findings.organisation_id', '=', organisationOf(db))
    .executeTakeFirst();
}

export async function auditOf(db: Db, id: number) {
  return db
    .selectFrom('audits')
    .select(['id', 'code', 'title', 'status', 'lead_auditor_id', 'auditee_unit_id', 'planned_start', 'planned_end'])
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .executeTakeFirst();
}

export async function auditTeamOf(db: Db, auditId: number): Promise<number[]> {
  const found = await db
    .selectFrom('audit_team_members')
    .select('user_id')
    .where('audit_id', '=', auditId)
    .where('organisation_id', '=', organisationOf(db))
    .execute();
  return found.map((r) => Number(r.user_id));
}

export async function feedbackOf(db: Db, id: number) {
  return db
    .selectFrom('feedback')
    .select(['id', 'code', 'status', 'assignee_id', 'answer_due_on', 'received_on'])
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .executeTakeFirst();
}

import { sql } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';

/**
 * What independence at recording and the report read about who did what in an audit: the audited units a user
 * belongs to (the scope's units and the auditee unit), and who recorded the results of each procedure's questions.
 */

/** The audited units of the audit (audit_units and audits.auditee_unit_id) that `userId` belongs to. */
export async function listAuditedUnitsOfUser(db: Db, auditId: number, userId: number): Promise<{ unit_id: number; unit_code: string; unit_name: string }[]> {
  const user = await db.selectFrom('users').select('unit_id').where('organisation_id', '=', organisationOf(db)).where('id', '=', userId).executeTakeFirst();
  if (!user?.unit_id) return [];
  const scoped = await db.selectFrom('audit_units').select('unit_id').where('audit_id', '=', auditId).where('unit_id', '=', user.unit_id).executeTakeFirst();
  const auditee = await db
    .selectFrom('audits')
    .select('auditee_unit_id')
    .where('organisation_id', '=', organisationOf(db))
    .where('id', '=', auditId)
    .where('auditee_unit_id', '=', user.unit_id)
    .executeTakeFirst();
  if (!scoped && !auditee) return [];
  const unit = await db
    .selectFrom('units')
    .select(['id as unit_id', 'code as unit_code', 'name as unit_name'])
    .where('id', '=', user.unit_id)
    .executeTakeFirst();
  return unit ? [unit] : [];
}

export interface AssessorRow {
  procedure_id: number | null;
  procedure_code: string | null;
  user_id: number;
  full_name: string;
  n: number;
}

/** Per procedure (null: the general questions) and auditor: how many questions that auditor answered. */
export async function listAssessors(db: Db, auditId: number): Promise<AssessorRow[]> {
  const rows = await db
    .selectFrom('audit_checklist_items as i')
    .innerJoin('users', 'users.id', 'i.assessed_by')
    .leftJoin('procedures', 'procedures.id', 'i.procedure_id')
    .select(['i.procedure_id', 'procedures.code as procedure_code', 'users.id as user_id', 'users.full_name', sql<number>`count(*)`.as('n')])
    .where('i.audit_id', '=', auditId)
    .where('i.result', 'is not', null)
    .groupBy(['i.procedure_id', 'procedures.code', 'users.id', 'users.full_name'])
    .execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

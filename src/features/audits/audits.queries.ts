import type { Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { AuditStatus, AuditsTable, AuditType } from './audits.tables';
import { sortVi } from '../../core/text/collate';

/** Audits: the record, its scope (procedures, units, clauses) and team, and the register. */
export type AuditRow = Pick<
  Selectable<AuditsTable>,
  | 'id'
  | 'code'
  | 'year'
  | 'type'
  | 'programme_item_id'
  | 'follow_up_of'
  | 'title'
  | 'objectives'
  | 'criteria_other'
  | 'external_body'
  | 'auditee_unit_id'
  | 'lead_auditor_id'
  | 'planned_start'
  | 'planned_end'
  | 'actual_start'
  | 'actual_end'
  | 'status'
  | 'cancel_reason'
  | 'conclusion'
  | 'report_issued_at'
  | 'report_signature_id'
  | 'closed_at'
  | 'version'
> & {
  follow_up_of_code: string | null;
  auditee_unit_name: string | null;
  lead_auditor_name: string;
};

/** The organisation's audits with their lead auditor, unit and origin (joined by id from the audit: the same organisation). */
const base = (db: Db) =>
  db
    .selectFrom('audits')
    .where('audits.organisation_id', '=', organisationOf(db))
    .innerJoin('users as lead', 'lead.id', 'audits.lead_auditor_id')
    .leftJoin('units', 'units.id', 'audits.auditee_unit_id')
    .leftJoin('audits as origin', 'origin.id', 'audits.follow_up_of')
    .select([
      'audits.id',
      'audits.code',
      'audits.year',
      'audits.type',
      'audits.programme_item_id',
      'audits.follow_up_of',
      'origin.code as follow_up_of_code',
      'audits.title',
      'audits.objectives',
      'audits.criteria_other',
      'audits.external_body',
      'audits.auditee_unit_id',
      'units.name as auditee_unit_name',
      'audits.lead_auditor_id',
      'lead.full_name as lead_auditor_name',
      'audits.planned_start',
      'audits.planned_end',
      'audits.actual_start',
      'audits.actual_end',
      'audits.status',
      'audits.cancel_reason',
      'audits.conclusion',
      'audits.report_issued_at',
      'audits.report_signature_id',
      'audits.closed_at',
      'audits.version',
    ]);

export function findAudit(db: Db, id: number): Promise<AuditRow | undefined> {
  return base(db).where('audits.id', '=', id).executeTakeFirst();
}

export interface AuditFilter {
  year?: number;
  status?: AuditStatus;
  type?: AuditType;
}

export function listAudits(db: Db, filter: AuditFilter, limit = 200, offset = 0): Promise<AuditRow[]> {
  let q = base(db);
  if (filter.year) q = q.where('audits.planned_start', '>=', `${filter.year}-01-01`).where('audits.planned_start', '<=', `${filter.year}-12-31`);
  if (filter.status) q = q.where('audits.status', '=', filter.status);
  if (filter.type) q = q.where('audits.type', '=', filter.type);
  return q.orderBy('audits.planned_start', 'desc').orderBy('audits.id', 'desc').limit(limit).offset(offset).execute();
}

export async function countAudits(db: Db, filter: AuditFilter): Promise<number> {
  let q = db
    .selectFrom('audits')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisationOf(db));
  if (filter.year) q = q.where('planned_start', '>=', `${filter.year}-01-01`).where('planned_start', '<=', `${filter.year}-12-31`);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.type) q = q.where('type', '=', filter.type);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

export function listAuditsOfItems(
  db: Db,
  itemIds: number[],
): Promise<{ id: number; code: string; status: AuditStatus; programme_item_id: number | null; actual_start: string | null }[]> {
  if (itemIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('audits')
    .select(['id', 'code', 'status', 'programme_item_id', 'actual_start'])
    .where('organisation_id', '=', organisationOf(db))
    .where('programme_item_id', 'in', itemIds)
    .orderBy('id')
    .execute();
}

export interface AuditScope {
  procedureIds: number[];
  unitIds: number[];
  clauses: string[];
  memberIds: number[];
}

/**
 * The scope and team of an audit found among the organisation's (findAudit): its rows are the organisation's through
 * the audit, so these reads (and the three below) need no second organisation filter.
 */
export async function findAuditScope(db: Db, auditId: number): Promise<AuditScope> {
  const [procedures, units, clauses, members] = await Promise.all([
    db.selectFrom('audit_procedures').select('procedure_id').where('audit_id', '=', auditId).orderBy('procedure_id').execute(),
    db.selectFrom('audit_units').select('unit_id').where('audit_id', '=', auditId).orderBy('unit_id').execute(),
    db.selectFrom('audit_clauses').select('clause').where('audit_id', '=', auditId).execute(),
    db.selectFrom('audit_team_members').select('user_id').where('audit_id', '=', auditId).orderBy('user_id').execute(),
  ]);
  return {
    procedureIds: procedures.map((r) => r.procedure_id),
    unitIds: units.map((r) => r.unit_id),
    clauses: clauses.map((r) => r.clause),
    memberIds: members.map((r) => r.user_id),
  };
}

/** Procedures of the scope with code and title, for display and the checklist. */
export function listAuditProcedures(db: Db, auditId: number): Promise<{ id: number; code: string; title: string; unit_id: number | null }[]> {
  return db
    .selectFrom('audit_procedures')
    .innerJoin('procedures', 'procedures.id', 'audit_procedures.procedure_id')
    .select(['procedures.id', 'procedures.code', 'procedures.title', 'procedures.unit_id'])
    .where('audit_procedures.audit_id', '=', auditId)
    .orderBy('procedures.code')
    .execute();
}

export async function listAuditUnits(db: Db, auditId: number): Promise<{ id: number; code: string; name: string }[]> {
  const rows = await db
    .selectFrom('audit_units')
    .innerJoin('units', 'units.id', 'audit_units.unit_id')
    .select(['units.id', 'units.code', 'units.name'])
    .where('audit_units.audit_id', '=', auditId)
    .execute();
  return sortVi(
    rows,
    (u) => u.code,
    (u) => u.name,
  );
}

export async function listAuditTeam(
  db: Db,
  auditId: number,
): Promise<{ id: number; full_name: string; position_title: string | null; unit_name: string | null }[]> {
  const rows = await db
    .selectFrom('audit_team_members')
    .innerJoin('users', 'users.id', 'audit_team_members.user_id')
    .leftJoin('units', 'units.id', 'users.unit_id')
    .select(['users.id', 'users.full_name', 'users.position_title', 'units.name as unit_name'])
    .where('audit_team_members.audit_id', '=', auditId)
    .execute();
  return sortVi(rows, (u) => u.full_name);
}

export interface AuditValues {
  type: AuditType;
  title: string;
  objectives: string;
  criteria_other: string;
  external_body: string | null;
  auditee_unit_id: number | null;
  lead_auditor_id: number;
  planned_start: string;
  planned_end: string;
  actual_start: string | null;
  actual_end: string | null;
}

/** Takes the next number of a code series inside the caller's (BEGIN IMMEDIATE) transaction: gap-free per year. */
export async function nextAuditNumber(trx: Db, prefix: string, year: number): Promise<number> {
  const row = await trx
    .insertInto('audit_code_counters')
    .values({ organisation_id: organisationOf(trx), prefix, year, last_no: 1 })
    .onConflict((oc) => oc.columns(['organisation_id', 'prefix', 'year']).doUpdateSet((eb) => ({ last_no: eb('audit_code_counters.last_no', '+', 1) })))
    .returning('last_no')
    .executeTakeFirstOrThrow();
  return row.last_no;
}

export async function insertAudit(
  trx: Db,
  values: AuditValues & { code: string; year: number; seq: number; programme_item_id: number | null; follow_up_of: number | null; created_by: number | null },
  at: string,
): Promise<number> {
  const row = await trx
    .insertInto('audits')
    .values({ ...values, organisation_id: organisationOf(trx), created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

type AuditChanges = Partial<AuditValues> &
  Partial<{
    status: AuditStatus;
    cancel_reason: string | null;
    cancelled_on: string;
    conclusion: string;
    report_issued_at: string;
    report_signature_id: number;
    closed_at: string;
  }>;

/** Optimistic update: only when `version` is current. Returns false on a conflicting edit. */
export async function updateAudit(trx: Db, id: number, changes: AuditChanges, version: number, at: string): Promise<boolean> {
  const result = await trx
    .updateTable('audits')
    .set({ ...changes, updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(trx))
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Replaces the scope and team of an audit (one of the organisation's, its ids checked by validateAuditInput). */
export async function replaceAuditScope(trx: Db, auditId: number, scope: AuditScope): Promise<void> {
  const organisation_id = organisationOf(trx);
  await trx.deleteFrom('audit_procedures').where('audit_id', '=', auditId).execute();
  await trx.deleteFrom('audit_units').where('audit_id', '=', auditId).execute();
  await trx.deleteFrom('audit_clauses').where('audit_id', '=', auditId).execute();
  await trx.deleteFrom('audit_team_members').where('audit_id', '=', auditId).execute();
  if (scope.procedureIds.length)
    await trx
      .insertInto('audit_procedures')
      .values(scope.procedureIds.map((procedure_id) => ({ organisation_id, audit_id: auditId, procedure_id })))
      .execute();
  if (scope.unitIds.length)
    await trx
      .insertInto('audit_units')
      .values(scope.unitIds.map((unit_id) => ({ organisation_id, audit_id: auditId, unit_id })))
      .execute();
  if (scope.clauses.length)
    await trx
      .insertInto('audit_clauses')
      .values(scope.clauses.map((clause) => ({ organisation_id, audit_id: auditId, clause })))
      .execute();
  if (scope.memberIds.length)
    await trx
      .insertInto('audit_team_members')
      .values(scope.memberIds.map((user_id) => ({ organisation_id, audit_id: auditId, user_id })))
      .execute();
}

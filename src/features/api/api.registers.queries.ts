import { sql } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { OnlineLevel, ProcedureKind, ProcedureStatus } from '../../core/db/schema';
import type { DocumentType } from '../documents/documents.tables';
import { inForceIdNow } from '../documents/documents.inforce.queries';
import { ACTIVE_STATUSES, type NcSeverity, type NcSource, type NcStatus } from '../nonconformities/nonconformities.model';

/**
 * The registers read through the API: keyset pages (id ascending, after the cursor's id), one row more than the page
 * to know whether another follows. Every query is the organisation's own (organisationOf).
 */
export interface Keyset {
  after: number;
  limit: number;
}

export interface ApiProcedureFilter {
  status?: ProcedureStatus;
  field?: string;
  kind?: ProcedureKind;
  unit?: string;
}

export interface ApiProcedureRow {
  id: number;
  code: string;
  national_code: string | null;
  title: string;
  field: string;
  kind: ProcedureKind;
  status: ProcedureStatus;
  processing_days: number | null;
  online_level: OnlineLevel;
  on_time_target: number;
  retired_at: string | null;
  unit_code: string | null;
  unit_name: string | null;
}

const procedures = (db: Db) =>
  db
    .selectFrom('procedures as p')
    .leftJoin('units as u', 'u.id', 'p.unit_id')
    .select([
      'p.id',
      'p.code',
      'p.national_code',
      'p.title',
      'p.field',
      'p.kind',
      'p.status',
      'p.processing_days',
      'p.online_level',
      'p.on_time_target',
      'p.retired_at',
      'u.code as unit_code',
      'u.name as unit_name',
    ])
    .where('p.organisation_id', '=', organisationOf(db));

export function listProceduresAfter(db: Db, f: ApiProcedureFilter, page: Keyset): Promise<ApiProcedureRow[]> {
  let q = procedures(db).where('p.id', '>', page.after);
  if (f.status) q = q.where('p.status', '=', f.status);
  if (f.field) q = q.where('p.field', '=', f.field);
  if (f.kind) q = q.where('p.kind', '=', f.kind);
  if (f.unit) q = q.where('u.code', '=', f.unit);
  return q
    .orderBy('p.id')
    .limit(page.limit + 1)
    .execute();
}

export function findApiProcedure(db: Db, code: string): Promise<ApiProcedureRow | undefined> {
  return procedures(db).where('p.code', '=', code).executeTakeFirst();
}

export interface ApiNcFilter {
  status?: NcStatus | 'active';
  source?: NcSource;
  severity?: NcSeverity;
  procedure?: string;
  raisedFrom?: string;
  raisedTo?: string;
  /** An instant (ISO, UTC): only NCs whose record changed at or after it. */
  updatedSince?: string;
}

export interface ApiNcRow {
  id: number;
  code: string;
  title: string;
  status: NcStatus;
  severity: NcSeverity;
  source: NcSource;
  clause: string | null;
  procedure_code: string | null;
  unit_code: string | null;
  unit_name: string | null;
  detected_on: string;
  verify_due_on: string | null;
  closed_on: string | null;
  cancelled_on: string | null;
  next_action_due: string | null;
  updated_at: string;
}

/** The register's rows, with the columns staff see on the list (no person's name), and the earliest due open action. */
export function listNonconformitiesAfter(db: Db, f: ApiNcFilter, page: Keyset): Promise<ApiNcRow[]> {
  let q = db
    .selectFrom('nonconformities as n')
    .leftJoin('procedures as p', 'p.id', 'n.procedure_id')
    .leftJoin('units as u', 'u.id', 'n.responsible_unit_id')
    .select((eb) => [
      'n.id',
      'n.code',
      'n.title',
      'n.status',
      'n.severity',
      'n.source',
      'n.clause',
      'p.code as procedure_code',
      'u.code as unit_code',
      'u.name as unit_name',
      'n.detected_on',
      'n.verify_due_on',
      'n.closed_on',
      'n.cancelled_on',
      'n.updated_at',
      eb
        .selectFrom('nc_actions as a')
        .select((e) => e.fn.min<string>('a.due_date').as('m'))
        .whereRef('a.nonconformity_id', '=', 'n.id')
        .where('a.status', 'in', ['planned', 'in_progress'])
        .as('next_action_due'),
    ])
    .where('n.organisation_id', '=', organisationOf(db))
    .where('n.id', '>', page.after);
  // The register's filter semantics (nonconformities.list.queries.ts): 'active' is every state before the end.
  if (f.status === 'active') q = q.where('n.status', 'in', [...ACTIVE_STATUSES]);
  else if (f.status) q = q.where('n.status', '=', f.status);
  if (f.source) q = q.where('n.source', '=', f.source);
  if (f.severity) q = q.where('n.severity', '=', f.severity);
  if (f.procedure) q = q.where('p.code', '=', f.procedure);
  if (f.raisedFrom) q = q.where('n.detected_on', '>=', f.raisedFrom);
  if (f.raisedTo) q = q.where('n.detected_on', '<=', f.raisedTo);
  if (f.updatedSince) q = q.where('n.updated_at', '>=', f.updatedSince);
  return q
    .orderBy('n.id')
    .limit(page.limit + 1)
    .execute();
}

export interface ApiCurrentDocumentFilter {
  type?: DocumentType;
  unit?: string;
  procedure?: string;
}

export interface ApiCurrentDocumentRow {
  id: number;
  code: string;
  title: string;
  type: DocumentType;
  revision_no: number;
  effective_from: string;
  next_review_due: string | null;
  review_interval_months: number;
  unit_code: string | null;
  unit_name: string | null;
  procedure_code: string | null;
}

/**
 * The documents in force on `today`: the rule of listCurrentDocuments (an active document and its revision in force,
 * from 00:00 of its date: documents.inforce.queries). Its next review date before the transition is recorded: the one
 * the transition sets.
 */
export function listCurrentDocumentsAfter(db: Db, f: ApiCurrentDocumentFilter, page: Keyset, today: string): Promise<ApiCurrentDocumentRow[]> {
  let q = db
    .selectFrom('documents as d')
    .innerJoin('document_revisions as r', (j) => j.on('r.id', '=', inForceIdNow(sql.ref('d.id'), today)))
    .leftJoin('procedures as p', 'p.id', 'd.procedure_id')
    .leftJoin('units as u', 'u.id', 'd.owner_unit_id')
    .select([
      'd.id',
      'd.code',
      'd.title',
      'd.type',
      'r.revision_no',
      sql<string>`r.effective_from`.as('effective_from'),
      'r.next_review_due',
      'd.review_interval_months',
      'u.code as unit_code',
      'u.name as unit_name',
      'p.code as procedure_code',
    ])
    .where('d.organisation_id', '=', organisationOf(db))
    .where('d.status', '=', 'active')
    .where('d.id', '>', page.after);
  if (f.type) q = q.where('d.type', '=', f.type);
  if (f.unit) q = q.where('u.code', '=', f.unit);
  if (f.procedure) q = q.where('p.code', '=', f.procedure);
  return q
    .orderBy('d.id')
    .limit(page.limit + 1)
    .execute();
}

/** A unit's id by its code (the summary's filter takes a unit id). */
export async function findUnitIdByCode(db: Db, code: string): Promise<number | undefined> {
  return (await db.selectFrom('units').select('id').where('organisation_id', '=', organisationOf(db)).where('code', '=', code).executeTakeFirst())?.id;
}

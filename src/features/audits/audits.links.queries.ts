import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import { sortVi } from '../../core/text/collate';

/**
 * Read-only queries of other features' tables that audits need: who owns a procedure, who authored a
 * revision of its documents (independence), the status of the nonconformities findings raised. Each reads the
 * organisation's rows only: ids from a form that name another organisation's rows find nothing, which the callers
 * refuse as an invalid choice.
 */

export interface OwnershipConflictRow {
  user_id: number;
  procedure_id: number;
  procedure_code: string;
  unit_code: string;
}

/** Users (of `userIds`) whose own unit owns a procedure of `procedureIds`. */
export function listOwnershipConflicts(db: Db, userIds: number[], procedureIds: number[]): Promise<OwnershipConflictRow[]> {
  if (userIds.length === 0 || procedureIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('users')
    .innerJoin('procedures', 'procedures.unit_id', 'users.unit_id')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .select(['users.id as user_id', 'procedures.id as procedure_id', 'procedures.code as procedure_code', 'units.code as unit_code'])
    .where('users.organisation_id', '=', organisationOf(db))
    .where('users.id', 'in', userIds)
    .where('procedures.id', 'in', procedureIds)
    .orderBy('procedures.code')
    .execute();
}

export interface AuthorshipConflictRow {
  user_id: number;
  procedure_id: number;
  procedure_code: string;
  document_code: string;
  revision_no: number;
}

/** Users (of `userIds`) who authored a revision of a document of a procedure of `procedureIds`. */
export function listAuthorshipConflicts(db: Db, userIds: number[], procedureIds: number[]): Promise<AuthorshipConflictRow[]> {
  if (userIds.length === 0 || procedureIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('document_revisions')
    .innerJoin('documents', 'documents.id', 'document_revisions.document_id')
    .innerJoin('procedures', 'procedures.id', 'documents.procedure_id')
    .select([
      'document_revisions.author_id as user_id',
      'procedures.id as procedure_id',
      'procedures.code as procedure_code',
      'documents.code as document_code',
      'document_revisions.revision_no',
    ])
    .where('procedures.organisation_id', '=', organisationOf(db))
    .where('document_revisions.author_id', 'in', userIds)
    .where('documents.procedure_id', 'in', procedureIds)
    .where('document_revisions.status', '!=', 'cancelled')
    .orderBy('documents.code')
    .orderBy('document_revisions.revision_no')
    .execute();
}

export const CLOSED_NC_STATUSES = ['closed', 'cancelled', 'rejected'] as const;

export function listNonconformityStatuses(db: Db, ids: number[]): Promise<{ id: number; code: string; status: string; severity: string }[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('nonconformities')
    .select(['id', 'code', 'status', 'severity'])
    .where('organisation_id', '=', organisationOf(db))
    .where('id', 'in', ids)
    .execute();
}

/** Active procedures with their owning unit, for pickers and the coverage matrix. */
export function listActiveProcedures(db: Db): Promise<{ id: number; code: string; title: string; unit_id: number | null; unit_code: string | null }[]> {
  return db
    .selectFrom('procedures')
    .leftJoin('units', 'units.id', 'procedures.unit_id')
    .select(['procedures.id', 'procedures.code', 'procedures.title', 'procedures.unit_id', 'units.code as unit_code'])
    .where('procedures.organisation_id', '=', organisationOf(db))
    .where('procedures.status', '=', 'active')
    .orderBy('procedures.code')
    .execute();
}

export function listProceduresByIds(db: Db, ids: number[]): Promise<{ id: number; code: string; title: string; unit_id: number | null; status: string }[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('procedures')
    .select(['id', 'code', 'title', 'unit_id', 'status'])
    .where('organisation_id', '=', organisationOf(db))
    .where('id', 'in', ids)
    .orderBy('code')
    .execute();
}

export async function listUnitsByIds(db: Db, ids: number[]): Promise<{ id: number; code: string; name: string; active: number }[]> {
  if (ids.length === 0) return [];
  return sortVi(
    await db.selectFrom('units').select(['id', 'code', 'name', 'active']).where('organisation_id', '=', organisationOf(db)).where('id', 'in', ids).execute(),
    (u) => u.code,
    (u) => u.name,
  );
}

export async function listUsersByIds(
  db: Db,
  ids: number[],
): Promise<{ id: number; full_name: string; role: string; unit_id: number | null; active: number }[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('users')
    .select(['id', 'full_name', 'role', 'unit_id', 'active'])
    .where('organisation_id', '=', organisationOf(db))
    .where('id', 'in', ids)
    .execute();
  return sortVi(rows, (u) => u.full_name);
}

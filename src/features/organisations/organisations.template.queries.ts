import { sql, type SqlBool } from 'kysely';
import type { Db } from '../../core/db/database';
import type { OrganisationKind, OrganisationStatus } from '../../core/db/schema';
import { organisationOf } from '../../core/db/scope';
import { sortVi } from '../../core/text/collate';
import { inForceIdNow } from '../documents/documents.inforce.queries';

/**
 * Reads for starting an organisation from another one's register (organisation.template.service.ts) and for the
 * page of the organisations under an administrator's own. The organisation rows themselves have no scope; every read
 * of an organisation's data takes it from the handle (organisationOf), the source's or the target's.
 */

export interface OrganisationEntry {
  id: number;
  code: string;
  name: string;
  parent_id: number | null;
  kind: OrganisationKind;
  status: OrganisationStatus;
}

export async function findOrganisationEntry(db: Db, id: number): Promise<OrganisationEntry | undefined> {
  const row = await db.selectFrom('organisation').select(['id', 'code', 'name', 'parent_id', 'kind', 'status']).where('id', '=', id).executeTakeFirst();
  return row ? { ...row, id: Number(row.id) } : undefined;
}

export interface OrganisationListRow extends OrganisationEntry {
  parent_code: string | null;
  parent_name: string | null;
  active_users: number;
}

/** The organisations of `ids` with their parent and their count of active users: the first id first, then by code. */
export async function listOrganisationsByIds(db: Db, ids: number[]): Promise<OrganisationListRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('organisation as o')
    .leftJoin('organisation as p', 'p.id', 'o.parent_id')
    .select(['o.id', 'o.code', 'o.name', 'o.parent_id', 'o.kind', 'o.status', 'p.code as parent_code', 'p.name as parent_name'])
    .select((eb) =>
      eb
        .selectFrom('users as u')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('u.organisation_id', '=', 'o.id')
        .where('u.active', '=', 1)
        .as('active_users'),
    )
    .where('o.id', 'in', ids)
    .execute();
  const list = rows.map((r) => ({ ...r, id: Number(r.id), active_users: Number(r.active_users ?? 0) }));
  return sortVi(
    list,
    (r) => (r.id === ids[0] ? 0 : 1),
    (r) => r.code,
  );
}

/** Organisations of kind `template` (registers kept to start new offices from), by code. */
export async function listTemplateOrganisations(db: Db): Promise<OrganisationEntry[]> {
  const rows = await db
    .selectFrom('organisation')
    .select(['id', 'code', 'name', 'parent_id', 'kind', 'status'])
    .where('kind', '=', 'template')
    .orderBy('code')
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** Whether an organisation has organisations directly under it (the admin menu shows the page of them only then). */
export async function hasOrganisationsBelow(db: Db, id: number): Promise<boolean> {
  return (await db.selectFrom('organisation').select('id').where('parent_id', '=', id).limit(1).executeTakeFirst()) !== undefined;
}

/** How many procedures and documents (any status) the handle's organisation has: a template is copied only into none. */
export async function countRegisterRows(db: Db): Promise<{ procedures: number; documents: number }> {
  const org = organisationOf(db);
  const count = async (table: 'procedures' | 'documents') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('organisation_id', '=', org)
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { procedures: await count('procedures'), documents: await count('documents') };
}

/** The handle's organisation's active procedures, by code: what a new organisation's register starts from. */
export function listProceduresToCopy(db: Db) {
  return db
    .selectFrom('procedures')
    .select(['id', 'code', 'title', 'field', 'national_code', 'processing_days', 'online_level', 'on_time_target', 'kind'])
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'active')
    .orderBy('code')
    .execute();
}

/**
 * The handle's organisation's active documents that have a revision in force on `today` (its local date: by the
 * revisions' dates, before the transition is recorded; documents.inforce.queries.ts), with that revision's content
 * and the code of the procedure they belong to (when it is active, the one the copy has too), by code.
 */
export function listDocumentsToCopy(db: Db, today: string) {
  return db
    .selectFrom('documents as d')
    .innerJoin('document_revisions as r', (j) => j.on(sql<SqlBool>`r.id = ${inForceIdNow(sql.ref('d.id'), today)}`))
    .leftJoin('procedures as p', (j) => j.onRef('p.id', '=', 'd.procedure_id').on('p.status', '=', 'active'))
    .select([
      'd.id',
      'd.code',
      'd.title',
      'd.type',
      'd.review_interval_months',
      'd.retention',
      'd.ack_scope',
      'r.id as revision_id',
      'r.revision_no',
      'r.body',
      'r.file_sha256',
      'r.file_name',
      'p.code as procedure_code',
    ])
    .where('d.organisation_id', '=', organisationOf(db))
    .where('d.status', '=', 'active')
    .orderBy('d.code')
    .execute();
}

/** The handle's organisation's active administrator with the lowest id (a copy's drafts need an author there). */
export async function findFirstActiveAdmin(db: Db): Promise<number | undefined> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('organisation_id', '=', organisationOf(db))
    .where('role', '=', 'admin')
    .where('active', '=', 1)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.id) : undefined;
}

/** Whether a user is an active user of the handle's organisation. */
export async function isActiveUserOf(db: Db, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('organisation_id', '=', organisationOf(db))
    .where('id', '=', userId)
    .where('active', '=', 1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Whether the admin menu shows the page of the organisations under one's own: only where there is something to
 * manage — the organisation has organisations under it, or is a province or a department (which add them). A single
 * office sees nothing new.
 */
export async function organisationsMenuShown(db: Db, organisation: { id: number; kind: OrganisationKind }): Promise<boolean> {
  return organisation.kind === 'province' || organisation.kind === 'department' || (await hasOrganisationsBelow(db, organisation.id));
}

import { sql, type Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import { escapeLike, foldDiacritics } from '../../core/text/fold';
import { inForceIdNow } from './documents.inforce.queries';
import type { AckScope, DocumentsTable, DocumentStatus, DocumentType, RevisionStatus } from './documents.tables';

/**
 * Documents (the controlled-document register). Revisions, acknowledgements, reviews and search have
 * their own query files; the functions other features rely on are re-exported at the end.
 */
export type DocumentRow = Pick<
  Selectable<DocumentsTable>,
  | 'id'
  | 'code'
  | 'title'
  | 'type'
  | 'procedure_id'
  | 'owner_unit_id'
  | 'review_interval_months'
  | 'retention'
  | 'ack_scope'
  | 'status'
  | 'withdrawn_reason'
  | 'withdrawn_on'
  | 'version'
> & {
  procedure_code: string | null;
  procedure_title: string | null;
  unit_code: string | null;
  unit_name: string | null;
};

export interface DocumentValues {
  code: string;
  title: string;
  type: DocumentType;
  procedure_id: number | null;
  owner_unit_id: number | null;
  review_interval_months: number;
  retention: string;
  ack_scope: AckScope;
}

/** The organisation's documents with their procedure and unit (joined by reference: the organisation's own). */
const base = (db: Db) =>
  db
    .selectFrom('documents')
    .where('documents.organisation_id', '=', organisationOf(db))
    .leftJoin('procedures', 'procedures.id', 'documents.procedure_id')
    .leftJoin('units', 'units.id', 'documents.owner_unit_id')
    .select([
      'documents.id',
      'documents.code',
      'documents.title',
      'documents.type',
      'documents.procedure_id',
      'procedures.code as procedure_code',
      'procedures.title as procedure_title',
      'documents.owner_unit_id',
      'units.code as unit_code',
      'units.name as unit_name',
      'documents.review_interval_months',
      'documents.retention',
      'documents.ack_scope',
      'documents.status',
      'documents.withdrawn_reason',
      'documents.withdrawn_on',
      'documents.version',
    ]);

export function findDocument(db: Db, id: number): Promise<DocumentRow | undefined> {
  return base(db).where('documents.id', '=', id).executeTakeFirst();
}

export function findDocumentByCode(db: Db, code: string): Promise<DocumentRow | undefined> {
  return base(db).where('documents.code', '=', code).executeTakeFirst();
}

export const searchTextOf = (v: Pick<DocumentValues, 'code' | 'title'>) => foldDiacritics(`${v.code} ${v.title}`);

export async function insertDocument(db: Db, values: DocumentValues, at: string): Promise<number> {
  const row = await db
    .insertInto('documents')
    .values({ ...values, search_text: searchTextOf(values), created_at: at, updated_at: at, organisation_id: organisationOf(db) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateDocument(db: Db, id: number, values: DocumentValues, version: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('documents')
    .set({ ...values, search_text: searchTextOf(values), updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('version', '=', version)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function updateDocumentWithdrawn(db: Db, id: number, reason: string, on: string, version: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('documents')
    .set({ status: 'withdrawn', withdrawn_reason: reason, withdrawn_on: on, updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('version', '=', version)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function listAckUnitIds(db: Db, documentId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('document_ack_units')
    .select('unit_id')
    .where('document_id', '=', documentId)
    .where('organisation_id', '=', organisationOf(db))
    .orderBy('unit_id')
    .execute();
  return rows.map((r) => r.unit_id);
}

export async function replaceAckUnits(db: Db, documentId: number, unitIds: number[]): Promise<void> {
  const organisation_id = organisationOf(db);
  await db.deleteFrom('document_ack_units').where('document_id', '=', documentId).where('organisation_id', '=', organisation_id).execute();
  if (unitIds.length > 0)
    await db
      .insertInto('document_ack_units')
      .values(unitIds.map((unit_id) => ({ document_id: documentId, unit_id, organisation_id })))
      .execute();
}

export interface RegisterFilter {
  q?: string;
  type?: DocumentType;
  procedureId?: number;
  unitId?: number;
  /** 'active' (default), 'withdrawn', or everything. */
  status?: DocumentStatus;
}

export interface RegisterRow {
  id: number;
  code: string;
  title: string;
  type: DocumentType;
  status: DocumentStatus;
  procedure_code: string | null;
  unit_code: string | null;
  effective_id: number | null;
  effective_no: number | null;
  effective_from: string | null;
  next_review_due: string | null;
  progress_id: number | null;
  progress_no: number | null;
  progress_status: RevisionStatus | null;
  progress_effective_from: string | null;
}

/**
 * The register for quality officers and leaders: every document with its revision in force on `today` (an approved
 * one from 00:00 of its date: documents.inforce.queries) and its revision in progress (an approved one not yet in force).
 */
export function listRegister(db: Db, filter: RegisterFilter, limit: number, offset: number, today: string): Promise<RegisterRow[]> {
  return applyFilter(
    db
      .selectFrom('documents')
      .leftJoin('procedures', 'procedures.id', 'documents.procedure_id')
      .leftJoin('units', 'units.id', 'documents.owner_unit_id')
      .leftJoin('document_revisions as eff', (j) => j.on('eff.id', '=', inForceIdNow(sql.ref('documents.id'), today)))
      .leftJoin('document_revisions as prog', (j) =>
        j
          .onRef('prog.document_id', '=', 'documents.id')
          .on('prog.status', 'in', ['draft', 'in_review', 'approved'])
          // An approved revision whose date has come is in force (eff), no longer in progress.
          .on((eb) => eb.or([eb('prog.status', '!=', 'approved'), eb('prog.effective_from', '>', today)])),
      )
      .select([
        'documents.id',
        'documents.code',
        'documents.title',
        'documents.type',
        'documents.status',
        'procedures.code as procedure_code',
        'units.code as unit_code',
        'eff.id as effective_id',
        'eff.revision_no as effective_no',
        'eff.effective_from as effective_from',
        'eff.next_review_due as next_review_due',
        'prog.id as progress_id',
        'prog.revision_no as progress_no',
        'prog.status as progress_status',
        'prog.effective_from as progress_effective_from',
      ])
      .where('documents.organisation_id', '=', organisationOf(db)),
    filter,
  )
    .orderBy('documents.code')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function countRegister(db: Db, filter: RegisterFilter): Promise<number> {
  const row = await applyFilter(
    db
      .selectFrom('documents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('documents.organisation_id', '=', organisationOf(db)),
    filter,
  ).executeTakeFirstOrThrow();
  return Number(row.n);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any query builder with a where() of its own kind (Kysely has no type for it)
function applyFilter<Q extends { where: (...args: any[]) => Q }>(q: Q, filter: RegisterFilter): Q {
  let out = q;
  if (filter.q) out = out.where(sql<boolean>`documents.search_text like ${`%${escapeLike(foldDiacritics(filter.q))}%`} escape '\\'`);
  if (filter.type) out = out.where('documents.type', '=', filter.type);
  if (filter.procedureId) out = out.where('documents.procedure_id', '=', filter.procedureId);
  if (filter.unitId) out = out.where('documents.owner_unit_id', '=', filter.unitId);
  if (filter.status) out = out.where('documents.status', '=', filter.status);
  return out;
}

export interface CurrentRow {
  id: number;
  code: string;
  title: string;
  type: DocumentType;
  procedure_id: number | null;
  procedure_code: string | null;
  procedure_title: string | null;
  unit_code: string | null;
  revision_id: number;
  revision_no: number;
  effective_from: string;
  has_file: number;
}

/** "Tài liệu hiện hành": every active document with an effective revision, by procedure then code. */
export interface CurrentFilter {
  type?: DocumentType;
  procedureId?: number;
  ids?: number[];
}

/** How many documents are in force (active, with an effective revision), filtered like listCurrentDocuments. */
export async function countCurrentDocuments(db: Db, filter: Omit<CurrentFilter, 'ids'>, today: string): Promise<number> {
  let q = db
    .selectFrom('documents')
    .innerJoin('document_revisions as r', (j) => j.on('r.id', '=', inForceIdNow(sql.ref('documents.id'), today)))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('documents.organisation_id', '=', organisationOf(db))
    .where('documents.status', '=', 'active');
  if (filter.type) q = q.where('documents.type', '=', filter.type);
  if (filter.procedureId) q = q.where('documents.procedure_id', '=', filter.procedureId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** The documents in force on `today` (documents.inforce.queries), by procedure then code; a page of them when `page` is given (the master list). */
export function listCurrentDocuments(db: Db, filter: CurrentFilter, today: string, page?: { limit: number; offset: number }): Promise<CurrentRow[]> {
  // With ids (a search's page), "cross join" keeps SQLite (no statistics) starting from those documents by primary
  // key, then their one effective revision; otherwise it prefers to walk every effective revision.
  let q = (
    filter.ids
      ? db
          .selectFrom('documents')
          .crossJoin('document_revisions as r')
          .whereRef('r.document_id', '=', 'documents.id')
          .where('r.id', '=', inForceIdNow(sql.ref('documents.id'), today))
          .where('documents.id', 'in', filter.ids.length > 0 ? filter.ids : [0])
      : db.selectFrom('documents').innerJoin('document_revisions as r', (j) => j.on('r.id', '=', inForceIdNow(sql.ref('documents.id'), today)))
  )
    .leftJoin('procedures', 'procedures.id', 'documents.procedure_id')
    .leftJoin('units', 'units.id', 'documents.owner_unit_id')
    .select([
      'documents.id',
      'documents.code',
      'documents.title',
      'documents.type',
      'documents.procedure_id',
      'procedures.code as procedure_code',
      'procedures.title as procedure_title',
      'units.code as unit_code',
      'r.id as revision_id',
      'r.revision_no',
      sql<string>`r.effective_from`.as('effective_from'),
      sql<number>`case when r.file_sha256 is null then 0 else 1 end`.as('has_file'), // 0/1 on both engines
    ])
    .where('documents.organisation_id', '=', organisationOf(db))
    .where('documents.status', '=', 'active');
  if (filter.type) q = q.where('documents.type', '=', filter.type);
  if (filter.procedureId) q = q.where('documents.procedure_id', '=', filter.procedureId);
  const ordered = q
    .orderBy(sql`procedures.code is null`)
    .orderBy('procedures.code')
    .orderBy('documents.code')
    .orderBy('documents.id');
  return (page ? ordered.limit(page.limit).offset(page.offset) : ordered).execute();
}

/** Procedures that have at least one current document, for the filter of the master list. */
export function listProceduresWithDocuments(db: Db, today: string): Promise<{ id: number; code: string; title: string }[]> {
  return db
    .selectFrom('procedures')
    .select(['procedures.id', 'procedures.code', 'procedures.title'])
    .where('procedures.organisation_id', '=', organisationOf(db))
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('documents')
          .innerJoin('document_revisions as r', (j) => j.on('r.id', '=', inForceIdNow(sql.ref('documents.id'), today)))
          .select('documents.id')
          .whereRef('documents.procedure_id', '=', 'procedures.id')
          .where('documents.status', '=', 'active'),
      ),
    )
    .orderBy('procedures.code')
    .execute();
}

/** Active documents for selects in other features (e.g. a "revise document" action). */
export function findDocumentOptions(db: Db): Promise<{ id: number; code: string; title: string }[]> {
  return db
    .selectFrom('documents')
    .select(['id', 'code', 'title'])
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'active')
    .orderBy('code')
    .execute();
}

export {
  findEffectiveRevisionForProcedure,
  findProcedureDocumentAt,
  listDocumentsDueForReview,
  listRecentlyChangedDocuments,
} from './documents.revisions.queries';
export { acknowledgementCoverage, coverageColumns, listPendingAcknowledgements } from './documents.acks.queries';

import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../../core/db/database';
import { addDays } from '../../core/db/dialect/dates';
import { organisationOf } from '../../core/db/scope';
import { inForceIdNow, inForceOn, notReplacedOn } from './documents.inforce.queries';
import { addMonthsIso } from './documents.text';
import type { DocumentReviewDueChangesTable, DocumentRevisionsTable, RevisionSource, RevisionStatus } from './documents.tables';

/** Revisions (lần ban hành) of controlled documents: reading, inserting and the guarded status changes. */
export type RevisionRow = Omit<Selectable<DocumentRevisionsTable>, 'organisation_id'> & {
  /** The stored file's type and size, when the revision has one. */
  file_mime: string | null;
  file_size: number | null;
  file_ext: string | null;
  author_name: string;
  reviewer_name: string | null;
  approver_name: string | null;
};

/** The organisation's revisions (looked up by id or by document: another organisation's is "not found"). */
const base = (db: Db) =>
  db
    .selectFrom('document_revisions as r')
    .where('r.organisation_id', '=', organisationOf(db))
    .innerJoin('users as author', 'author.id', 'r.author_id')
    .leftJoin('users as reviewer', 'reviewer.id', 'r.reviewer_id')
    .leftJoin('users as approver', 'approver.id', 'r.approver_id')
    .leftJoin('files', 'files.sha256', 'r.file_sha256')
    .select([
      'r.id',
      'r.document_id',
      'r.revision_no',
      'r.status',
      'r.body',
      'r.file_sha256',
      'r.file_name',
      'files.mime as file_mime',
      'files.size as file_size',
      'files.ext as file_ext',
      'r.change_summary',
      'r.author_id',
      'author.full_name as author_name',
      'r.submitted_at',
      'r.reviewer_id',
      'reviewer.full_name as reviewer_name',
      'r.reviewed_at',
      'r.review_comment',
      'r.approver_id',
      'approver.full_name as approver_name',
      'r.approved_at',
      'r.effective_from',
      'r.effective_at',
      'r.superseded_on',
      'r.next_review_due',
      'r.closed_reason',
      'r.signers_rule',
      'r.source',
      'r.source_sha256',
      'r.source_name',
      'r.version',
      'r.created_at',
      'r.updated_at',
    ]);

export function findRevision(db: Db, documentId: number, revisionId: number): Promise<RevisionRow | undefined> {
  return base(db).where('r.id', '=', revisionId).where('r.document_id', '=', documentId).executeTakeFirst();
}

export function findEffectiveRevision(db: Db, documentId: number): Promise<RevisionRow | undefined> {
  return base(db).where('r.document_id', '=', documentId).where('r.status', '=', 'effective').executeTakeFirst();
}

export function findRevisionInProgress(db: Db, documentId: number): Promise<RevisionRow | undefined> {
  return base(db).where('r.document_id', '=', documentId).where('r.status', 'in', ['draft', 'in_review', 'approved']).executeTakeFirst();
}

/** Every revision of a document, newest first. */
export function listRevisions(db: Db, documentId: number): Promise<RevisionRow[]> {
  return base(db).where('r.document_id', '=', documentId).orderBy('r.revision_no', 'desc').execute();
}

export async function nextRevisionNo(db: Db, documentId: number): Promise<number> {
  const row = await db
    .selectFrom('document_revisions')
    .select((eb) => eb.fn.max('revision_no').as('n'))
    .where('document_id', '=', documentId)
    .where('organisation_id', '=', organisationOf(db))
    .executeTakeFirst();
  return Number(row?.n ?? 0) + 1;
}

export async function insertRevision(
  db: Db,
  values: {
    document_id: number;
    revision_no: number;
    body: string;
    change_summary: string | null;
    author_id: number;
    file_sha256: string | null;
    file_name: string | null;
    source?: RevisionSource;
    source_sha256?: string | null;
    source_name?: string | null;
  },
  at: string,
): Promise<number> {
  const row = await db
    .insertInto('document_revisions')
    .values({ ...values, status: 'draft', created_at: at, updated_at: at, organisation_id: organisationOf(db) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

type RevisionChanges = Omit<Updateable<DocumentRevisionsTable>, 'id' | 'version' | 'created_at' | 'document_id' | 'revision_no' | 'updated_at'>;

/**
 * Changes a revision only if it is still in `from` (and, when given, still at `version`): the guard
 * that makes a stale form or a second concurrent approval a no-op. Returns whether it changed.
 */
export async function updateRevisionIf(
  db: Db,
  id: number,
  guard: { from: RevisionStatus | readonly RevisionStatus[]; version?: number; extra?: 'not_reviewed' | 'reviewed' },
  changes: RevisionChanges,
  at: string,
): Promise<boolean> {
  let q = db
    .updateTable('document_revisions')
    .set({ ...changes, updated_at: at, version: sql`version + 1` })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('status', 'in', typeof guard.from === 'string' ? [guard.from] : [...guard.from]);
  if (guard.version !== undefined) q = q.where('version', '=', guard.version);
  if (guard.extra === 'not_reviewed') q = q.where('reviewed_at', 'is', null);
  if (guard.extra === 'reviewed') q = q.where('reviewed_at', 'is not', null);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Approved revisions whose effective date has come (`today` is the organisation's local date). */
export function listDueApprovedRevisions(db: Db, today: string): Promise<{ id: number; document_id: number }[]> {
  return db
    .selectFrom('document_revisions')
    .select(['id', 'document_id'])
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'approved')
    .where('effective_from', '<=', today)
    .orderBy('effective_from')
    .orderBy('id')
    .execute();
}

/** The latest periodic review date of a revision (the base of its next due date), if any. */
export async function findLastReviewDate(db: Db, revisionId: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('document_reviews')
    .select((eb) => eb.fn.max('reviewed_on').as('d'))
    .where('revision_id', '=', revisionId)
    .where('organisation_id', '=', organisationOf(db))
    .executeTakeFirst();
  return row?.d ?? undefined;
}

// ---- For other features (reports, dashboards, actions) ----
// The organisation filter is on the revisions (a document and its revisions are of one organisation): a check of
// each row the existing indexes find (by procedure, by date), where `d.organisation_id = ?` drew SQLite (no
// statistics) to the (organisation_id, code) index and a walk of every document of the organisation.

/** The procedure's main controlled document (type 'procedure', lowest code) in force on `today`, and that revision. */
export async function findEffectiveRevisionForProcedure(
  db: Db,
  procedureId: number,
  today: string,
): Promise<{ documentId: number; revisionId: number; code: string; revisionNo: number } | undefined> {
  const row = await db
    .selectFrom('documents as d')
    .innerJoin('document_revisions as r', (j) => j.on('r.id', '=', inForceIdNow(sql.ref('d.id'), today)))
    .select(['d.id as documentId', 'r.id as revisionId', 'd.code', 'r.revision_no as revisionNo'])
    .where('r.organisation_id', '=', organisationOf(db))
    .where('d.procedure_id', '=', procedureId)
    .where('d.type', '=', 'procedure')
    .where('d.status', '=', 'active')
    .orderBy('d.code')
    .limit(1)
    .executeTakeFirst();
  return row;
}

/**
 * The revision of the procedure's main document in force on the local `date` (inForceOn: from 00:00 of its date,
 * recorded or not), with its next periodic review date as known now.
 */
export async function findProcedureDocumentAt(
  db: Db,
  procedureId: number,
  date: string,
): Promise<{ code: string; revisionNo: number; effectiveFrom: string; nextReviewDue: string } | undefined> {
  // A cross join keeps the procedure's few documents first; otherwise SQLite (no statistics) starts from every
  // published revision of the register.
  const row = await db
    .selectFrom('documents as d')
    .crossJoin('document_revisions as r')
    .whereRef('r.document_id', '=', 'd.id')
    .select(['d.code', 'r.revision_no', 'r.effective_from', 'r.next_review_due', 'd.review_interval_months'])
    .where('r.organisation_id', '=', organisationOf(db))
    .where('d.procedure_id', '=', procedureId)
    .where('d.type', '=', 'procedure')
    .where(inForceOn('r', date))
    .orderBy('d.code')
    .orderBy('r.revision_no', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row || !row.effective_from) return undefined;
  // An approved revision in force by its date, its transition not recorded yet: the review date the transition sets.
  const nextReviewDue = row.next_review_due ?? addMonthsIso(row.effective_from, row.review_interval_months);
  return { code: row.code, revisionNo: row.revision_no, effectiveFrom: row.effective_from, nextReviewDue };
}

export interface DueReviewRow {
  documentId: number;
  code: string;
  title: string;
  revisionId: number;
  revisionNo: number;
  effectiveFrom: string;
  nextReviewDue: string;
  overdue: boolean;
}

/** Documents in force whose periodic review is due within `withinDays` of `today`, or overdue; soonest first (not one replaced today). */
export async function listDocumentsDueForReview(db: Db, today: string, withinDays: number): Promise<DueReviewRow[]> {
  const rows = await db
    .selectFrom('documents as d')
    .innerJoin('document_revisions as r', (j) => j.onRef('r.document_id', '=', 'd.id').on('r.status', '=', 'effective'))
    .select(['d.id as documentId', 'd.code', 'd.title', 'r.id as revisionId', 'r.revision_no as revisionNo', 'r.effective_from', 'r.next_review_due'])
    .where('r.organisation_id', '=', organisationOf(db))
    .where('d.status', '=', 'active')
    .where('r.next_review_due', '<=', addDays(db, today, withinDays))
    .where(notReplacedOn('r', today))
    .orderBy('r.next_review_due')
    .orderBy('d.code')
    .execute();
  return rows.map((r) => ({
    documentId: r.documentId,
    code: r.code,
    title: r.title,
    revisionId: r.revisionId,
    revisionNo: r.revisionNo,
    effectiveFrom: r.effective_from ?? '',
    nextReviewDue: r.next_review_due ?? '',
    overdue: (r.next_review_due ?? '') < today,
  }));
}

/**
 * Revisions that took effect on or after `sinceDate` and by `today` (local dates), newest first, at most `limit`: an
 * approved revision from its date on, before its transition is recorded.
 */
export async function listRecentlyChangedDocuments(
  db: Db,
  sinceDate: string,
  today: string,
  limit = 100,
): Promise<{ documentId: number; code: string; title: string; revisionId: number; revisionNo: number; effectiveFrom: string; changeSummary: string | null }[]> {
  const rows = await db
    .selectFrom('documents as d')
    .innerJoin('document_revisions as r', 'r.document_id', 'd.id')
    .select([
      'd.id as documentId',
      'd.code',
      'd.title',
      'r.id as revisionId',
      'r.revision_no as revisionNo',
      'r.effective_from',
      'r.change_summary as changeSummary',
    ])
    .where('r.organisation_id', '=', organisationOf(db))
    .where('d.status', '=', 'active')
    // An expression (not the bare column) keeps SQLite off the status index (two ranges merged, then every row
    // sorted): the effective-date index gives the newest first and the scan stops after `limit` rows. "|| ''" rather
    // than SQLite's unary +, which PostgreSQL has no text form of.
    .where(sql<string>`${sql.ref('r.status')} || ''`, 'in', ['approved', 'effective', 'superseded'])
    .where('r.effective_from', '>=', sinceDate)
    .where('r.effective_from', '<=', today)
    .orderBy('r.effective_from', 'desc')
    .orderBy('d.code')
    .orderBy('r.revision_no', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, effectiveFrom: r.effective_from ?? '' }));
}

/** Records a next review date moved other than by a review (document_review_due_changes). */
export async function insertReviewDueChange(db: Db, row: Omit<Insertable<DocumentReviewDueChangesTable>, 'organisation_id'>): Promise<void> {
  await db
    .insertInto('document_review_due_changes')
    .values({ ...row, organisation_id: organisationOf(db) })
    .execute();
}

import { sql, type Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import { joinInOrder } from '../../core/db/dialect/joins';
import { inForceOn } from '../documents/documents.inforce.queries';
import { addMonthsIso } from '../documents/documents.text';
import type { ProceduresTable } from '../../core/db/schema';
import { emptyNcFigures, listNcFiguresAt, type NcFigures } from '../nonconformities/nonconformities.report.queries';

/**
 * Grouped queries for the all-procedures summary: one statement per kind of figure for every procedure at
 * once, never one report per procedure. The single-procedure report reads its document with the same function
 * (listProcedureDocumentsAt) and its nonconformities with the same rules (listNcFiguresAt), both as of the date
 * given; the summary test checks that every row equals the single-procedure report.
 */
export type SummaryProcedureRow = Pick<
  Selectable<ProceduresTable>,
  'id' | 'code' | 'title' | 'field' | 'online_level' | 'unit_id' | 'on_time_target' | 'status'
> & {
  unit_code: string | null;
};

export interface SummaryFilter {
  field?: string;
  unitId?: number;
}

/**
 * The organisation's active procedures (the QMS's current scope), filtered by field and unit (or some ids), by code.
 * A unit or ids of another organisation select nothing.
 */
export function listSummaryProcedures(db: Db, filter: SummaryFilter & { ids?: number[] }): Promise<SummaryProcedureRow[]> {
  let q = db
    .selectFrom('procedures')
    .leftJoin('units', 'units.id', 'procedures.unit_id')
    .select([
      'procedures.id',
      'procedures.code',
      'procedures.title',
      'procedures.field',
      'procedures.online_level',
      'procedures.unit_id',
      'units.code as unit_code',
      'procedures.on_time_target',
      'procedures.status',
    ])
    .where('procedures.organisation_id', '=', organisationOf(db))
    .where('procedures.status', '=', 'active');
  if (filter.field) q = q.where('procedures.field', '=', filter.field);
  if (filter.unitId) q = q.where('procedures.unit_id', '=', filter.unitId);
  if (filter.ids) q = q.where('procedures.id', 'in', filter.ids);
  return q.orderBy('procedures.code').execute();
}

/**
 * Where the log of changed procedures stands (migration 2026_12_05_0900_figure_changes): its last seq. The log has no
 * organisation column and one seq for the database: a change in any organisation moves it (the caller then asks
 * which of its procedures changed, listFigureChangesSince).
 */
export async function findLastFigureChange(db: Db): Promise<number> {
  const row = await db.selectFrom('figure_changes').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row?.seq ?? 0;
}

/** The organisation's procedures whose figures changed after `seq` (0 stands for every procedure). */
export async function listFigureChangesSince(db: Db, seq: number): Promise<number[]> {
  const rows = await db
    .selectFrom('figure_changes')
    .select('procedure_id')
    .where('seq', '>', seq)
    .where((eb) =>
      eb.or([eb('procedure_id', '=', 0), eb('procedure_id', 'in', eb.selectFrom('procedures').select('id').where('organisation_id', '=', organisationOf(db)))]),
    )
    .execute();
  return rows.map((r) => r.procedure_id);
}

export interface ProcedureDocumentAt {
  revisionId: number;
  code: string;
  revisionNo: number;
  effectiveFrom: string;
  nextReviewDue: string;
}

/**
 * For every procedure (or one): the revision of its main document (type 'procedure', lowest code) in force on `date`
 * (inForceOn: from 00:00 of its date, recorded or not), as findProcedureDocumentAt picks it, plus its id.
 * Its next review date is the one recorded at `date`: the date set by the last change of it (a periodic review, or a
 * new review interval) dated on or before `date`; before any, the date before the first later change (each change
 * keeps the former date); with no change at all, the revision's own date.
 * Documents are read first (a cross join keeps that order: ~2,000 procedure documents, then their revisions by
 * document id), and the pick per procedure is made here.
 */
/** Every change of a revision's next review date, with the date before and after it: reviews and new intervals. */
const reviewDueEvents = sql`(
  select v.revision_id, v.reviewed_on as on_date, v.created_at as at, v.previous_due as due_before, v.next_review_due as due_after
    from document_reviews v
  union all
  select c.revision_id, c.changed_on, c.changed_at, c.due_before, c.due_after from document_review_due_changes c)`;

export async function listProcedureDocumentsAt(db: Db, date: string, procedureId?: number): Promise<Map<number, ProcedureDocumentAt>> {
  // Every procedure's document: the organisation's documents (one procedure's: the procedure is the organisation's).
  const only = procedureId === undefined ? sql`d.organisation_id = ${organisationOf(db)} and d.procedure_id is not null` : sql`d.procedure_id = ${procedureId}`;
  const { rows } = await sql<{
    procedure_id: number;
    revision_id: number;
    code: string;
    revision_no: number;
    effective_from: string | null;
    next_review_due: string | null;
    review_interval_months: number;
  }>`
    select d.procedure_id, r.id as revision_id, d.code, r.revision_no, r.effective_from, d.review_interval_months,
      coalesce(
        (select e.due_after from ${reviewDueEvents} e where e.revision_id = r.id and e.on_date <= ${date}
          order by e.on_date desc, e.at desc limit 1),
        (select e.due_before from ${reviewDueEvents} e where e.revision_id = r.id and e.on_date > ${date}
          order by e.on_date, e.at limit 1),
        r.next_review_due) as next_review_due
    from documents d ${joinInOrder(db)} document_revisions r on r.document_id = d.id
    where ${only} and d.type = 'procedure'
      and ${inForceOn('r', date)}`.execute(db);
  const best = new Map<number, (typeof rows)[number]>();
  for (const r of rows) {
    const seen = best.get(r.procedure_id);
    if (!seen || r.code < seen.code || (r.code === seen.code && r.revision_no > seen.revision_no)) best.set(r.procedure_id, r);
  }
  const out = new Map<number, ProcedureDocumentAt>();
  for (const [id, r] of best) {
    if (!r.effective_from) continue;
    // An approved revision in force by its date, its transition not recorded yet: the review date the transition sets.
    const nextReviewDue = r.next_review_due ?? addMonthsIso(r.effective_from, r.review_interval_months);
    out.set(id, { revisionId: r.revision_id, code: r.code, revisionNo: r.revision_no, effectiveFrom: r.effective_from, nextReviewDue });
  }
  return out;
}

export type NcSummaryFigures = NcFigures;

const emptyNc = emptyNcFigures;

/** ncFiguresForProcedure for every procedure that has nonconformities, in grouped statements (listNcFiguresAt). */
export async function listNcFiguresByProcedure(db: Db, from: string, to: string): Promise<Map<number, NcSummaryFigures>> {
  const all = await listNcFiguresAt(db, from, to);
  const out = new Map<number, NcSummaryFigures>();
  for (const [id, f] of all) if (id !== null) out.set(id, f);
  return out;
}

export { emptyNc };

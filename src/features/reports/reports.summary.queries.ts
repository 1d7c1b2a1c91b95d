import { sql, type Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import type { ProceduresTable } from '../../core/db/schema';

/**
 * Grouped queries for the all-procedures summary: one statement per kind of figure for every procedure at
 * once, never one report per procedure. They read the documents and nonconformities tables with exactly the
 * rules of findProcedureDocumentAt (documents) and ncFiguresForProcedure (nonconformities); the summary test
 * checks that every row equals the single-procedure report.
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

/** Active procedures (the QMS's current scope), filtered by field and unit (or some ids), by code. */
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
    .where('procedures.status', '=', 'active');
  if (filter.field) q = q.where('procedures.field', '=', filter.field);
  if (filter.unitId) q = q.where('procedures.unit_id', '=', filter.unitId);
  if (filter.ids) q = q.where('procedures.id', 'in', filter.ids);
  return q.orderBy('procedures.code').execute();
}

/** Where the log of changed procedures stands (migration 2026_12_05_0900_figure_changes): its last seq. */
export async function findLastFigureChange(db: Db): Promise<number> {
  const row = await db.selectFrom('figure_changes').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row?.seq ?? 0;
}

/** The procedures whose figures changed after `seq` (0 stands for every procedure). */
export async function listFigureChangesSince(db: Db, seq: number): Promise<number[]> {
  const rows = await db.selectFrom('figure_changes').select('procedure_id').where('seq', '>', seq).execute();
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
 * For every procedure (or one): the revision of its main document (type 'procedure', lowest code) effective
 * on `date` — effective_from <= date < superseded_on — as findProcedureDocumentAt picks it, plus its id.
 * Documents are read first (a cross join keeps that order: ~2,000 procedure documents, then their revisions by
 * document id), and the pick per procedure is made here.
 */
export async function listProcedureDocumentsAt(db: Db, date: string, procedureId?: number): Promise<Map<number, ProcedureDocumentAt>> {
  const only = procedureId === undefined ? sql`d.procedure_id is not null` : sql`d.procedure_id = ${procedureId}`;
  const { rows } = await sql<{
    procedure_id: number;
    revision_id: number;
    code: string;
    revision_no: number;
    effective_from: string | null;
    next_review_due: string | null;
  }>`
    select d.procedure_id, r.id as revision_id, d.code, r.revision_no, r.effective_from, r.next_review_due
    from documents d cross join document_revisions r on r.document_id = d.id
    where ${only} and d.type = 'procedure'
      and r.status in ('effective', 'superseded', 'withdrawn')
      and r.effective_from <= ${date}
      and (r.superseded_on is null or r.superseded_on > ${date})`.execute(db);
  const best = new Map<number, (typeof rows)[number]>();
  for (const r of rows) {
    const seen = best.get(r.procedure_id);
    if (!seen || r.code < seen.code || (r.code === seen.code && r.revision_no > seen.revision_no)) best.set(r.procedure_id, r);
  }
  const out = new Map<number, ProcedureDocumentAt>();
  for (const [id, r] of best) {
    if (!r.effective_from || !r.next_review_due) continue;
    out.set(id, { revisionId: r.revision_id, code: r.code, revisionNo: r.revision_no, effectiveFrom: r.effective_from, nextReviewDue: r.next_review_due });
  }
  return out;
}

export interface NcSummaryFigures {
  raised: number;
  openAtEnd: number;
  closed: number;
  overdueActions: number;
  openMajorAtEnd: number;
  openMinorAtEnd: number;
}

const emptyNc = (): NcSummaryFigures => ({ raised: 0, openAtEnd: 0, closed: 0, overdueActions: 0, openMajorAtEnd: 0, openMinorAtEnd: 0 });

const NC_STATUSES = sql.raw(`'reported', 'open', 'analysed', 'action_plan', 'in_progress', 'awaiting_verification', 'closed', 'cancelled', 'rejected'`);
const WORKING = sql.raw(`'reported', 'open', 'analysed', 'action_plan', 'in_progress', 'awaiting_verification'`);

/**
 * ncFiguresForProcedure for every procedure that has nonconformities, in grouped statements that each walk an index
 * range rather than every nonconformity:
 * - open at `to`: an NC whose status history has no entry after `to` is at `to` what it is now, so those are
 *   counted from their current status; only NCs changed after `to` need their state at `to` looked up;
 * - closed: from the "closed" transitions of the period;
 * - overdue actions: open actions due before `to`, plus actions completed after `to` (none when `to` is today).
 */
export async function listNcFiguresByProcedure(db: Db, from: string, to: string): Promise<Map<number, NcSummaryFigures>> {
  const out = new Map<number, NcSummaryFigures>();
  const get = (id: number) => {
    let f = out.get(id);
    if (!f) out.set(id, (f = emptyNc()));
    return f;
  };
  const raised = await sql<{ procedure_id: number; n: number }>`
    select procedure_id, count(*) as n from nonconformities
    where procedure_id is not null and status <> 'rejected' and detected_on >= ${from} and detected_on <= ${to}
    group by procedure_id`.execute(db);
  for (const r of raised.rows) get(r.procedure_id).raised = Number(r.n);

  const changedAfter = sql`select nonconformity_id from nc_status_history where to_status in (${NC_STATUSES}) and changed_on > ${to}`;
  const openNow = await sql<{ procedure_id: number; severity: string; n: number }>`
    select procedure_id, severity, count(*) as n from nonconformities
    where status in (${WORKING}) and procedure_id is not null and detected_on <= ${to} and id not in (${changedAfter})
    group by procedure_id, severity`.execute(db);
  const openThen = await sql<{ procedure_id: number; severity: string; n: number }>`
    select n.procedure_id, n.severity, count(*) as n from nonconformities n
    where n.id in (${changedAfter}) and n.procedure_id is not null and n.detected_on <= ${to} and n.status not in ('cancelled', 'rejected')
      and coalesce((select h.to_status from nc_status_history h
        where h.nonconformity_id = n.id and h.changed_on <= ${to} order by h.id desc limit 1), 'open') not in ('closed', 'cancelled', 'rejected')
    group by n.procedure_id, n.severity`.execute(db);
  for (const r of [...openNow.rows, ...openThen.rows]) {
    const f = get(r.procedure_id);
    if (r.severity === 'major') f.openMajorAtEnd += Number(r.n);
    else if (r.severity === 'minor') f.openMinorAtEnd += Number(r.n);
    f.openAtEnd = f.openMajorAtEnd + f.openMinorAtEnd;
  }

  const closed = await sql<{ procedure_id: number; n: number }>`
    select n.procedure_id, count(distinct n.id) as n from nc_status_history h join nonconformities n on n.id = h.nonconformity_id
    where h.to_status = 'closed' and h.changed_on >= ${from} and h.changed_on <= ${to} and n.procedure_id is not null and n.status <> 'rejected'
    group by n.procedure_id`.execute(db);
  for (const r of closed.rows) get(r.procedure_id).closed = Number(r.n);

  const overdueOpen = await sql<{ procedure_id: number; n: number }>`
    select n.procedure_id, count(*) as n from nc_actions a join nonconformities n on n.id = a.nonconformity_id
    where a.status in ('planned', 'in_progress') and a.due_date < ${to} and (a.completed_on is null or a.completed_on > ${to})
      and n.procedure_id is not null and n.status <> 'rejected'
    group by n.procedure_id`.execute(db);
  const overdueDoneLater = await sql<{ procedure_id: number; n: number }>`
    select n.procedure_id, count(*) as n from nc_actions a join nonconformities n on n.id = a.nonconformity_id
    where a.status = 'done' and a.completed_on > ${to} and a.due_date < ${to}
      and n.procedure_id is not null and n.status <> 'rejected'
    group by n.procedure_id`.execute(db);
  for (const r of [...overdueOpen.rows, ...overdueDoneLater.rows]) get(r.procedure_id).overdueActions += Number(r.n);
  return out;
}

export { emptyNc };

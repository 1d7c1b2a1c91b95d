import { sql } from 'kysely';
import type { Db } from '../../core/db/database';
import type { OnlineLevel, ProcedureStatus } from '../../core/db/schema';

/**
 * Grouped queries for the all-procedures summary: one statement per kind of figure for every procedure at
 * once, never one report per procedure. They read the documents and nonconformities tables with exactly the
 * rules of findProcedureDocumentAt (documents) and ncFiguresForProcedure (nonconformities); the summary test
 * checks that every row equals the single-procedure report.
 */
export interface SummaryProcedureRow {
  id: number;
  code: string;
  title: string;
  field: string;
  online_level: OnlineLevel;
  unit_id: number | null;
  unit_code: string | null;
  on_time_target: number;
  status: ProcedureStatus;
}

export interface SummaryFilter {
  field?: string;
  unitId?: number;
}

/** Active procedures (the QMS's current scope), filtered by field and unit, by code. */
export function listSummaryProcedures(db: Db, filter: SummaryFilter): Promise<SummaryProcedureRow[]> {
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
  return q.orderBy('procedures.code').execute();
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
 */
export async function listProcedureDocumentsAt(db: Db, date: string, procedureId?: number): Promise<Map<number, ProcedureDocumentAt>> {
  const only = procedureId === undefined ? sql`` : sql`and d.procedure_id = ${procedureId}`;
  const { rows } = await sql<{ procedure_id: number; revision_id: number; code: string; revision_no: number; effective_from: string | null; next_review_due: string | null }>`
    select procedure_id, revision_id, code, revision_no, effective_from, next_review_due from (
      select d.procedure_id, r.id as revision_id, d.code, r.revision_no, r.effective_from, r.next_review_due,
        row_number() over (partition by d.procedure_id order by d.code, r.revision_no desc) as rn
      from documents d
      join document_revisions r on r.document_id = d.id
      where d.procedure_id is not null ${only}
        and d.type = 'procedure'
        and r.status in ('effective', 'superseded', 'withdrawn')
        and r.effective_from <= ${date}
        and (r.superseded_on is null or r.superseded_on > ${date})
    ) where rn = 1`.execute(db);
  const out = new Map<number, ProcedureDocumentAt>();
  for (const r of rows) {
    if (!r.effective_from || !r.next_review_due) continue;
    out.set(r.procedure_id, { revisionId: r.revision_id, code: r.code, revisionNo: r.revision_no, effectiveFrom: r.effective_from, nextReviewDue: r.next_review_due });
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

/** ncFiguresForProcedure for every procedure that has nonconformities, in four grouped statements. */
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

  const open = await sql<{ procedure_id: number; severity: string; n: number }>`
    select n.procedure_id, n.severity, count(*) as n from nonconformities n
    where n.procedure_id is not null and n.detected_on <= ${to} and n.status not in ('cancelled', 'rejected')
      and coalesce((select h.to_status from nc_status_history h
        where h.nonconformity_id = n.id and h.changed_on <= ${to} order by h.id desc limit 1), 'open') not in ('closed', 'cancelled', 'rejected')
    group by n.procedure_id, n.severity`.execute(db);
  for (const r of open.rows) {
    const f = get(r.procedure_id);
    if (r.severity === 'major') f.openMajorAtEnd = Number(r.n);
    else if (r.severity === 'minor') f.openMinorAtEnd = Number(r.n);
    f.openAtEnd = f.openMajorAtEnd + f.openMinorAtEnd;
  }

  const closed = await sql<{ procedure_id: number; n: number }>`
    select n.procedure_id, count(*) as n from nonconformities n
    where n.procedure_id is not null and n.status <> 'rejected'
      and exists (select 1 from nc_status_history h where h.nonconformity_id = n.id and h.to_status = 'closed'
        and h.changed_on >= ${from} and h.changed_on <= ${to})
    group by n.procedure_id`.execute(db);
  for (const r of closed.rows) get(r.procedure_id).closed = Number(r.n);

  const overdue = await sql<{ procedure_id: number; n: number }>`
    select n.procedure_id, count(*) as n from nc_actions a join nonconformities n on n.id = a.nonconformity_id
    where n.procedure_id is not null and n.status <> 'rejected' and a.status <> 'cancelled' and a.due_date < ${to}
      and (a.completed_on is null or a.completed_on > ${to})
    group by n.procedure_id`.execute(db);
  for (const r of overdue.rows) get(r.procedure_id).overdueActions = Number(r.n);
  return out;
}

export { emptyNc };

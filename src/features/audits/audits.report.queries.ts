import { sql } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import { addDays, isIsoDate } from '../../core/calendar';
import type { AuditStatus, AuditType } from './audits.tables';

/**
 * Figures other features read: the compliance report (REPORTING.md, "Audits" and the check
 * audited_within_12_months) and the dashboard. An audit counts as conducted on its first day of
 * fieldwork (actual_start, a local date), as of the date asked: an audit cancelled after that date still counts
 * (heldAt); one cancelled before this was recorded (no cancelled_on) never counts. `type` keeps one audit type only
 * (the reports pass 'internal': "internal audits" count internal audits, not external ones or inspections).
 * Each counts the audits of the organisation the query works for: another organisation's procedure id finds none,
 * and the lists over all procedures read the organisation's run of the (organisation_id, actual_start) index.
 */
const heldAt = (date: string) => sql<boolean>`(audits.status <> 'cancelled' or audits.cancelled_on > ${date})`;
export interface AuditFigures {
  count: number;
  majorNc: number;
  minorNc: number;
  observation: number;
  ofi: number;
}

/** Audits whose scope includes the procedure, conducted within [from, to], and their findings for that procedure by grade. */
export async function auditFiguresForProcedure(db: Db, procedureId: number, from: string, to: string, type?: AuditType): Promise<AuditFigures> {
  let conducted = db
    .selectFrom('audits')
    .innerJoin('audit_procedures', 'audit_procedures.audit_id', 'audits.id')
    .select('audits.id')
    .where('audits.organisation_id', '=', organisationOf(db))
    .where('audit_procedures.procedure_id', '=', procedureId)
    .where(heldAt(to))
    .where('audits.actual_start', 'is not', null)
    .where('audits.actual_start', '>=', from)
    .where('audits.actual_start', '<=', to);
  if (type) conducted = conducted.where('audits.type', '=', type);
  const countRow = await db
    .selectFrom(conducted.as('c'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const grades = await db
    .selectFrom('audit_findings')
    .select(['grade', sql<number>`count(*)`.as('n')])
    .where('audit_id', 'in', conducted)
    .where('procedure_id', '=', procedureId)
    .where('status', '=', 'active')
    .groupBy('grade')
    .execute();
  const by = new Map(grades.map((g) => [g.grade, Number(g.n)]));
  return {
    count: Number(countRow.n),
    majorNc: by.get('major_nc') ?? 0,
    minorNc: by.get('minor_nc') ?? 0,
    observation: by.get('observation') ?? 0,
    ofi: by.get('ofi') ?? 0,
  };
}

/** The first day of fieldwork of the latest audit covering the procedure, on or before the date. */
export async function lastAuditDateForProcedure(db: Db, procedureId: number, onOrBefore: string, type?: AuditType): Promise<string | undefined> {
  let q = db
    .selectFrom('audits')
    .innerJoin('audit_procedures', 'audit_procedures.audit_id', 'audits.id')
    .select((eb) => eb.fn.max('audits.actual_start').as('last'))
    .where('audits.organisation_id', '=', organisationOf(db))
    .where('audit_procedures.procedure_id', '=', procedureId)
    .where(heldAt(onOrBefore))
    .where('audits.actual_start', '<=', onOrBefore);
  if (type) q = q.where('audits.type', '=', type);
  const row = await q.executeTakeFirst();
  return row?.last ?? undefined;
}

/** The same, for every procedure at once (coverage matrix). */
export async function listLastAuditDates(db: Db, onOrBefore: string, type?: AuditType): Promise<Map<number, string>> {
  let q = db
    .selectFrom('audits')
    .innerJoin('audit_procedures', 'audit_procedures.audit_id', 'audits.id')
    .select(['audit_procedures.procedure_id', (eb) => eb.fn.max('audits.actual_start').as('last')])
    .where('audits.organisation_id', '=', organisationOf(db))
    .where(heldAt(onOrBefore))
    .where('audits.actual_start', '<=', onOrBefore);
  if (type) q = q.where('audits.type', '=', type);
  const rows = await q.groupBy('audit_procedures.procedure_id').execute();
  const out = new Map<number, string>();
  for (const r of rows) if (r.last) out.set(r.procedure_id, r.last);
  return out;
}

/** First day of "the 12 months ending at `to`": the day after the same date a year earlier (29 Feb → 1 Mar). */
export function twelveMonthWindowStart(to: string): string {
  if (!isIsoDate(to)) throw new RangeError(`Not a valid YYYY-MM-DD date: ${JSON.stringify(to)}`);
  const year = String(Number(to.slice(0, 4)) - 1).padStart(4, '0');
  const sameDay = `${year}${to.slice(4)}`;
  return isIsoDate(sameDay) ? addDays(sameDay, 1) : `${year}-03-01`;
}

/** The check audited_within_12_months: an audit covering the procedure conducted in the 12 months ending at `to`. */
export function auditedWithin12Months(lastAuditDate: string | undefined, to: string): boolean {
  return lastAuditDate !== undefined && lastAuditDate >= twelveMonthWindowStart(to) && lastAuditDate <= to;
}

export interface UpcomingAudit {
  id: number;
  code: string;
  title: string;
  type: AuditType;
  status: AuditStatus;
  planned_start: string;
  planned_end: string;
  lead_auditor_name: string;
  /** Still planned although its planned start has passed. */
  overdue: boolean;
}

/**
 * Audits in progress and planned ones, soonest first (planned audits whose start has passed come first, flagged):
 * the in-progress ones first, each status by planned start then id. The first `limit` of each status (each a walk
 * of the (organisation_id, status, planned_start) index, cut to the limit), as one union ordered again: ordering every audit of both
 * statuses by a computed rank read and sorted all of them (278 at province scale, 290 µs of PostgreSQL CPU).
 */
export async function listUpcomingAudits(db: Db, today: string, limit: number): Promise<UpcomingAudit[]> {
  const n = Math.max(0, Math.min(Math.trunc(limit), 500));
  const organisation = organisationOf(db);
  const first = (status: 'in_progress' | 'planned', rank: 0 | 1) =>
    db
      .selectFrom(
        db
          .selectFrom('audits')
          .innerJoin('users', 'users.id', 'audits.lead_auditor_id')
          .select([
            'audits.id',
            'audits.code',
            'audits.title',
            'audits.type',
            'audits.status',
            'audits.planned_start',
            'audits.planned_end',
            'users.full_name as lead_auditor_name',
            sql<number>`${sql.lit(rank)}`.as('rank'),
          ])
          // Literal statuses and limits: PostgreSQL keeps one plan for the prepared statement instead of planning it
          // again on every request (its generic estimate for a status parameter was the worse one).
          .where('audits.organisation_id', '=', organisation)
          .where('audits.status', '=', sql.lit(status) as never)
          .orderBy('audits.planned_start')
          .orderBy('audits.id')
          .limit(sql.lit(n))
          .as('a'),
      )
      .selectAll();
  const rows = await first('in_progress', 0)
    .unionAll(first('planned', 1))
    .orderBy('rank')
    .orderBy('planned_start')
    .orderBy('id')
    .limit(n) // a parameter: a statement without any is not prepared
    .execute();
  return rows.map(({ rank: _rank, ...r }) => ({ ...r, overdue: r.status === 'planned' && r.planned_start < today }));
}

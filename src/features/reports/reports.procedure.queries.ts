import { sql } from 'kysely';
import type { Db } from '../../core/db/database';
import type { AuditFigures } from '../audits/audits.report.queries';

/**
 * The report's audit figures and its last audit date in ONE statement, by the rules of auditFiguresForProcedure and
 * lastAuditDateForProcedure (audits.report.queries.ts) for internal audits: an audit covering the procedure counts as
 * of `to` when it is held at `to` (not cancelled, or cancelled after `to`) on its first day of fieldwork
 * (actual_start, on or before `to`); `last` is the latest such day, `count` those within [from, to], and the grades
 * those of the procedure's active findings of the audits counted.
 *
 * Each of the procedure's audits is read by its key (a subquery per audit_procedures row, which neither engine turns
 * into a join): as three statements with the dates as parameters, PostgreSQL's generic plans hashed every audit of
 * the period from the actual_start index (1,441 for 2025 at province scale, 192 buffers, about 0.6 ms each for the
 * count and the grades) for the procedure's dozen.
 */
export async function reportAuditFigures(db: Db, procedureId: number, from: string, to: string): Promise<{ audits: AuditFigures; last: string | undefined }> {
  const { rows } = await sql<{ audit_id: number; held_start: string; grade: string | null; n: number | string }>`
    select x.audit_id, x.held_start, f.grade, count(f.audit_id) as n from (
      select ap.audit_id, (select a.actual_start from audits a where a.id = ap.audit_id and a.type = 'internal'
          and (a.status <> 'cancelled' or a.cancelled_on > ${to}) and a.actual_start <= ${to}) as held_start
      from audit_procedures ap where ap.procedure_id = ${procedureId}) x
    left join audit_findings f on f.audit_id = x.audit_id and f.procedure_id = ${procedureId} and f.status = 'active' and x.held_start >= ${from}
    where x.held_start is not null
    group by x.audit_id, x.held_start, f.grade`.execute(db);
  const audits: AuditFigures = { count: 0, majorNc: 0, minorNc: 0, observation: 0, ofi: 0 };
  const counted = new Set<number>();
  let last: string | undefined;
  for (const r of rows) {
    if (last === undefined || r.held_start > last) last = r.held_start;
    if (r.held_start < from) continue;
    counted.add(Number(r.audit_id));
    const n = Number(r.n);
    if (r.grade === 'major_nc') audits.majorNc += n;
    else if (r.grade === 'minor_nc') audits.minorNc += n;
    else if (r.grade === 'observation') audits.observation += n;
    else if (r.grade === 'ofi') audits.ofi += n;
  }
  audits.count = counted.size;
  return { audits, last };
}

import { sql } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import { joinInOrder } from '../../core/db/dialect/joins';
import { computeDueDate, type WorkCalendar } from '../../core/calendar';
import type { MovedDue } from '../holidays/holidays.service';
import { processingDaysOn, termsHistory } from '../procedures/procedures.terms.queries';

/**
 * Due dates computed from the working-day calendar (due_computed = 1: the import file gave none), and their
 * recomputation when the calendar changes (REPORTING.md, "Due date when the import gives none").
 */

/**
 * The organisation's computed due dates whose computation walks over one of `dates`: received on or before it, due
 * on or after it. (They are computed again with the organisation's calendar: a change of a day of everyone is
 * applied organisation by organisation.)
 */
function listComputedDueAcross(trx: Db, dates: readonly string[]) {
  return trx
    .selectFrom('dossiers')
    .select(['id', 'procedure_id', 'received_on', 'due_on'])
    .where('organisation_id', '=', organisationOf(trx))
    .where('due_computed', '=', 1)
    .where((eb) => eb.or(dates.map((d) => eb.and([eb('received_on', '<=', d), eb('due_on', '>=', d)]))))
    .orderBy('id')
    .execute();
}

/** Computed due dates of one procedure's dossiers received from `from` on (before `until` when given). */
function listComputedDueOfProcedure(trx: Db, procedureId: number, from: string, until: string | null) {
  let q = trx
    .selectFrom('dossiers')
    .select(['id', 'procedure_id', 'received_on', 'due_on'])
    .where('due_computed', '=', 1)
    .where('procedure_id', '=', procedureId)
    .where('received_on', '>=', from);
  if (until !== null) q = q.where('received_on', '<', until);
  return q.orderBy('id').execute();
}

async function updateDueOn(trx: Db, id: number, dueOn: string, at: string): Promise<void> {
  await trx.updateTable('dossiers').set({ due_on: dueOn, updated_at: at }).where('id', '=', id).where('due_computed', '=', 1).execute();
}

type ComputedDue = { id: number; procedure_id: number; received_on: string; due_on: string };

/**
 * Computes each due date again, with the processing days in force on the day each dossier was received (the terms
 * of its procedure over time, read once for all of them), and writes those that moved.
 */
async function recompute(trx: Db, dossiers: ComputedDue[], calendar: WorkCalendar, at: Date): Promise<MovedDue[]> {
  const moved: MovedDue[] = [];
  if (dossiers.length === 0) return moved;
  const terms = await termsHistory(trx, [...new Set(dossiers.map((d) => d.procedure_id))]);
  const stamp = at.toISOString();
  for (const d of dossiers) {
    const n = processingDaysOn(terms.get(d.procedure_id) ?? [], d.received_on);
    if (n === null) continue;
    const due = computeDueDate(d.received_on, n, calendar);
    if (due === d.due_on) continue;
    await updateDueOn(trx, d.id, due, stamp);
    moved.push({ id: d.id, receivedOn: d.received_on, from: d.due_on, to: due });
  }
  return moved;
}

/**
 * After the calendar changed on `changedDates` (a holiday or make-up day created, edited — old and new date —,
 * cancelled or imported), computes again the due dates that could have moved, with `calendar` as it now is, in the
 * caller's transaction, in one reading of the dossiers however many dates changed. The summary tables follow
 * through the dossiers' triggers. Returns the dossiers whose due date moved.
 */
export async function recomputeDueDates(trx: Db, changedDates: Iterable<string>, calendar: WorkCalendar, at: Date): Promise<MovedDue[]> {
  const dates = [...new Set(changedDates)];
  if (dates.length === 0) return [];
  return recompute(trx, await listComputedDueAcross(trx, dates), calendar, at);
}

/**
 * After a procedure's processing days changed for dossiers received from `from` on (until the day before `until`,
 * or for good), computes again their computed due dates in the caller's transaction. Returns the dossiers that moved.
 */
export async function recomputeProcedureDueDates(
  trx: Db,
  change: { procedureId: number; from: string; until: string | null; at: Date },
  calendar: WorkCalendar,
): Promise<MovedDue[]> {
  return recompute(trx, await listComputedDueOfProcedure(trx, change.procedureId, change.from, change.until), calendar, change.at);
}

/**
 * Among `years`, those in which some dossier of the organisation is due. Read from the summary rows
 * (dossier_stats_day counts each dossier in d1 on the day after its due date; it has no organisation column, so it is
 * read through the organisation's procedures, each by its key), one short look per year, so the list page never
 * scans the dossiers.
 */
export async function yearsWithDueDates(db: Db, years: Iterable<number>): Promise<number[]> {
  const out: number[] = [];
  for (const y of [...new Set(years)].sort((a, b) => a - b)) {
    const first = `${String(y).padStart(4, '0')}-01-02`;
    const last = `${String(y + 1).padStart(4, '0')}-01-01`;
    const hit = await sql<{ one: number }>`select 1 as one from procedures p ${joinInOrder(db)} dossier_stats_day s on s.procedure_id = p.id
      where p.organisation_id = ${organisationOf(db)} and s.day between ${first} and ${last} and s.d1 > 0 limit 1`.execute(db);
    if (hit.rows.length > 0) out.push(y);
  }
  return out;
}

import { sql, type RawBuilder } from 'kysely';
import { addDays } from '../../core/calendar';
import type { Db } from '../../core/db/database';
import { addDays as addDaysSql, laterDate } from '../../core/db/dialect/dates';
import { joinInOrder } from '../../core/db/dialect/joins';
import { organisationOf } from '../../core/db/scope';

/**
 * The dossier figures of REPORTING.md from the summary tables of migration 2026_11_26_1900_performance_indexes,
 * so that a report reads a few hundred small rows instead of a procedure's dossiers.
 *
 * Each dossier contributes one count to four dates (r = received, t = returned, d1 = the day after the due date,
 * o = the later of d1 and t), kept per procedure and day and per procedure and month:
 *   rd / ro / rp   received (by channel) on the day            te / tt / tl   resolved early / on time / late on the day
 *   d1             due the day before                          o              returned, and due before, by the day
 * Every figure is then a difference of counts "date <= X" at X1 = from - 1 and X2 = to (t >= r, due >= r always):
 *   newlyReceived = R(X2) - R(X1)      resolved (by kind) = T(X2) - T(X1)      received = R(X2) - T(X1)
 *   carriedOver = received - newlyReceived      pending = R(X2) - T(X2)      pendingOverdue = D1(X2) - O(X2)
 * A count "date <= X" takes whole months from dossier_stats_month and the days of X's month from dossier_stats_day
 * (none when X is a month's last day, as for years, quarters and months).
 *
 * Row triggers on dossiers add and take away each written dossier's counts in the same transaction (migration
 * 2026_12_05_1000_dossier_stats_deltas). The bulk import suspends them for its writes, then adds its new dossiers'
 * counts itself (addNewDossierStats) and marks the procedures of the dossiers it updated in dossier_stats_dirty;
 * refreshDossierStats recomputes the marked procedures from the dossiers (grouped, from the covering figures index)
 * before any read.
 */

/** A procedure's figures for a period, as both ways of counting return them (these tables, or the dossiers themselves). */
export interface RawFigures {
  carried_over: number;
  newly_received: number;
  newly_received_online: number;
  newly_received_direct: number;
  newly_received_postal: number;
  resolved: number;
  early: number;
  on_time: number;
  late: number;
  pending: number;
  pending_on_track: number;
  pending_overdue: number;
}

/** One month's resolved dossiers, by kind. */
export interface RawMonth {
  month: string;
  resolved: number;
  early: number;
  on_time: number;
  late: number;
}

const KINDS = ['rd', 'ro', 'rp', 'te', 'tt', 'tl', 'd1', 'o'] as const;
type Kind = (typeof KINDS)[number];
type Counts = Record<Kind, number>;

const monthOf = (date: string) => date.slice(0, 7);
const isMonthEnd = (date: string) => addDays(date, 1).slice(8, 10) === '01';
/** `and <column> = id`, or nothing for every procedure. */
const only = (procedureId: number | undefined, column: string) => (procedureId === undefined ? sql`` : sql`and ${sql.ref(column)} = ${procedureId}`);
/** `and <column> = id`, or for every procedure of the organisation (the month rows, read without procedures). */
const mineOr = (db: Db, procedureId: number | undefined, column: string) =>
  procedureId === undefined ? sql`and ${sql.ref(column)} in ${organisationProcedureIds(db)}` : only(procedureId, column);

/**
 * The ids of the organisation's procedures, as a subquery: the summary tables have no organisation column (they are
 * keyed by procedure id), so what reads them for every procedure reads those of the organisation's procedures.
 */
export function organisationProcedureIds(db: Db): RawBuilder<unknown> {
  return sql`(select id from procedures where organisation_id = ${organisationOf(db)})`;
}

/**
 * The procedures whose dossiers changed since their summary rows were computed (all of the organisation's when no
 * id is given; a given id is one of the organisation's, found by a scoped lookup).
 */
export async function dirtyIds(db: Db, procedureId?: number): Promise<number[]> {
  const which = procedureId === undefined ? sql`procedure_id in ${organisationProcedureIds(db)}` : sql`procedure_id = ${procedureId}`;
  const { rows } = await sql<{ procedure_id: number }>`select procedure_id from dossier_stats_dirty
    where ${which} order by procedure_id`.execute(db);
  return rows.map((r) => Number(r.procedure_id));
}

const CHUNK = 100;

const COUNTERS = ['rd', 'ro', 'rp', 'te', 'tt', 'tl', 'd1', 'o'];
/** An upsert's update: every counter takes the computed value (what SQLite's "insert or replace" did). */
const COUNTERS_FROM_EXCLUDED = sql.raw(COUNTERS.map((c) => `${c} = excluded.${c}`).join(', '));
/** An upsert's update: every counter gains the computed value. */
const COUNTERS_PLUS_EXCLUDED = (table: string) => sql.raw(COUNTERS.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', '));

/**
 * The day rows of the dossiers matching `where` (a condition on dossiers): each dossier's four dates and counts,
 * summed by procedure and day. (Flags are summed as case … then 1 else 0: PostgreSQL does not sum booleans; derived
 * tables are named, as it requires.)
 */
function dayRowsOf(trx: Db, where: RawBuilder<unknown>): RawBuilder<unknown> {
  const flag = (condition: RawBuilder<unknown>) => sql`case when ${condition} then 1 else 0 end`;
  const dueNext = sql<string>`coalesce(${addDaysSql(trx, sql.ref('due_on'), 1)}, due_on)`;
  return sql`select procedure_id, day, sum(rd) as rd, sum(ro) as ro, sum(rp) as rp, sum(te) as te, sum(tt) as tt, sum(tl) as tl,
      sum(d1) as d1, sum(o) as o from (
        select procedure_id, received_on as day, ${flag(sql`channel = 'direct'`)} as rd, ${flag(sql`channel = 'online'`)} as ro,
          ${flag(sql`channel = 'postal'`)} as rp, 0 as te, 0 as tt, 0 as tl, 0 as d1, 0 as o
        from dossiers where ${where}
        union all
        select procedure_id, returned_on, 0, 0, 0, ${flag(sql`outcome = 'returned' and returned_on < due_on`)},
          ${flag(sql`outcome = 'withdrawn' or (outcome = 'returned' and returned_on = due_on)`)}, ${flag(sql`outcome = 'returned' and returned_on > due_on`)}, 0, 0
        from dossiers where ${where} and returned_on is not null
        union all
        select procedure_id, ${dueNext}, 0, 0, 0, 0, 0, 0, 1, 0
        from dossiers where ${where}
        union all
        select procedure_id, ${laterDate(trx, dueNext, sql.ref('returned_on'))}, 0, 0, 0, 0, 0, 0, 0, 1
        from dossiers where ${where} and returned_on is not null
      ) as parts group by procedure_id, day`;
}

/** The month rows of these procedures, as the sums of their day rows. */
async function monthsFromDays(trx: Db, list: RawBuilder<unknown>): Promise<void> {
  await sql`insert into dossier_stats_month (procedure_id, month, rd, ro, rp, te, tt, tl, d1, o)
    select procedure_id, substr(day, 1, 7), sum(rd), sum(ro), sum(rp), sum(te), sum(tt), sum(tl), sum(d1), sum(o)
    from dossier_stats_day where procedure_id in (${list}) group by procedure_id, substr(day, 1, 7)
    on conflict (procedure_id, month) do update set ${COUNTERS_FROM_EXCLUDED}`.execute(trx);
}

/**
 * Callers may refresh concurrently on one transaction (Promise.all of several figures inside it): their statements
 * then interleave. Deleting first and inserting with an upsert that writes the computed row keeps that safe — every
 * run computes the same rows from the same dossiers, and each run's month rows are built after its own day rows.
 */
async function recompute(trx: Db, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const list = sql.join(chunk);
    await sql`delete from dossier_stats_day where procedure_id in (${list})`.execute(trx);
    await sql`delete from dossier_stats_month where procedure_id in (${list})`.execute(trx);
    await sql`insert into dossier_stats_day (procedure_id, day, rd, ro, rp, te, tt, tl, d1, o)
      ${dayRowsOf(trx, sql`procedure_id in (${list})`)}
      on conflict (procedure_id, day) do update set ${COUNTERS_FROM_EXCLUDED}`.execute(trx);
    await monthsFromDays(trx, list);
    await sql`delete from dossier_stats_dirty where procedure_id in (${list})`.execute(trx);
  }
}

/**
 * A bulk import's new dossiers (created by import `importId`, all with ids above `afterId`, the largest id before
 * its writes), added to the summary rows of their procedures: one aggregate over the new rows only, merged into the
 * day rows by upserts that add, then the month rows of those procedures summed again from their day rows. A
 * dossier's counts depend on its own values only, so this equals recomputing the procedures from all their dossiers
 * (test/dossiers/stats-incremental.test.ts) — provided their rows were up to date before the import (not marked in
 * dossier_stats_dirty) and the import changed none of their stored dossiers: the caller recomputes the others.
 * Returns false, adding nothing, when the new rows are not exactly `added` rows above `afterId`.
 */
export async function addNewDossierStats(trx: Db, importId: number, afterId: number, added: number, procedureIds: readonly number[]): Promise<boolean> {
  const where = sql`id > ${afterId} and created_import_id = ${importId}`;
  const found = await sql<{ n: number | string }>`select count(*) as n from dossiers where ${where}`.execute(trx);
  if (Number(found.rows[0]?.n ?? 0) !== added) return false;
  if (added === 0) return true;
  await sql`insert into dossier_stats_day (procedure_id, day, rd, ro, rp, te, tt, tl, d1, o)
    ${dayRowsOf(trx, where)}
    on conflict (procedure_id, day) do update set ${COUNTERS_PLUS_EXCLUDED('dossier_stats_day')}`.execute(trx);
  const ids = [...new Set(procedureIds)].sort((a, b) => a - b);
  for (let i = 0; i < ids.length; i += CHUNK) await monthsFromDays(trx, sql.join(ids.slice(i, i + CHUNK)));
  return true;
}

/**
 * Recomputes the summary rows of the marked procedures (only `procedureId` when given). Returns how many were
 * recomputed, or null when the database could not be written now (read-only, or another writer holding the lock):
 * the caller then computes from the dossiers themselves.
 */
export async function refreshDossierStats(db: Db, procedureId?: number): Promise<number | null> {
  if ((await dirtyIds(db, procedureId)).length === 0) return 0;
  const run = async (trx: Db) => {
    const ids = await dirtyIds(trx, procedureId);
    await recompute(trx, ids);
    return ids.length;
  };
  try {
    return db.isTransaction ? await run(db) : await db.transaction().execute(run);
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_READONLY')) return null;
    throw err;
  }
}

const sumOf = (kinds: readonly Kind[], flag: string) =>
  sql.raw(kinds.map((k) => `coalesce(sum(case when ${flag} then ${k} end), 0) as ${k}_${flag}`).join(', '));

/**
 * Counts "date <= X1" and "date <= X2" per procedure. `b1` / `b2` flag the rows that count towards each bound: whole
 * months before the bound's month (or up to it, when the bound ends its month), and the days of its month.
 */
async function countsAt(db: Db, x1: string, x2: string, procedureId?: number): Promise<Map<number, { b1: Counts; b2: Counts }>> {
  const bound = (x: string) => ({
    monthsBefore: isMonthEnd(x) ? monthOf(addDays(x, 1)) : monthOf(x),
    daysFrom: `${monthOf(x)}-01`,
    daysTo: x,
    days: !isMonthEnd(x),
  });
  const a = bound(x1);
  const b = bound(x2);
  const dayFlag = (x: typeof a) => (x.days ? sql`(s.day >= ${x.daysFrom} and s.day <= ${x.daysTo})` : sql`false`);
  const dayParts: RawBuilder<unknown>[] = [];
  if (a.days || b.days) {
    // From procedures, so that each procedure's few days are found by its key (the table has no index by day).
    const range = sql.join(
      [a, b].filter((x) => x.days).map((x) => sql`(s.day >= ${x.daysFrom} and s.day <= ${x.daysTo})`),
      sql` or `,
    );
    dayParts.push(sql`union all
      select s.procedure_id, ${dayFlag(a)} as b1, ${dayFlag(b)} as b2, s.rd, s.ro, s.rp, s.te, s.tt, s.tl, s.d1, s.o
      from procedures p ${joinInOrder(db)} dossier_stats_day s on s.procedure_id = p.id
      where p.organisation_id = ${organisationOf(db)} and (${range}) ${only(procedureId, 'p.id')}`);
  }
  const { rows } = await sql<Record<string, number> & { procedure_id: number }>`
    select procedure_id, ${sumOf(KINDS, 'b1')}, ${sumOf(KINDS, 'b2')} from (
      select m.procedure_id, m.month < ${a.monthsBefore} as b1, m.month < ${b.monthsBefore} as b2, m.rd, m.ro, m.rp, m.te, m.tt, m.tl, m.d1, m.o
      from dossier_stats_month m where m.month < ${b.monthsBefore} ${mineOr(db, procedureId, 'm.procedure_id')}
      ${sql.join(dayParts, sql``)}
    ) as parts group by procedure_id`.execute(db);
  const out = new Map<number, { b1: Counts; b2: Counts }>();
  for (const r of rows) {
    const pick = (flag: 'b1' | 'b2') => Object.fromEntries(KINDS.map((k) => [k, Number(r[`${k}_${flag}`] ?? 0)])) as Counts;
    out.set(Number(r.procedure_id), { b1: pick('b1'), b2: pick('b2') });
  }
  return out;
}

function figuresOf(c: { b1: Counts; b2: Counts }): RawFigures {
  const R = (x: Counts) => x.rd + x.ro + x.rp;
  const T = (x: Counts) => x.te + x.tt + x.tl;
  const newly = R(c.b2) - R(c.b1);
  const received = R(c.b2) - T(c.b1);
  const pending = R(c.b2) - T(c.b2);
  const pendingOverdue = c.b2.d1 - c.b2.o;
  return {
    carried_over: received - newly,
    newly_received: newly,
    newly_received_online: c.b2.ro - c.b1.ro,
    newly_received_direct: c.b2.rd - c.b1.rd,
    newly_received_postal: c.b2.rp - c.b1.rp,
    resolved: T(c.b2) - T(c.b1),
    early: c.b2.te - c.b1.te,
    on_time: c.b2.tt - c.b1.tt,
    late: c.b2.tl - c.b1.tl,
    pending,
    pending_on_track: pending - pendingOverdue,
    pending_overdue: pendingOverdue,
  };
}

/** Figures for [from, to] of every procedure with a dossier in the period (or of one procedure), from the summary tables. */
export async function statsFigures(db: Db, from: string, to: string, procedureId?: number): Promise<Map<number, RawFigures>> {
  const out = new Map<number, RawFigures>();
  for (const [id, counts] of await countsAt(db, addDays(from, -1), to, procedureId)) {
    const f = figuresOf(counts);
    if (f.carried_over + f.newly_received > 0) out.set(id, f);
  }
  return out;
}

/** Resolved dossiers by month of return within [from, to] (months without any are absent), from the summary tables. */
export async function statsMonthlyResolved(db: Db, procedureId: number | null, from: string, to: string): Promise<RawMonth[]> {
  const pid = procedureId ?? undefined;
  // Whole months inside the period come from the month table; the period's partial first and last months from days.
  const firstWhole = from.slice(8, 10) === '01' ? monthOf(from) : monthOf(addDays(`${monthOf(from)}-28`, 7));
  const lastWhole = isMonthEnd(to) ? monthOf(to) : monthOf(addDays(`${monthOf(to)}-01`, -1));
  const { rows } = await sql<RawMonth>`
    select month, sum(te + tt + tl) as resolved, sum(te) as early, sum(tt) as on_time, sum(tl) as late from (
      select m.month, m.te, m.tt, m.tl from dossier_stats_month m
      where m.month >= ${firstWhole} and m.month <= ${lastWhole} ${mineOr(db, pid, 'm.procedure_id')}
      union all
      select substr(s.day, 1, 7), s.te, s.tt, s.tl from procedures p ${joinInOrder(db)} dossier_stats_day s on s.procedure_id = p.id
      where p.organisation_id = ${organisationOf(db)} and s.day >= ${from} and s.day <= ${to}
        and (substr(s.day, 1, 7) < ${firstWhole} or substr(s.day, 1, 7) > ${lastWhole}) ${only(pid, 'p.id')}
    ) as parts group by month having sum(te + tt + tl) > 0 order by month`.execute(db);
  return rows.map((r) => ({ month: r.month, resolved: Number(r.resolved), early: Number(r.early), on_time: Number(r.on_time), late: Number(r.late) }));
}

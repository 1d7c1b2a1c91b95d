import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationProcedureIds, refreshDossierStats, statsFigures, statsMonthlyResolved, type RawFigures, type RawMonth } from './dossiers.stats.queries';

/**
 * The dossier figures of shared/domain/REPORTING.md as SQL over the indexed LOCAL date columns
 * (r = received_on, t = returned_on, due = due_on). `from` and `to` are inclusive 'YYYY-MM-DD'.
 * One condition per table row, used by the figures, the lists and the nonconformity bulk action alike.
 */
export const PERIOD_STATUSES = ['early', 'on_time', 'late', 'pending_on_track', 'pending_overdue'] as const;
export type PeriodStatus = (typeof PERIOD_STATUSES)[number];
export const LIST_FILTERS = ['received', 'resolved', 'pending', ...PERIOD_STATUSES] as const;
export type ListFilter = (typeof LIST_FILTERS)[number];

export function periodConditions(from: string, to: string, alias = 'd') {
  const c = (column: string) => sql.ref(`${alias}.${column}`);
  const r = c('received_on');
  const t = c('returned_on');
  const due = c('due_on');
  const outcome = c('outcome');
  const resolved = sql<boolean>`(${r} <= ${to} and ${t} >= ${from} and ${t} <= ${to})`;
  const pending = sql<boolean>`(${r} <= ${to} and (${t} is null or ${t} > ${to}))`;
  return {
    /** carriedOver + newlyReceived: the dossiers the period deals with. */
    received: sql<boolean>`(${r} <= ${to} and (${t} is null or ${t} >= ${from}))`,
    carriedOver: sql<boolean>`(${r} < ${from} and (${t} is null or ${t} >= ${from}))`,
    newlyReceived: sql<boolean>`(${r} >= ${from} and ${r} <= ${to})`,
    resolved,
    early: sql<boolean>`(${resolved} and ${outcome} = 'returned' and ${t} < ${due})`,
    onTime: sql<boolean>`(${resolved} and ((${outcome} = 'returned' and ${t} = ${due}) or ${outcome} = 'withdrawn'))`,
    late: sql<boolean>`(${resolved} and ${outcome} = 'returned' and ${t} > ${due})`,
    pending,
    pendingOnTrack: sql<boolean>`(${pending} and ${due} >= ${to})`,
    pendingOverdue: sql<boolean>`(${pending} and ${due} < ${to})`,
    channel: (channel: string) => sql<boolean>`(${r} >= ${from} and ${r} <= ${to} and ${c('channel')} = ${channel})`,
  };
}

export function filterCondition(filter: ListFilter, from: string, to: string, alias = 'd'): RawBuilder<boolean> {
  const k = periodConditions(from, to, alias);
  const map: Record<ListFilter, RawBuilder<boolean>> = {
    received: k.received,
    resolved: k.resolved,
    pending: k.pending,
    early: k.early,
    on_time: k.onTime,
    late: k.late,
    pending_on_track: k.pendingOnTrack,
    pending_overdue: k.pendingOverdue,
  };
  return map[filter];
}

/** The dossier's standing in the period, as SQL (null when the period does not deal with it). */
export function periodStatusColumn(from: string, to: string, alias = 'd'): RawBuilder<PeriodStatus | null> {
  const k = periodConditions(from, to, alias);
  return sql<PeriodStatus | null>`case
    when ${k.early} then 'early' when ${k.onTime} then 'on_time' when ${k.late} then 'late'
    when ${k.pendingOnTrack} then 'pending_on_track' when ${k.pendingOverdue} then 'pending_overdue' end`;
}

const count = (cond: RawBuilder<boolean>) => sql<number>`coalesce(sum(case when ${cond} then 1 else 0 end), 0)`;

function figureColumns(from: string, to: string) {
  const k = periodConditions(from, to);
  return sql`${count(k.carriedOver)} as carried_over,
    ${count(k.newlyReceived)} as newly_received,
    ${count(k.channel('online'))} as newly_received_online,
    ${count(k.channel('direct'))} as newly_received_direct,
    ${count(k.channel('postal'))} as newly_received_postal,
    ${count(k.resolved)} as resolved,
    ${count(k.early)} as early,
    ${count(k.onTime)} as on_time,
    ${count(k.late)} as late,
    ${count(k.pending)} as pending,
    ${count(k.pendingOnTrack)} as pending_on_track,
    ${count(k.pendingOverdue)} as pending_overdue`;
}

/**
 * One procedure's figures from the summary tables (dossiers.stats.queries.ts), after recomputing the procedure's rows
 * if its dossiers changed; straight from the dossiers when the database cannot be written now.
 */
export async function selectFigures(db: Db, procedureId: number, from: string, to: string): Promise<RawFigures> {
  if ((await refreshDossierStats(db, procedureId)) === null) return selectFiguresFromDossiers(db, procedureId, from, to);
  return (await statsFigures(db, from, to, procedureId)).get(procedureId) ?? emptyRaw();
}

/** Every procedure's figures (procedures without any dossier in the period are absent), from the summary tables. */
export async function selectFiguresByProcedure(db: Db, from: string, to: string): Promise<(RawFigures & { procedure_id: number })[]> {
  if ((await refreshDossierStats(db)) === null) return selectFiguresByProcedureFromDossiers(db, from, to);
  return [...(await statsFigures(db, from, to))].sort((a, b) => a[0] - b[0]).map(([procedure_id, f]) => ({ procedure_id, ...f }));
}

/**
 * One procedure's figures and its resolved dossiers by month, after ONE check (and recomputation) of the procedure's
 * summary rows instead of one per read: the printable report draws both.
 */
export async function selectFiguresAndMonths(db: Db, procedureId: number, from: string, to: string): Promise<{ figures: RawFigures; months: RawMonth[] }> {
  if ((await refreshDossierStats(db, procedureId)) === null) {
    const [figures, months] = await Promise.all([
      selectFiguresFromDossiers(db, procedureId, from, to),
      selectMonthlyResolvedFromDossiers(db, procedureId, from, to),
    ]);
    return { figures, months };
  }
  const [byProcedure, months] = await Promise.all([statsFigures(db, from, to, procedureId), statsMonthlyResolved(db, procedureId, from, to)]);
  return { figures: byProcedure.get(procedureId) ?? emptyRaw(), months };
}

/** Resolved dossiers by local month of t within the period (months without any are absent), from the summary tables. */
export async function selectMonthlyResolved(db: Db, procedureId: number | null, from: string, to: string): Promise<RawMonth[]> {
  if ((await refreshDossierStats(db, procedureId ?? undefined)) === null) return selectMonthlyResolvedFromDossiers(db, procedureId, from, to);
  return statsMonthlyResolved(db, procedureId, from, to);
}

const emptyRaw = (): RawFigures => ({
  carried_over: 0,
  newly_received: 0,
  newly_received_online: 0,
  newly_received_direct: 0,
  newly_received_postal: 0,
  resolved: 0,
  early: 0,
  on_time: 0,
  late: 0,
  pending: 0,
  pending_on_track: 0,
  pending_overdue: 0,
});

/* The same figures straight from the dossiers: the definition the summary tables are tested against, and the fallback. */

/** One procedure's figures, in one query (an index-only scan of dossiers_procedure_figures_idx). */
export async function selectFiguresFromDossiers(db: Db, procedureId: number, from: string, to: string): Promise<RawFigures> {
  const k = periodConditions(from, to);
  const result = await sql<RawFigures>`select ${figureColumns(from, to)}
    from dossiers d where d.procedure_id = ${procedureId} and ${k.received}`.execute(db);
  return result.rows[0];
}

/**
 * Every procedure's figures (the organisation's procedures) in one grouped query; procedures without any dossier in
 * the period are absent. The organisation is chosen through its procedures, so that the covering figures index
 * (procedure_id first) still answers alone.
 */
export async function selectFiguresByProcedureFromDossiers(db: Db, from: string, to: string): Promise<(RawFigures & { procedure_id: number })[]> {
  const k = periodConditions(from, to);
  const result = await sql<RawFigures & { procedure_id: number }>`select d.procedure_id, ${figureColumns(from, to)}
    from dossiers d where d.procedure_id in ${organisationProcedureIds(db)} and ${k.received}
    group by d.procedure_id order by d.procedure_id`.execute(db);
  return result.rows;
}

/**
 * Resolved dossiers by local month of t (returned or withdrawn) within the period, of one procedure or of every
 * procedure of the organisation; months without any are absent.
 */
export async function selectMonthlyResolvedFromDossiers(db: Db, procedureId: number | null, from: string, to: string): Promise<RawMonth[]> {
  const k = periodConditions(from, to);
  const byProcedure = procedureId === null ? sql`d.procedure_id in ${organisationProcedureIds(db)}` : sql`d.procedure_id = ${procedureId}`;
  const result = await sql<RawMonth>`select substr(d.returned_on, 1, 7) as month,
      count(*) as resolved, ${count(k.early)} as early, ${count(k.onTime)} as on_time, ${count(k.late)} as late
    from dossiers d where ${byProcedure} and ${k.resolved}
    group by month order by month`.execute(db);
  return result.rows;
}

import { sql } from 'kysely';
import type { Db } from '../../core/db/database';
import { scopedDb } from '../../core/db/scope';
import { refreshDossierStats } from '../dossiers/dossiers.stats.queries';
import { ACTIVE_STATUSES } from '../nonconformities/nonconformities.model';

/**
 * The oversight page's figures (issue 22): for every organisation of a list (a subtree, given as ids), ONE grouped
 * statement per figure (`organisation_id in (ids)` … `group by organisation_id`), never one report per organisation.
 * These reads cross organisations on purpose: they run on an unscoped handle (withoutOrganisation) and filter every
 * root table by the ids explicitly; the caller only ever passes the ids of organisationsUnder(own organisation).
 * Each returns a map organisation id → figure; an organisation without any row is absent (0 for the caller).
 */
export interface OversightOrganisation {
  id: number;
  code: string;
  name: string;
  kind: string;
  status: string;
  qms_declared_on: string | null;
}

/** The organisation table with the declaration date of migration 2026_12_11_1000_oversight (core's schema lacks it). */
const withDeclaration = (db: Db) => db.withTables<{ organisation: { qms_declared_on: string | null } }>();

export async function listOversightOrganisations(db: Db, ids: readonly number[]): Promise<OversightOrganisation[]> {
  if (ids.length === 0) return [];
  const rows = await withDeclaration(db)
    .selectFrom('organisation')
    .select(['id', 'code', 'name', 'kind', 'status', 'qms_declared_on'])
    .where('id', 'in', [...ids])
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

const byOrganisation = (rows: { organisation_id: number | string; n: number | string | null }[]) =>
  new Map(rows.map((r) => [Number(r.organisation_id), Number(r.n ?? 0)]));

/**
 * Documents due for review, as each organisation's /documents/due lists them (listDocumentsDueForReview with
 * 30 days): effective revisions of active documents whose next review is on or before `until` (today + 30 days),
 * overdue ones included. Read from document_revisions_review_due_idx (status, next_review_due, organisation_id).
 */
export async function countDocumentsDue(db: Db, ids: readonly number[], until: string): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<{ organisation_id: number; n: number }>`
    select r.organisation_id, count(*) as n
    from document_revisions r join documents d on d.id = r.document_id
    where r.status = 'effective' and r.next_review_due <= ${until} and r.organisation_id in (${sql.join(ids)}) and d.status = 'active'
    group by r.organisation_id`.execute(db);
  return byOrganisation(rows);
}

/**
 * Open major nonconformities, as the NC register and the dashboard count them: statuses ACTIVE_STATUSES (reported
 * to awaiting verification), severity major, from nc_register_counts (kept by triggers per organisation).
 */
export async function countOpenMajorNcs(db: Db, ids: readonly number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<{ organisation_id: number; n: number }>`
    select organisation_id, sum(n) as n from nc_register_counts
    where organisation_id in (${sql.join(ids)}) and severity = 'major'
      and status in (${sql.join(ACTIVE_STATUSES.map((s) => sql.lit(s)))})
    group by organisation_id`.execute(db);
  return byOrganisation(rows);
}

/**
 * Overdue actions, as the dashboard and the actions page (?overdue=1) count them: open actions (planned or in
 * progress) of nonconformities due before today, from open_action_due_counts (kept by triggers per organisation).
 */
export async function countOverdueActions(db: Db, ids: readonly number[], today: string): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<{ organisation_id: number; n: number }>`
    select organisation_id, sum(n) as n from open_action_due_counts
    where organisation_id in (${sql.join(ids)}) and due_date < ${today}
    group by organisation_id`.execute(db);
  return byOrganisation(rows);
}

/**
 * Audits completed in the 12 months ending today. "Completed" is the audits feature's notion of an audit whose
 * fieldwork is done and reported: status `reported` or `closed` (the states from which its findings are followed up,
 * audits.view.ts / audits.followup.service.ts); it is dated, as the reports date an audit, by its first day of
 * fieldwork (actual_start, audits.report.queries.ts), within [since, today] (twelveMonthWindowStart). Every audit
 * type counts. From audits_actual_start_idx (organisation_id, actual_start).
 */
export async function countCompletedAudits(db: Db, ids: readonly number[], since: string, today: string): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<{ organisation_id: number; n: number }>`
    select organisation_id, count(*) as n from audits
    where organisation_id in (${sql.join(ids)}) and actual_start >= ${since} and actual_start <= ${today}
      and status in ('reported', 'closed')
    group by organisation_id`.execute(db);
  return byOrganisation(rows);
}

export interface OnTimeCounts {
  resolved: number;
  good: number;
}

/**
 * The dossiers resolved from `from` (1 January) to `today` and the early + on-time ones among them, per
 * organisation, over its ACTIVE procedures (the summary report's rows: its totals line is their sum), from the
 * summary tables dossier_stats_month (whole months before today's month) and dossier_stats_day (the days of today's
 * month up to today) exactly as dossiers.stats.queries.ts counts "resolved (by kind) = T(to) - T(from - 1)" when
 * `from` starts a year. The procedures whose rows are stale (dossier_stats_dirty) are recomputed first, organisation
 * by organisation (only those with any); when that cannot write now, the figures are counted from the dossiers.
 */
export async function countOnTime(db: Db, ids: readonly number[], from: string, today: string): Promise<Map<number, OnTimeCounts>> {
  if (ids.length === 0) return new Map();
  const list = sql.join(ids);
  const dirty = await sql<{ organisation_id: number }>`
    select distinct p.organisation_id from dossier_stats_dirty s join procedures p on p.id = s.procedure_id
    where p.organisation_id in (${list})`.execute(db);
  let fromStats = true;
  for (const r of dirty.rows) if ((await refreshDossierStats(scopedDb(db, Number(r.organisation_id)))) === null) fromStats = false;
  const month = today.slice(0, 7);
  const good = (prefix: string) => sql.raw(`${prefix}te + ${prefix}tt`);
  const { rows } = fromStats
    ? await sql<{ organisation_id: number; resolved: number; good: number }>`
    select x.organisation_id, sum(x.resolved) as resolved, sum(x.good) as good from (
      select p.organisation_id, m.te + m.tt + m.tl as resolved, ${good('m.')} as good
      from procedures p join dossier_stats_month m on m.procedure_id = p.id
      where p.organisation_id in (${list}) and p.status = 'active' and m.month >= ${from.slice(0, 7)} and m.month < ${month}
      union all
      select p.organisation_id, d.te + d.tt + d.tl, ${good('d.')}
      from procedures p join dossier_stats_day d on d.procedure_id = p.id
      where p.organisation_id in (${list}) and p.status = 'active' and d.day >= ${`${month}-01`} and d.day <= ${today}
    ) x group by x.organisation_id`.execute(db)
    : await sql<{ organisation_id: number; resolved: number; good: number }>`
    select p.organisation_id, count(*) as resolved,
      sum(case when (d.outcome = 'returned' and d.returned_on <= d.due_on) or d.outcome = 'withdrawn' then 1 else 0 end) as good
    from procedures p join dossiers d on d.procedure_id = p.id
    where p.organisation_id in (${list}) and p.status = 'active' and d.returned_on >= ${from} and d.returned_on <= ${today}
    group by p.organisation_id`.execute(db);
  return new Map(rows.map((r) => [Number(r.organisation_id), { resolved: Number(r.resolved ?? 0), good: Number(r.good ?? 0) }]));
}

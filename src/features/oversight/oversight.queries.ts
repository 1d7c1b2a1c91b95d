import { sql } from 'kysely';
import type { Db } from '../../core/db/database';
import { ACTIVE_STATUSES } from '../nonconformities/nonconformities.model';
import { notReplacedOn } from '../documents/documents.inforce.queries';

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
 * overdue ones included, and not replaced today by an approved revision whose date has come. Read from document_revisions_review_due_idx (status, next_review_due, organisation_id,
 * document_id) alone, then each document by primary key.
 */
export async function countDocumentsDue(db: Db, ids: readonly number[], today: string, until: string): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<{ organisation_id: number; n: number }>`
    select r.organisation_id, count(*) as n
    from document_revisions r join documents d on d.id = r.document_id
    where r.status = 'effective' and r.next_review_due <= ${until} and r.organisation_id in (${sql.join(ids)}) and d.status = 'active'
      and ${notReplacedOn('r', today)}
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

import { sql, type Insertable, type Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { ActionStatus } from '../nonconformities/nonconformities.actions.model';
import type { DecisionKind } from './reviews.model';
import type { ManagementReviewDecisionsTable, ManagementReviewsTable } from './reviews.tables';

/** Every statement of the management reviews; each reads and writes the organisation's own rows only. */

export type ReviewRow = Selectable<ManagementReviewsTable> & {
  chair_name: string | null;
  chair_title: string | null;
  secretary_name: string | null;
  decisions: number;
};

const base = (db: Db) =>
  db
    .selectFrom('management_reviews as m')
    .leftJoin('users as c', 'c.id', 'm.chair_id')
    .leftJoin('users as s', 's.id', 'm.secretary_id')
    .selectAll('m')
    .select((eb) => [
      'c.full_name as chair_name',
      'c.position_title as chair_title',
      's.full_name as secretary_name',
      eb
        .selectFrom('management_review_decisions as d')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('d.review_id', '=', 'm.id')
        .as('decisions'),
    ])
    .where('m.organisation_id', '=', organisationOf(db));

const numbers = (r: Omit<ReviewRow, 'decisions'> & { decisions: unknown }): ReviewRow => ({ ...r, decisions: Number(r.decisions ?? 0) });

export async function findReview(db: Db, id: number): Promise<ReviewRow | undefined> {
  const row = await base(db).where('m.id', '=', id).executeTakeFirst();
  return row ? numbers(row) : undefined;
}

/** The organisation's reviews, the latest held first. */
export async function listReviews(db: Db): Promise<ReviewRow[]> {
  return (await base(db).orderBy('m.held_on', 'desc').orderBy('m.id', 'desc').limit(500).execute()).map(numbers);
}

/** The next code of the year held: XXLĐ-2026-01, XXLĐ-2026-02, … */
export async function nextReviewCode(db: Db, year: string): Promise<string> {
  const row = await db
    .selectFrom('management_reviews')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisationOf(db))
    .where('code', 'like', `XXLĐ-${year}-%`)
    .executeTakeFirstOrThrow();
  return `XXLĐ-${year}-${String(Number(row.n) + 1).padStart(2, '0')}`;
}

export type ReviewValues = Pick<
  Selectable<ManagementReviewsTable>,
  'number_text' | 'period_from' | 'period_to' | 'held_on' | 'place' | 'chair_id' | 'secretary_id' | 'attendee_ids' | 'guests' | 'assessments' | 'conclusions'
>;

export async function insertReview(db: Db, row: ReviewValues & { code: string; created_by: number }, at: string): Promise<number> {
  const r = await db
    .insertInto('management_reviews')
    .values({ ...row, organisation_id: organisationOf(db), created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

/** Changes a draft at the version read; false when stale or signed. */
export async function updateReviewDraft(db: Db, id: number, values: ReviewValues, version: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('management_reviews')
    .set({ ...values, updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'draft')
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function updateReviewSigned(
  db: Db,
  id: number,
  values: { pack_json: string; letterhead_json: string; as_of: string; content_sha256: string; signature_id: number; signed_by: number; signed_at: string },
  version: number,
): Promise<boolean> {
  const result = await db
    .updateTable('management_reviews')
    .set({ ...values, status: 'signed', updated_at: values.signed_at, version: version + 1 })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'draft')
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A decision with its action (every decision has one: they are written together). */
export interface DecisionRow {
  id: number;
  review_id: number;
  seq: number;
  kind: DecisionKind;
  description: string;
  action_id: number | null;
  owner_id: number | null;
  owner_name: string | null;
  due_date: string | null;
  action_status: ActionStatus | null;
  completed_on: string | null;
  cancelled_on: string | null;
}

const decisionBase = (db: Db) =>
  db
    .selectFrom('management_review_decisions as d')
    .leftJoin('nc_actions as a', 'a.review_decision_id', 'd.id')
    .leftJoin('users as o', 'o.id', 'a.owner_id')
    .select([
      'd.id',
      'd.review_id',
      'd.seq',
      'd.kind',
      'd.description',
      'a.id as action_id',
      'a.owner_id',
      'o.full_name as owner_name',
      'a.due_date',
      'a.status as action_status',
      'a.completed_on',
      'a.cancelled_on',
    ])
    .where('d.organisation_id', '=', organisationOf(db));

export function listDecisions(db: Db, reviewId: number): Promise<DecisionRow[]> {
  return decisionBase(db).where('d.review_id', '=', reviewId).orderBy('d.seq').execute();
}

/** Every decision of the organisation's reviews with its review and action, for the register's exports. */
export function listAllDecisions(db: Db): Promise<(DecisionRow & { review_code: string; held_on: string; review_status: string })[]> {
  return decisionBase(db)
    .innerJoin('management_reviews as m', 'm.id', 'd.review_id')
    .select(['m.code as review_code', 'm.held_on', 'm.status as review_status'])
    .orderBy('m.held_on')
    .orderBy('m.id')
    .orderBy('d.seq')
    .execute();
}

export async function nextDecisionSeq(db: Db, reviewId: number): Promise<number> {
  const row = await db
    .selectFrom('management_review_decisions')
    .select((eb) => eb.fn.max('seq').as('m'))
    .where('review_id', '=', reviewId)
    .where('organisation_id', '=', organisationOf(db))
    .executeTakeFirst();
  return Number(row?.m ?? 0) + 1;
}

export async function insertDecision(db: Db, row: Omit<Insertable<ManagementReviewDecisionsTable>, 'organisation_id' | 'locked'>): Promise<number> {
  const r = await db
    .insertInto('management_review_decisions')
    .values({ ...row, organisation_id: organisationOf(db) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

/** Locks a review's decisions when it is signed (the one change they take). */
export async function lockDecisions(db: Db, reviewId: number): Promise<void> {
  await db
    .updateTable('management_review_decisions')
    .set({ locked: 1 })
    .where('review_id', '=', reviewId)
    .where('organisation_id', '=', organisationOf(db))
    .where('locked', '=', 0)
    .execute();
}

/** The actions of the decisions of the organisation's signed reviews held before `heldOn` (other than review `reviewId`). */
export async function listPreviousActions(db: Db, reviewId: number, heldOn: string) {
  const actions = await db
    .selectFrom('nc_actions as a')
    .innerJoin('management_review_decisions as d', 'd.id', 'a.review_decision_id')
    .innerJoin('management_reviews as m', 'm.id', 'd.review_id')
    .leftJoin('users as o', 'o.id', 'a.owner_id')
    .select([
      'a.id',
      'm.code as review_code',
      'd.kind as decision_kind',
      'a.description',
      'o.full_name as owner_name',
      'a.due_date',
      'a.started_on',
      'a.completed_on',
      'a.cancelled_on',
      'a.status',
      'a.created_at',
    ])
    .where('m.organisation_id', '=', organisationOf(db))
    .where('m.status', '=', 'signed')
    .where('m.held_on', '<', heldOn)
    .where('m.id', '<>', reviewId)
    .orderBy('m.held_on')
    .orderBy('d.seq')
    .execute();
  const ids = actions.map((a) => a.id);
  const changes = ids.length
    ? await db.selectFrom('nc_action_due_history').select(['action_id', 'changed_on', 'due_before']).where('action_id', 'in', ids).orderBy('id').execute()
    : [];
  return { actions, changes };
}

/** The reviews of risks held in [from, to] with the effectiveness of the actions judged. */
export function listRiskReviewsIn(db: Db, from: string, to: string): Promise<{ reviewed_on: string; effectiveness: string }[]> {
  return db
    .selectFrom('risk_reviews')
    .select(['reviewed_on', 'effectiveness'])
    .where('organisation_id', '=', organisationOf(db))
    .where('reviewed_on', '>=', from)
    .where('reviewed_on', '<=', to)
    .execute();
}

/**
 * The opportunities for improvement found by the audits held in [from, to] (first day of fieldwork, not cancelled by
 * `to`; active findings), as countAuditsHeld counts them.
 */
export function listOfiFindings(db: Db, from: string, to: string): Promise<{ audit_code: string; statement: string }[]> {
  return db
    .selectFrom('audit_findings as f')
    .innerJoin('audits as a', 'a.id', 'f.audit_id')
    .select(['a.code as audit_code', 'f.statement'])
    .where('a.organisation_id', '=', organisationOf(db))
    .where(sql<boolean>`(a.status <> 'cancelled' or a.cancelled_on > ${to})`)
    .where('a.actual_start', '>=', from)
    .where('a.actual_start', '<=', to)
    .where('f.status', '=', 'active')
    .where('f.grade', '=', 'ofi')
    .orderBy('a.actual_start')
    .orderBy('f.seq')
    .execute();
}

/** Active users of the organisation with their role and title (chair, secretary, attendees). */
export function listPeople(db: Db): Promise<{ id: number; full_name: string; role: string; position_title: string | null }[]> {
  return db
    .selectFrom('users')
    .select(['id', 'full_name', 'role', 'position_title'])
    .where('organisation_id', '=', organisationOf(db))
    .where('active', '=', 1)
    .where('role', '<>', 'inspector')
    .orderBy('full_name')
    .execute();
}

/** Users of the organisation by id (the names of a draft's attendees), active or not. */
export function listUsersByIds(db: Db, ids: readonly number[]): Promise<{ id: number; full_name: string; position_title: string | null }[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('users')
    .select(['id', 'full_name', 'position_title'])
    .where('organisation_id', '=', organisationOf(db))
    .where('id', 'in', [...ids])
    .orderBy('full_name')
    .execute();
}

import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import { DEFAULT_MATRIX, isMatrix, type RiskKind, type RiskStatus } from './risks.model';
import type { RiskReviewsTable, RisksTable } from './risks.tables';

/** Every SQL statement of the risk register: the organisation's risks, their reviews and its matrix. */

/** organisation.risk_matrix is the risks feature's column (migration 2026_12_13_0900_risks): typed here, where it is read and written. */
const withMatrix = (db: Db) => db.withTables<{ organisation: { risk_matrix: string | null } }>();

/** The organisation's matrix (25 digits), or the default one when it has set none. */
export async function findMatrix(db: Db): Promise<{ matrix: string; custom: boolean }> {
  const row = await withMatrix(db).selectFrom('organisation').select('risk_matrix').where('id', '=', organisationOf(db)).executeTakeFirst();
  const stored = row?.risk_matrix ?? null;
  return isMatrix(stored) ? { matrix: stored, custom: true } : { matrix: DEFAULT_MATRIX, custom: false };
}

export async function updateMatrix(trx: Db, matrix: string | null): Promise<void> {
  await withMatrix(trx).updateTable('organisation').set({ risk_matrix: matrix }).where('id', '=', organisationOf(trx)).execute();
}

export type RiskRow = Selectable<RisksTable> & {
  procedure_code: string | null;
  procedure_title: string | null;
  owner_name: string | null;
  /** Its actions: open (planned or in progress), done, and all that were not cancelled. */
  actions_open: number;
  actions_done: number;
};

const base = (db: Db) =>
  db
    .selectFrom('risks as r')
    .leftJoin('procedures as p', 'p.id', 'r.procedure_id')
    .leftJoin('users as o', 'o.id', 'r.owner_id')
    .selectAll('r')
    .select((eb) => [
      'p.code as procedure_code',
      'p.title as procedure_title',
      'o.full_name as owner_name',
      eb
        .selectFrom('nc_actions as a')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('a.risk_id', '=', 'r.id')
        .where('a.status', 'in', ['planned', 'in_progress'])
        .as('actions_open'),
      eb
        .selectFrom('nc_actions as a')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('a.risk_id', '=', 'r.id')
        .where('a.status', '=', 'done')
        .as('actions_done'),
    ])
    .where('r.organisation_id', '=', organisationOf(db));

const numbers = (r: Omit<RiskRow, 'actions_open' | 'actions_done'> & { actions_open: unknown; actions_done: unknown }): RiskRow => ({
  ...r,
  actions_open: Number(r.actions_open ?? 0),
  actions_done: Number(r.actions_done ?? 0),
});

export interface RiskFilter {
  kind?: RiskKind;
  status?: RiskStatus;
  procedureId?: number;
}

/** The organisation's register, in code order (R-001, R-002, …), filtered. */
export async function listRisks(db: Db, filter: RiskFilter = {}): Promise<RiskRow[]> {
  let q = base(db);
  if (filter.kind) q = q.where('r.kind', '=', filter.kind);
  if (filter.status) q = q.where('r.status', '=', filter.status);
  if (filter.procedureId) q = q.where('r.procedure_id', '=', filter.procedureId);
  return (await q.orderBy('r.id').execute()).map(numbers);
}

export async function findRisk(db: Db, id: number): Promise<RiskRow | undefined> {
  const row = await base(db).where('r.id', '=', id).executeTakeFirst();
  return row ? numbers(row) : undefined;
}

/** The next code of the organisation's register: R-001 after none, then one more than the highest. */
export async function nextRiskCode(trx: Db): Promise<string> {
  const row = await trx
    .selectFrom('risks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisationOf(trx))
    .executeTakeFirstOrThrow();
  return `R-${String(Number(row.n) + 1).padStart(3, '0')}`;
}

export type NewRiskRow = Omit<Insertable<RisksTable>, 'id' | 'organisation_id' | 'status' | 'version'>;

export async function insertRisk(trx: Db, row: NewRiskRow): Promise<number> {
  const r = await trx
    .insertInto('risks')
    .values({ ...row, organisation_id: organisationOf(trx) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export type RiskChanges = Omit<Updateable<RisksTable>, 'id' | 'organisation_id' | 'code' | 'version' | 'created_at' | 'created_by'>;

/** Changes a risk of the organisation at the version read; false when someone changed it since. */
export async function updateRisk(trx: Db, id: number, version: number, changes: RiskChanges, at: string): Promise<boolean> {
  const result = await trx
    .updateTable('risks')
    .set({ ...changes, version: version + 1, updated_at: at })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(trx))
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The scores of every risk of the organisation, to give them their levels again when the matrix changes. */
export function listRiskScores(trx: Db) {
  return trx
    .selectFrom('risks')
    .select(['id', 'likelihood', 'impact', 'level', 'residual_likelihood', 'residual_impact', 'residual_level'])
    .where('organisation_id', '=', organisationOf(trx))
    .orderBy('id')
    .execute();
}

/** Rewrites the levels of one risk (its version unchanged: the entry is the matrix's, not the risk's). */
export async function setLevels(trx: Db, id: number, levels: Pick<Updateable<RisksTable>, 'level' | 'residual_level'>): Promise<void> {
  await trx.updateTable('risks').set(levels).where('id', '=', id).where('organisation_id', '=', organisationOf(trx)).execute();
}

export type ReviewRow = Selectable<RiskReviewsTable> & { reviewer_name: string | null };

export async function insertReview(trx: Db, row: Omit<Insertable<RiskReviewsTable>, 'id' | 'organisation_id'>): Promise<number> {
  const r = await trx
    .insertInto('risk_reviews')
    .values({ ...row, organisation_id: organisationOf(trx) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** The reviews of a risk found by a scoped lookup, the latest first. */
export function listReviews(db: Db, riskId: number): Promise<ReviewRow[]> {
  return db
    .selectFrom('risk_reviews as v')
    .leftJoin('users as u', 'u.id', 'v.reviewer_id')
    .selectAll('v')
    .select('u.full_name as reviewer_name')
    .where('v.risk_id', '=', riskId)
    .orderBy('v.id', 'desc')
    .execute();
}

/** The organisation's open risks and opportunities whose review is due before `today`, earliest first. */
export function listReviewsOverdue(db: Db, today: string, limit: number) {
  return db
    .selectFrom('risks as r')
    .leftJoin('users as o', 'o.id', 'r.owner_id')
    .select(['r.id', 'r.code', 'r.kind', 'r.description', 'r.review_due', 'o.full_name as owner_name'])
    .where('r.organisation_id', '=', organisationOf(db))
    .where('r.status', '=', 'open')
    .where('r.review_due', '<', today)
    .orderBy('r.review_due')
    .orderBy('r.id')
    .limit(limit)
    .execute();
}

export async function countReviewsOverdue(db: Db, today: string): Promise<number> {
  const row = await db
    .selectFrom('risks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'open')
    .where('review_due', '<', today)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The organisation's active procedures, for the form's choice. */
export function listProcedureOptions(db: Db) {
  return db
    .selectFrom('procedures')
    .select(['id', 'code', 'title'])
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'active')
    .orderBy('code')
    .execute();
}

/** An active procedure of the organisation (a risk names one). */
export async function isActiveProcedure(db: Db, id: number): Promise<boolean> {
  const row = await db
    .selectFrom('procedures')
    .select('id')
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'active')
    .executeTakeFirst();
  return row !== undefined;
}

/** What was done about risks and opportunities in [from, to]: entries identified, reviews held (by their judgement of the actions), actions completed. */
export interface RiskActivity {
  identified: number;
  reviews: number;
  reviewed: number;
  effective: number;
  partlyEffective: number;
  notEffective: number;
  actionsDone: number;
}

export async function countRiskActivity(db: Db, from: string, to: string): Promise<RiskActivity> {
  const org = organisationOf(db);
  const [identified, reviews, actions] = await Promise.all([
    db
      .selectFrom('risks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('organisation_id', '=', org)
      .where('identified_on', '>=', from)
      .where('identified_on', '<=', to)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('risk_reviews')
      .select(['risk_id', 'effectiveness'])
      .where('organisation_id', '=', org)
      .where('reviewed_on', '>=', from)
      .where('reviewed_on', '<=', to)
      .execute(),
    db
      .selectFrom('nc_actions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('organisation_id', '=', org)
      .where('risk_id', 'is not', null)
      .where('status', '=', 'done')
      .where('completed_on', '>=', from)
      .where('completed_on', '<=', to)
      .executeTakeFirstOrThrow(),
  ]);
  const judged = (e: string) => reviews.filter((r) => r.effectiveness === e).length;
  return {
    identified: Number(identified.n),
    reviews: reviews.length,
    reviewed: new Set(reviews.map((r) => r.risk_id)).size,
    effective: judged('effective'),
    partlyEffective: judged('partly_effective'),
    notEffective: judged('not_effective'),
    actionsDone: Number(actions.n),
  };
}

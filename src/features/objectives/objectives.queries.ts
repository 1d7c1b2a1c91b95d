import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { ObjectiveApprovalsTable, ObjectiveReadingsTable, ObjectiveSetsTable, QualityObjectivesTable, SetStatus } from './objectives.tables';

/** Every statement of the quality objectives; each reads and writes the organisation's own rows only. */
export type ObjectiveSetRow = Selectable<ObjectiveSetsTable> & { approved_by_name: string | null };
export type ObjectiveRow = Selectable<QualityObjectivesTable> & {
  unit_code: string | null;
  unit_name: string | null;
  procedure_code: string | null;
  procedure_title: string | null;
  owner_name: string | null;
};
export type ApprovalRow = Selectable<ObjectiveApprovalsTable>;
export type ReadingRow = Selectable<ObjectiveReadingsTable> & { recorded_by_name: string | null };

/** The content of an objective: what is entered in its form, and signed when approved. */
export type ObjectiveValues = Pick<
  Selectable<QualityObjectivesTable>,
  | 'unit_id'
  | 'objective'
  | 'indicator'
  | 'procedure_id'
  | 'comparison'
  | 'target'
  | 'unit'
  | 'frequency'
  | 'owner_id'
  | 'plan_what'
  | 'plan_resources'
  | 'plan_who'
  | 'plan_when'
  | 'plan_evaluation'
>;

export function findSet(db: Db, year: number): Promise<ObjectiveSetRow | undefined> {
  return db
    .selectFrom('objective_sets as s')
    .leftJoin('users as u', 'u.id', 's.approved_by')
    .selectAll('s')
    .select('u.full_name as approved_by_name')
    .where('s.organisation_id', '=', organisationOf(db))
    .where('s.year', '=', year)
    .executeTakeFirst();
}

/** The years that have objectives, the latest first. */
export async function listSetYears(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('objective_sets').select('year').where('organisation_id', '=', organisationOf(db)).orderBy('year', 'desc').execute();
  return rows.map((r) => Number(r.year));
}

export async function insertSet(db: Db, year: number, at: string): Promise<number> {
  const row = await db
    .insertInto('objective_sets')
    .values({ organisation_id: organisationOf(db), year, created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function updateSet(
  db: Db,
  id: number,
  changes: Partial<{
    status: SetStatus;
    revision: number;
    submitted_by: number | null;
    submitted_at: string | null;
    approved_by: number | null;
    approved_at: string | null;
    signature_id: number | null;
  }>,
  version: number,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('objective_sets')
    .set({ ...changes, updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

const objectiveBase = (db: Db) =>
  db
    .selectFrom('quality_objectives as o')
    .leftJoin('units as un', 'un.id', 'o.unit_id')
    .leftJoin('procedures as p', 'p.id', 'o.procedure_id')
    .leftJoin('users as w', 'w.id', 'o.owner_id')
    .selectAll('o')
    .select(['un.code as unit_code', 'un.name as unit_name', 'p.code as procedure_code', 'p.title as procedure_title', 'w.full_name as owner_name'])
    .where('o.organisation_id', '=', organisationOf(db));

export function findObjective(db: Db, id: number): Promise<ObjectiveRow | undefined> {
  return objectiveBase(db).where('o.id', '=', id).executeTakeFirst();
}

/** The year's objectives (cancelled ones too, after the active ones), by number. */
export function listObjectives(db: Db, year: number): Promise<ObjectiveRow[]> {
  return objectiveBase(db).where('o.year', '=', year).orderBy('o.status').orderBy('o.seq').execute();
}

export async function nextSeq(db: Db, year: number): Promise<number> {
  const row = await db
    .selectFrom('quality_objectives')
    .select((eb) => eb.fn.max('seq').as('m'))
    .where('organisation_id', '=', organisationOf(db))
    .where('year', '=', year)
    .executeTakeFirst();
  return Number(row?.m ?? 0) + 1;
}

export async function insertObjective(
  db: Db,
  row: Omit<Insertable<QualityObjectivesTable>, 'organisation_id' | 'status' | 'locked' | 'version'>,
): Promise<number> {
  const inserted = await db
    .insertInto('quality_objectives')
    .values({ ...row, organisation_id: organisationOf(db) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/** Changes an objective not approved yet (optimistic: its version). */
export async function updateObjective(db: Db, id: number, values: ObjectiveValues, version: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('quality_objectives')
    .set({ ...values, updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('locked', '=', 0)
    .where('status', '=', 'active')
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function cancelObjectiveRow(db: Db, id: number, reason: string, by: number, version: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('quality_objectives')
    .set({ status: 'cancelled', cancel_reason: reason, cancelled_at: at, cancelled_by: by, updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'active')
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Locks the set's active objectives not locked yet, as approved in `revision`; how many. */
export async function lockObjectives(db: Db, setId: number, revision: number, at: string): Promise<number> {
  const result = await db
    .updateTable('quality_objectives')
    .set((eb) => ({ locked: 1, approved_revision: revision, updated_at: at, version: eb('version', '+', 1) }))
    .where('set_id', '=', setId)
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'active')
    .where('locked', '=', 0)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function insertApproval(db: Db, row: Omit<Insertable<ObjectiveApprovalsTable>, 'organisation_id'>): Promise<void> {
  await db
    .insertInto('objective_approvals')
    .values({ ...row, organisation_id: organisationOf(db) })
    .execute();
}

/** Every approval of the set, the latest first. */
export function listApprovals(db: Db, setId: number): Promise<ApprovalRow[]> {
  return db
    .selectFrom('objective_approvals')
    .selectAll()
    .where('organisation_id', '=', organisationOf(db))
    .where('set_id', '=', setId)
    .orderBy('revision', 'desc')
    .execute();
}

const readingBase = (db: Db) =>
  db
    .selectFrom('objective_readings as r')
    .leftJoin('users as u', 'u.id', 'r.recorded_by')
    .selectAll('r')
    .select('u.full_name as recorded_by_name')
    .where('r.organisation_id', '=', organisationOf(db));

/** Every reading of these objectives (corrected ones too), in the order they were entered. */
export function listReadings(db: Db, objectiveIds: readonly number[]): Promise<ReadingRow[]> {
  if (objectiveIds.length === 0) return Promise.resolve([]);
  return readingBase(db)
    .where('r.objective_id', 'in', [...objectiveIds])
    .orderBy('r.id')
    .execute();
}

export function findReading(db: Db, id: number): Promise<ReadingRow | undefined> {
  return readingBase(db).where('r.id', '=', id).executeTakeFirst();
}

/** Whether a reading was corrected (another reading supersedes it). */
export async function isSuperseded(db: Db, id: number): Promise<boolean> {
  const row = await db
    .selectFrom('objective_readings')
    .select('id')
    .where('organisation_id', '=', organisationOf(db))
    .where('supersedes_id', '=', id)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertReading(db: Db, row: Omit<Insertable<ObjectiveReadingsTable>, 'organisation_id'>): Promise<number> {
  const inserted = await db
    .insertInto('objective_readings')
    .values({ ...row, organisation_id: organisationOf(db) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/** Options of the form: the organisation's active units, active users and active procedures. */
export function listOwnerOptions(db: Db): Promise<{ id: number; full_name: string }[]> {
  return db
    .selectFrom('users')
    .select(['id', 'full_name'])
    .where('organisation_id', '=', organisationOf(db))
    .where('active', '=', 1)
    .orderBy('full_name')
    .execute();
}

export function listProcedureChoices(db: Db): Promise<{ id: number; code: string; title: string }[]> {
  return db
    .selectFrom('procedures')
    .select(['id', 'code', 'title'])
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'active')
    .orderBy('code')
    .execute();
}

import { sql, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { CauseCategory, NcStatus } from './nonconformities.model';
import type { NonconformitiesTable } from './nonconformities.tables';

/** Every SQL statement about nonconformities themselves (lists: nonconformities.list.queries.ts). */

export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** The organisation's time zone, for turning instants into local dates inside a transaction. */
export async function findOrgTimeZone(db: Db): Promise<string> {
  const row = await db.selectFrom('organisation').select('time_zone').where('id', '=', organisationOf(db)).executeTakeFirst();
  return row?.time_zone || DEFAULT_TIME_ZONE;
}

/** Takes the organisation's next number of the year; run inside the creating transaction so a rollback gives it back. */
export async function takeNextSeq(trx: Db, year: number): Promise<number> {
  const row = await trx
    .insertInto('nc_counters')
    .values({ organisation_id: organisationOf(trx), year, last_no: 1 })
    .onConflict((oc) => oc.columns(['organisation_id', 'year']).doUpdateSet({ last_no: sql<number>`nc_counters.last_no + 1` }))
    .returning('last_no')
    .executeTakeFirstOrThrow();
  return row.last_no;
}

export type NewNcRow = Pick<
  Selectable<NonconformitiesTable>,
  | 'code'
  | 'year'
  | 'seq'
  | 'title'
  | 'description'
  | 'source'
  | 'severity'
  | 'procedure_id'
  | 'clause'
  | 'document_id'
  | 'revision_id'
  | 'revision_no'
  | 'detected_on'
  | 'reported_by'
  | 'responsible_unit_id'
  | 'responsible_user_id'
  | 'status'
  | 'opened_on'
  | 'repeat_of_id'
  | 'created_by'
>;

export async function insertNonconformity(trx: Db, values: NewNcRow, at: string): Promise<number> {
  const row = await trx
    .insertInto('nonconformities')
    .values({ ...values, organisation_id: organisationOf(trx), created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export type NcChanges = Omit<Updateable<NonconformitiesTable>, 'id' | 'code' | 'year' | 'seq' | 'version' | 'created_at' | 'updated_at'>;

/** Optimistic update: only when the stored version is the one the form was built from. */
export async function updateNonconformity(trx: Db, id: number, changes: NcChanges, version: number, at: string): Promise<boolean> {
  const result = await trx
    .updateTable('nonconformities')
    .set({ ...changes, updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(trx))
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertStatusHistory(
  trx: Db,
  row: {
    nonconformity_id: number;
    from_status: NcStatus | null;
    to_status: NcStatus;
    changed_on: string;
    changed_at: string;
    changed_by: number | null;
    reason: string | null;
  },
): Promise<void> {
  await trx
    .insertInto('nc_status_history')
    .values({ ...row, organisation_id: organisationOf(trx) })
    .execute();
}

/** A nonconformity with the names of its procedure, unit, people and the NC it repeats. */
export type NcRow = Omit<Selectable<NonconformitiesTable>, 'organisation_id'> & {
  procedure_code: string | null;
  procedure_title: string | null;
  reporter_name: string | null;
  unit_code: string | null;
  unit_name: string | null;
  responsible_name: string | null;
  repeat_of_code: string | null;
  creator_name: string | null;
};

export function findNonconformity(db: Db, id: number): Promise<NcRow | undefined> {
  return db
    .selectFrom('nonconformities as n')
    .leftJoin('procedures as p', 'p.id', 'n.procedure_id')
    .leftJoin('units as u', 'u.id', 'n.responsible_unit_id')
    .leftJoin('users as rep', 'rep.id', 'n.reported_by')
    .leftJoin('users as resp', 'resp.id', 'n.responsible_user_id')
    .leftJoin('users as cr', 'cr.id', 'n.created_by')
    .leftJoin('nonconformities as r', 'r.id', 'n.repeat_of_id')
    .select([
      'n.id',
      'n.code',
      'n.seq',
      'n.year',
      'n.title',
      'n.description',
      'n.source',
      'n.severity',
      'n.procedure_id',
      'p.code as procedure_code',
      'p.title as procedure_title',
      'n.clause',
      'n.document_id',
      'n.revision_id',
      'n.revision_no',
      'n.detected_on',
      'n.reported_by',
      'rep.full_name as reporter_name',
      'n.responsible_unit_id',
      'u.code as unit_code',
      'u.name as unit_name',
      'n.responsible_user_id',
      'resp.full_name as responsible_name',
      'n.status',
      'n.root_cause',
      'n.cause_category',
      'n.whys',
      'n.analysed_on',
      'n.repeat_of_id',
      'r.code as repeat_of_code',
      'n.opened_on',
      'n.verify_due_on',
      'n.closed_on',
      'n.cancelled_on',
      'n.status_reason',
      'n.reopen_count',
      'n.created_by',
      'cr.full_name as creator_name',
      'n.version',
      'n.created_at',
      'n.updated_at',
    ])
    .where('n.id', '=', id)
    .where('n.organisation_id', '=', organisationOf(db))
    .executeTakeFirst();
}

export function findNonconformityByCode(db: Db, code: string): Promise<{ id: number } | undefined> {
  return db.selectFrom('nonconformities').select('id').where('organisation_id', '=', organisationOf(db)).where('code', '=', code).executeTakeFirst();
}

/**
 * The repeat rule's lookups below read by a procedure of the organisation (the one of an NC found by findNonconformity),
 * whose NCs are all the organisation's (references never cross organisations): no organisation filter, which could
 * turn the lookup away from nonconformities_repeat_idx (procedure_id, cause_category, detected_on).
 *
 * The most recent other NC of the same procedure and cause category detected within [since, detectedOn]
 * (earlier on the same day counts when its id is lower), not cancelled or rejected.
 */
export function findRepeatCandidate(
  db: Db,
  nc: { id: number; procedureId: number; causeCategory: CauseCategory; detectedOn: string; since: string },
): Promise<{ id: number; code: string } | undefined> {
  return db
    .selectFrom('nonconformities')
    .select(['id', 'code'])
    .where('procedure_id', '=', nc.procedureId)
    .where('cause_category', '=', nc.causeCategory)
    .where('id', '!=', nc.id)
    .where('status', 'not in', ['cancelled', 'rejected'])
    .where('detected_on', '>=', nc.since)
    .where((eb) => eb.or([eb('detected_on', '<', nc.detectedOn), eb.and([eb('detected_on', '=', nc.detectedOn), eb('id', '<', nc.id)])]))
    .orderBy('detected_on', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Later NCs of the procedure with one of the categories, detected in [from, until], that the repeat rule may now link differently. */
export function listLaterCandidates(
  db: Db,
  nc: { id: number; procedureId: number; categories: CauseCategory[]; from: string; until: string },
): Promise<
  { id: number; procedure_id: number | null; cause_category: CauseCategory | null; detected_on: string; repeat_of_id: number | null; version: number }[]
> {
  return db
    .selectFrom('nonconformities')
    .select(['id', 'procedure_id', 'cause_category', 'detected_on', 'repeat_of_id', 'version'])
    .where('procedure_id', '=', nc.procedureId)
    .where('cause_category', 'in', nc.categories)
    .where('id', '!=', nc.id)
    .where('status', 'not in', ['cancelled', 'rejected'])
    .where('detected_on', '>=', nc.from)
    .where('detected_on', '<=', nc.until)
    .orderBy('detected_on')
    .orderBy('id')
    .execute();
}

// The readers below by an NC's id are given the id of an NC found by findNonconformity (the organisation's): its
// history, corrections, verifications, actions and repeats are the organisation's too (rule 1: through the NC).

/** NCs that point to this one as the NC they repeat. */
export function listRepeatsOf(db: Db, id: number): Promise<{ id: number; code: string; title: string; detected_on: string }[]> {
  return db.selectFrom('nonconformities').select(['id', 'code', 'title', 'detected_on']).where('repeat_of_id', '=', id).orderBy('detected_on').execute();
}

export function listStatusHistory(db: Db, ncId: number) {
  return db
    .selectFrom('nc_status_history as h')
    .leftJoin('users as u', 'u.id', 'h.changed_by')
    .select(['h.id', 'h.from_status', 'h.to_status', 'h.changed_on', 'h.changed_at', 'h.reason', 'u.full_name as by_name'])
    .where('h.nonconformity_id', '=', ncId)
    .orderBy('h.id')
    .execute();
}

export async function insertCorrection(
  trx: Db,
  row: { nonconformity_id: number; description: string; done_by: number; done_on: string; recorded_by: number | null; recorded_at: string },
): Promise<number> {
  const r = await trx
    .insertInto('nc_corrections')
    .values({ ...row, organisation_id: organisationOf(trx) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export function listCorrections(db: Db, ncId: number) {
  return db
    .selectFrom('nc_corrections as c')
    .leftJoin('users as u', 'u.id', 'c.done_by')
    .select(['c.id', 'c.description', 'c.done_by', 'c.done_on', 'c.recorded_at', 'u.full_name as done_by_name'])
    .where('c.nonconformity_id', '=', ncId)
    .orderBy('c.done_on')
    .orderBy('c.id')
    .execute();
}

export async function insertVerification(
  trx: Db,
  row: { nonconformity_id: number; result: 'effective' | 'not_effective'; note: string; verified_by: number; verified_on: string; verified_at: string },
): Promise<number> {
  const r = await trx
    .insertInto('nc_verifications')
    .values({ ...row, organisation_id: organisationOf(trx) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export function listVerifications(db: Db, ncId: number) {
  return db
    .selectFrom('nc_verifications as v')
    .leftJoin('users as u', 'u.id', 'v.verified_by')
    .select(['v.id', 'v.result', 'v.note', 'v.verified_on', 'v.verified_at', 'u.full_name as verifier_name'])
    .where('v.nonconformity_id', '=', ncId)
    .orderBy('v.id')
    .execute();
}

/** Whether the user owns an action of the NC (counts for seeing it, and bars them from verifying it). */
export async function ownsActionOf(db: Db, ncId: number, userId: number): Promise<boolean> {
  const row = await db.selectFrom('nc_actions').select('id').where('nonconformity_id', '=', ncId).where('owner_id', '=', userId).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Kept here too for the dashboards, which import them from this file. */
export { countOpenBySeverity, listAwaitingVerification } from './nonconformities.dashboard.queries';

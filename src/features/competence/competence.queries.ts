import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import { sortVi } from '../../core/text/collate';
import type { AuditorCompetencesTable, TrainingKind, TrainingRecordsTable } from './competence.tables';

/** Every SQL statement of competence (ISO 9001 clause 7.2): training records and the auditors' matrix of clauses. */
export type TrainingRow = Selectable<TrainingRecordsTable> & { full_name: string };
export type GrantRow = Selectable<AuditorCompetencesTable>;

export interface TrainingFilter {
  userId?: number;
  kind?: TrainingKind;
  year?: number;
}

const records = (db: Db) =>
  db
    .selectFrom('training_records as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .selectAll('r')
    .select('u.full_name')
    .where('r.organisation_id', '=', organisationOf(db));

function filtered(db: Db, f: TrainingFilter) {
  let q = records(db);
  if (f.userId !== undefined) q = q.where('r.user_id', '=', f.userId);
  if (f.kind !== undefined) q = q.where('r.kind', '=', f.kind);
  if (f.year !== undefined) q = q.where('r.held_on', '>=', `${f.year}-01-01`).where('r.held_on', '<=', `${f.year}-12-31`);
  return q;
}

/** A page of the organisation's training records, the latest held first (cancelled ones too: they are kept). */
export function listTrainingRecords(db: Db, f: TrainingFilter, limit: number, offset: number): Promise<TrainingRow[]> {
  return filtered(db, f).orderBy('r.held_on', 'desc').orderBy('r.id', 'desc').limit(limit).offset(offset).execute();
}

export async function countTrainingRecords(db: Db, f: TrainingFilter): Promise<number> {
  const row = await filtered(db, f)
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export function findTrainingRecord(db: Db, id: number): Promise<TrainingRow | undefined> {
  return records(db).where('r.id', '=', id).executeTakeFirst();
}

export async function insertTrainingRecord(db: Db, row: Omit<Insertable<TrainingRecordsTable>, 'organisation_id'>): Promise<number> {
  const inserted = await db
    .insertInto('training_records')
    .values({ ...row, organisation_id: organisationOf(db) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

export type TrainingChanges = Pick<TrainingRecordsTable, 'user_id' | 'kind' | 'title' | 'held_on' | 'hours' | 'expires_on'> & {
  issuer: string;
  certificate_no: string;
};

/** Changes an active record at `version`; false when it changed meanwhile or is cancelled. */
export async function updateTrainingRecord(db: Db, id: number, changes: Partial<TrainingChanges>, version: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('training_records')
    .set({ ...changes, version: version + 1, updated_at: at })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('version', '=', version)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setCertificateFile(db: Db, id: number, sha256: string, name: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('training_records')
    .set((eb) => ({ certificate_sha256: sha256, certificate_name: name, version: eb('version', '+', 1), updated_at: at }))
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function cancelTrainingRow(db: Db, id: number, reason: string, version: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('training_records')
    .set({ status: 'cancelled', cancel_reason: reason, version: version + 1, updated_at: at })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('version', '=', version)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Active auditor qualifications (internal-auditor and lead-auditor courses) of the organisation's people. */
export function listQualifications(db: Db): Promise<{ id: number; user_id: number; kind: TrainingKind; held_on: string; expires_on: string | null }[]> {
  return db
    .selectFrom('training_records')
    .select(['id', 'user_id', 'kind', 'held_on', 'expires_on'])
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'active')
    .where('kind', 'in', ['internal_auditor', 'lead_auditor'])
    .orderBy('held_on')
    .orderBy('id')
    .execute();
}

/** Active training records held within a period (inclusive), in date order, with who attended. */
export function listTrainingHeld(db: Db, from: string, to: string): Promise<TrainingRow[]> {
  return records(db)
    .where('r.status', '=', 'active')
    .where('r.held_on', '>=', from)
    .where('r.held_on', '<=', to)
    .orderBy('r.held_on')
    .orderBy('r.title')
    .orderBy('r.id')
    .execute();
}

/** Grants of the organisation: standing ones only, or one person's whole history. */
export function listGrants(db: Db, opts: { userId?: number; standingOnly?: boolean } = {}): Promise<GrantRow[]> {
  let q = db.selectFrom('auditor_competences').selectAll().where('organisation_id', '=', organisationOf(db));
  if (opts.userId !== undefined) q = q.where('user_id', '=', opts.userId);
  if (opts.standingOnly) q = q.where('revoked_on', 'is', null);
  return q.orderBy('user_id').orderBy('clause').orderBy('id').execute();
}

export function findGrant(db: Db, id: number): Promise<GrantRow | undefined> {
  return db.selectFrom('auditor_competences').selectAll().where('id', '=', id).where('organisation_id', '=', organisationOf(db)).executeTakeFirst();
}

export function findStandingGrant(db: Db, userId: number, clause: string): Promise<GrantRow | undefined> {
  return db
    .selectFrom('auditor_competences')
    .selectAll()
    .where('organisation_id', '=', organisationOf(db))
    .where('user_id', '=', userId)
    .where('clause', '=', clause)
    .where('revoked_on', 'is', null)
    .executeTakeFirst();
}

export async function insertGrant(db: Db, row: Omit<Insertable<AuditorCompetencesTable>, 'organisation_id'>): Promise<number> {
  const inserted = await db
    .insertInto('auditor_competences')
    .values({ ...row, organisation_id: organisationOf(db) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

export async function revokeGrantRow(db: Db, id: number, on: string, by: number, reason: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('auditor_competences')
    .set({ revoked_on: on, revoked_by: by, revoke_reason: reason, updated_at: at })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('revoked_on', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The organisation's users for the lead auditor and team pickers, with their unit (the independence rule needs it). */
export async function listPeopleOptions(
  db: Db,
): Promise<{ id: number; full_name: string; role: string; unit_id: number | null; unit_code: string | null; active: number }[]> {
  const rows = await db
    .selectFrom('users')
    .leftJoin('units', 'units.id', 'users.unit_id')
    .select(['users.id', 'users.full_name', 'users.role', 'users.unit_id', 'units.code as unit_code', 'users.active'])
    .where('users.organisation_id', '=', organisationOf(db))
    .execute();
  return sortVi(rows, (u) => u.full_name);
}

import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { FeedbackChannel, FeedbackStatus, FeedbackTable } from './feedback.tables';

/** Every SQL statement of the feedback register (figures: feedback.figures.ts; the survey answer: feedback.survey.service.ts). */

export type FeedbackRecord = Selectable<FeedbackTable>;

/** A record with the names the pages show. */
export type FeedbackRow = FeedbackRecord & {
  procedure_code: string | null;
  procedure_title: string | null;
  unit_name: string | null;
  assignee_name: string | null;
  answered_by_name: string | null;
  creator_name: string | null;
  nc_code: string | null;
};

/** The organisation's answer days (migration 2026_12_15_1000_feedback); 10 when unset. */
const withSetting = (db: Db) => db.withTables<{ organisation: { feedback_answer_days: number } }>();

export async function findAnswerDays(db: Db): Promise<number> {
  const row = await withSetting(db).selectFrom('organisation').select('feedback_answer_days').where('id', '=', organisationOf(db)).executeTakeFirst();
  return Number(row?.feedback_answer_days ?? 10);
}

export async function updateAnswerDays(db: Db, days: number): Promise<void> {
  await withSetting(db).updateTable('organisation').set({ feedback_answer_days: days }).where('id', '=', organisationOf(db)).execute();
}

/** Takes the organisation's next number of the year; inside the creating transaction, so a rollback gives it back. */
export async function takeNextSeq(trx: Db, year: number): Promise<number> {
  const row = await trx
    .insertInto('feedback_counters')
    .values({ organisation_id: organisationOf(trx), year, last_no: 1 })
    .onConflict((oc) => oc.columns(['organisation_id', 'year']).doUpdateSet({ last_no: sql<number>`feedback_counters.last_no + 1` }))
    .returning('last_no')
    .executeTakeFirstOrThrow();
  return Number(row.last_no);
}

export async function insertFeedback(trx: Db, row: Omit<Insertable<FeedbackTable>, 'organisation_id'>): Promise<number> {
  const inserted = await trx
    .insertInto('feedback')
    .values({ ...row, organisation_id: organisationOf(trx) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/** Changes a record while it is in one of `from`; false when it is not (any more). */
export async function updateFeedback(
  trx: Db,
  id: number,
  changes: Omit<Updateable<FeedbackTable>, 'id' | 'organisation_id' | 'code' | 'created_at' | 'created_by'>,
  from: readonly FeedbackStatus[],
): Promise<boolean> {
  const result = await trx
    .updateTable('feedback')
    .set(changes)
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(trx))
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

const withNames = (db: Db) =>
  db
    .selectFrom('feedback as f')
    .leftJoin('procedures as p', 'p.id', 'f.procedure_id')
    .leftJoin('units as u', 'u.id', 'f.unit_id')
    .leftJoin('users as a', 'a.id', 'f.assignee_id')
    .leftJoin('users as ab', 'ab.id', 'f.answered_by')
    .leftJoin('users as c', 'c.id', 'f.created_by')
    .leftJoin('nonconformities as n', 'n.id', 'f.nonconformity_id')
    .selectAll('f')
    .select([
      'p.code as procedure_code',
      'p.title as procedure_title',
      'u.name as unit_name',
      'a.full_name as assignee_name',
      'ab.full_name as answered_by_name',
      'c.full_name as creator_name',
      'n.code as nc_code',
    ])
    .where('f.organisation_id', '=', organisationOf(db));

/** The record a survey answer opened, if any (one per answer). */
export function findFeedbackOfResponse(db: Db, responseId: number): Promise<FeedbackRecord | undefined> {
  return db
    .selectFrom('feedback')
    .selectAll()
    .where('organisation_id', '=', organisationOf(db))
    .where('survey_response_id', '=', responseId)
    .executeTakeFirst();
}

export function findFeedback(db: Db, id: number): Promise<FeedbackRow | undefined> {
  return withNames(db).where('f.id', '=', id).executeTakeFirst();
}

export interface FeedbackFilter {
  from?: string;
  to?: string;
  status?: FeedbackStatus;
  channel?: FeedbackChannel;
  procedureId?: number;
  /** Not answered and past the answer's deadline on this date (any date received). */
  overdueOn?: string;
  assigneeId?: number;
}

/** The register, the latest received first. */
export function listFeedback(db: Db, f: FeedbackFilter, limit = 500): Promise<FeedbackRow[]> {
  let q = withNames(db);
  if (f.overdueOn !== undefined) q = q.where('f.status', '=', 'open').where('f.answer_due_on', '<', f.overdueOn);
  else {
    if (f.from !== undefined) q = q.where('f.received_on', '>=', f.from);
    if (f.to !== undefined) q = q.where('f.received_on', '<=', f.to);
  }
  if (f.status !== undefined) q = q.where('f.status', '=', f.status);
  if (f.channel !== undefined) q = q.where('f.channel', '=', f.channel);
  if (f.procedureId !== undefined) q = q.where('f.procedure_id', '=', f.procedureId);
  if (f.assigneeId !== undefined) q = q.where('f.assignee_id', '=', f.assigneeId);
  return q.orderBy('f.received_on', 'desc').orderBy('f.id', 'desc').limit(limit).execute();
}

/** Records not answered whose answer's deadline is before `today` (the quality officer's home page). */
export async function countOverdue(db: Db, today: string): Promise<number> {
  const row = await db
    .selectFrom('feedback')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'open')
    .where('answer_due_on', '<', today)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Open records assigned to a user (their home page). */
export async function countAssignedOpen(db: Db, userId: number): Promise<number> {
  const row = await db
    .selectFrom('feedback')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'open')
    .where('assignee_id', '=', userId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** A procedure of the organisation with its unit, or undefined. */
export function findOwnProcedure(db: Db, id: number): Promise<{ id: number; unit_id: number | null } | undefined> {
  return db.selectFrom('procedures').select(['id', 'unit_id']).where('id', '=', id).where('organisation_id', '=', organisationOf(db)).executeTakeFirst();
}

/** An active unit of the organisation. */
export async function isOwnActiveUnit(db: Db, id: number): Promise<boolean> {
  const row = await db.selectFrom('units').select('active').where('id', '=', id).where('organisation_id', '=', organisationOf(db)).executeTakeFirst();
  return row?.active === 1;
}

/** An active user of the organisation who works in it (an inspector answers nothing). */
export async function isAssignable(db: Db, id: number): Promise<boolean> {
  const row = await db.selectFrom('users').select(['active', 'role']).where('id', '=', id).where('organisation_id', '=', organisationOf(db)).executeTakeFirst();
  return row?.active === 1 && row.role !== 'inspector';
}

export function listAssignees(db: Db): Promise<{ id: number; full_name: string }[]> {
  return db
    .selectFrom('users')
    .select(['id', 'full_name'])
    .where('organisation_id', '=', organisationOf(db))
    .where('active', '=', 1)
    .where('role', '!=', 'inspector')
    .orderBy('full_name')
    .execute();
}

/** The organisation's dossier with this code, if any. */
export async function findDossierIdByCode(db: Db, code: string): Promise<number | null> {
  const row = await db.selectFrom('dossiers').select('id').where('code', '=', code).where('organisation_id', '=', organisationOf(db)).executeTakeFirst();
  return row ? Number(row.id) : null;
}

/** The feedback a nonconformity was raised from (the NC page's "Nguồn"). */
export function findFeedbackOfNc(db: Db, ncId: number): Promise<{ id: number; code: string } | undefined> {
  return db
    .selectFrom('feedback')
    .select(['id', 'code'])
    .where('organisation_id', '=', organisationOf(db))
    .where('nonconformity_id', '=', ncId)
    .executeTakeFirst();
}

/** The scores of the survey answer a record was opened from, with the questions' texts, in question order. */
export function listSurveyScores(db: Db, responseId: number): Promise<{ seq: number; text_vi: string; text_en: string; score: number }[]> {
  return db
    .selectFrom('survey_scores as s')
    .innerJoin('survey_questions as q', 'q.id', 's.question_id')
    .innerJoin('survey_responses as r', 'r.id', 's.response_id')
    .select(['q.seq', 'q.text_vi', 'q.text_en', 's.score'])
    .where('s.response_id', '=', responseId)
    .where('r.organisation_id', '=', organisationOf(db))
    .orderBy('q.seq')
    .execute();
}

/** What the figures need of every record received on or before `to` (feedback.figures.ts), with the raised NC's date. */
export function listForFigures(db: Db, to: string) {
  return db
    .selectFrom('feedback as f')
    .leftJoin('nonconformities as n', 'n.id', 'f.nonconformity_id')
    .select(['f.channel', 'f.kind', 'f.status', 'f.received_on', 'f.answer_due_on', 'f.answered_on', 'n.detected_on as raised_on'])
    .where('f.organisation_id', '=', organisationOf(db))
    .where('f.received_on', '<=', to)
    .execute();
}

import type { Insertable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { SurveyResponsesTable } from './surveys.tables';

/** Every SQL statement of the answers: the public page's look-ups, storing an answer, the officer's list. */

/** An organisation that takes answers, by its code: active (not merged into a successor), not a template, set up. */
export function findSurveyOrganisation(db: Db, code: string): Promise<{ id: number; name: string; time_zone: string } | undefined> {
  return db
    .selectFrom('organisation')
    .select(['id', 'name', 'time_zone'])
    .where('code', '=', code)
    .where('status', '=', 'active')
    .where('kind', '<>', 'template')
    .where('name', '<>', '')
    .executeTakeFirst();
}

/** An active procedure of the organisation by its code, with the unit that handles it now. */
export function findSurveyProcedure(db: Db, code: string): Promise<{ id: number; code: string; title: string; unit_id: number | null } | undefined> {
  return db
    .selectFrom('procedures')
    .select(['id', 'code', 'title', 'unit_id'])
    .where('organisation_id', '=', organisationOf(db))
    .where('code', '=', code)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

/** The procedure of the organisation's dossier with this code, or undefined when it has none. */
export function findDossierProcedure(db: Db, code: string): Promise<{ procedure_id: number } | undefined> {
  return db.selectFrom('dossiers').select('procedure_id').where('organisation_id', '=', organisationOf(db)).where('code', '=', code).executeTakeFirst();
}

export async function dossierAnswered(db: Db, code: string): Promise<boolean> {
  const row = await db
    .selectFrom('survey_responses')
    .select('id')
    .where('organisation_id', '=', organisationOf(db))
    .where('dossier_code', '=', code)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertResponse(db: Db, row: Omit<Insertable<SurveyResponsesTable>, 'organisation_id'>): Promise<number> {
  const r = await db
    .insertInto('survey_responses')
    .values({ ...row, organisation_id: organisationOf(db) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function insertScores(db: Db, responseId: number, scores: ReadonlyMap<number, number>): Promise<void> {
  if (scores.size === 0) return;
  await db
    .insertInto('survey_scores')
    .values([...scores].map(([question_id, score]) => ({ response_id: responseId, question_id, score })))
    .execute();
}

export interface ResponseRow {
  id: number;
  procedure_id: number;
  procedure_code: string;
  procedure_title: string;
  unit_name: string | null;
  question_set_id: number;
  version: number;
  dossier_code: string | null;
  counter: string | null;
  comment: string | null;
  language: 'vi' | 'en';
  answered_on: string;
  status: 'counted' | 'discarded';
  discard_reason: string | null;
  discarded_at: string | null;
}

export interface ResponseFilter {
  from: string;
  to: string;
  procedureId?: number;
}

const responses = (db: Db, f: ResponseFilter) => {
  let q = db
    .selectFrom('survey_responses as r')
    .innerJoin('procedures as p', 'p.id', 'r.procedure_id')
    .innerJoin('survey_question_sets as s', 's.id', 'r.question_set_id')
    .leftJoin('units as u', 'u.id', 'r.unit_id')
    .where('r.organisation_id', '=', organisationOf(db))
    .where('r.answered_on', '>=', f.from)
    .where('r.answered_on', '<=', f.to);
  if (f.procedureId !== undefined) q = q.where('r.procedure_id', '=', f.procedureId);
  return q;
};

/** The answers of a period (and procedure), the latest first, a page at a time. */
export function listResponses(db: Db, f: ResponseFilter, limit: number, offset: number): Promise<ResponseRow[]> {
  return responses(db, f)
    .select([
      'r.id',
      'r.procedure_id',
      'p.code as procedure_code',
      'p.title as procedure_title',
      'u.name as unit_name',
      'r.question_set_id',
      's.version',
      'r.dossier_code',
      'r.counter',
      'r.comment',
      'r.language',
      'r.answered_on',
      'r.status',
      'r.discard_reason',
      'r.discarded_at',
    ])
    .orderBy('r.answered_on', 'desc')
    .orderBy('r.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function countResponses(db: Db, f: ResponseFilter): Promise<number> {
  const row = await responses(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The scores of some answers, with their question's place and criterion. */
export function listScoresOf(db: Db, responseIds: number[]): Promise<{ response_id: number; seq: number; criterion: string; score: number }[]> {
  if (responseIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('survey_scores as sc')
    .innerJoin('survey_questions as q', 'q.id', 'sc.question_id')
    .select(['sc.response_id', 'q.seq', 'q.criterion', 'sc.score'])
    .where('sc.response_id', 'in', responseIds)
    .orderBy('sc.response_id')
    .orderBy('q.seq')
    .execute();
}

export function findResponse(db: Db, id: number): Promise<{ id: number; status: string; dossier_code: string | null } | undefined> {
  return db
    .selectFrom('survey_responses')
    .select(['id', 'status', 'dossier_code'])
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .executeTakeFirst();
}

/** Discards a counted answer; false when it was already discarded. */
export async function discardResponseRow(db: Db, id: number, reason: string, at: string, by: number): Promise<boolean> {
  const r = await db
    .updateTable('survey_responses')
    .set({ status: 'discarded', discard_reason: reason, discarded_at: at, discarded_by: by })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'counted')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

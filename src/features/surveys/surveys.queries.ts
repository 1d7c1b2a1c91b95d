import { sql, type Selectable } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { TriageSettings } from './surveys.model';
import type { SurveyCriterion, SurveyQuestionSetsTable, SurveyQuestionsTable } from './surveys.tables';

/** Every SQL statement of the question sets and the organisation's triage settings. */

export type QuestionSetRow = Selectable<SurveyQuestionSetsTable>;
export type QuestionRow = Selectable<SurveyQuestionsTable>;

/** organisation.survey_low_score and survey_comment_feedback are the surveys feature's columns (migration 2026_12_15_0900_surveys). */
const withTriage = (db: Db) => db.withTables<{ organisation: { survey_low_score: number; survey_comment_feedback: number } }>();

export async function findTriageSettings(db: Db): Promise<TriageSettings> {
  const row = await withTriage(db)
    .selectFrom('organisation')
    .select(['survey_low_score', 'survey_comment_feedback'])
    .where('id', '=', organisationOf(db))
    .executeTakeFirst();
  return { lowScore: Number(row?.survey_low_score ?? 0), commentFeedback: Number(row?.survey_comment_feedback ?? 0) === 1 };
}

export async function updateTriageSettings(db: Db, s: TriageSettings): Promise<void> {
  await withTriage(db)
    .updateTable('organisation')
    .set({ survey_low_score: s.lowScore, survey_comment_feedback: s.commentFeedback ? 1 : 0 })
    .where('id', '=', organisationOf(db))
    .execute();
}

/** Every version of the organisation's set, the latest first, with the number of answers given on each (discarded ones aside). */
export function listSets(db: Db): Promise<(QuestionSetRow & { questions: number; answers: number })[]> {
  return db
    .selectFrom('survey_question_sets as s')
    .selectAll('s')
    .select([
      sql<number>`(select count(*) from survey_questions q where q.question_set_id = s.id)`.as('questions'),
      sql<number>`(select count(*) from survey_responses r where r.question_set_id = s.id and r.status = 'counted')`.as('answers'),
    ])
    .where('s.organisation_id', '=', organisationOf(db))
    .orderBy('s.version', 'desc')
    .execute();
}

export function findSet(db: Db, id: number): Promise<QuestionSetRow | undefined> {
  return db.selectFrom('survey_question_sets').selectAll().where('id', '=', id).where('organisation_id', '=', organisationOf(db)).executeTakeFirst();
}

export function findSetByStatus(db: Db, status: 'active' | 'draft'): Promise<QuestionSetRow | undefined> {
  return db
    .selectFrom('survey_question_sets')
    .selectAll()
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', status)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function countSets(db: Db): Promise<number> {
  const row = await db
    .selectFrom('survey_question_sets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisationOf(db))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function nextVersion(db: Db): Promise<number> {
  const row = await db
    .selectFrom('survey_question_sets')
    .select((eb) => eb.fn.max<number>('version').as('v'))
    .where('organisation_id', '=', organisationOf(db))
    .executeTakeFirst();
  return Number(row?.v ?? 0) + 1;
}

export async function insertSet(db: Db, version: number, by: number | null, at: string): Promise<number> {
  const row = await db
    .insertInto('survey_question_sets')
    .values({ organisation_id: organisationOf(db), version, created_by: by, created_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Retires the organisation's active set (if any); its id, or undefined. */
export async function retireActiveSet(db: Db, at: string): Promise<number | undefined> {
  const active = await findSetByStatus(db, 'active');
  if (!active) return undefined;
  await db.updateTable('survey_question_sets').set({ status: 'retired', retired_at: at }).where('id', '=', active.id).execute();
  return active.id;
}

/** Activates a draft; false when it is no longer a draft. */
export async function activateDraft(db: Db, id: number, by: number | null, at: string): Promise<boolean> {
  const r = await db
    .updateTable('survey_question_sets')
    .set({ status: 'active', activated_at: at, activated_by: by })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationOf(db))
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The questions of a set of the organisation, in order. */
export function listQuestions(db: Db, setId: number): Promise<QuestionRow[]> {
  return db
    .selectFrom('survey_questions as q')
    .innerJoin('survey_question_sets as s', 's.id', 'q.question_set_id')
    .selectAll('q')
    .where('q.question_set_id', '=', setId)
    .where('s.organisation_id', '=', organisationOf(db))
    .orderBy('q.seq')
    .execute();
}

export interface QuestionValues {
  criterion: SurveyCriterion;
  text_vi: string;
  text_en: string;
}

/** Adds a question at the end of a set (the set is the caller's, checked as a draft). */
export async function insertQuestion(db: Db, setId: number, v: QuestionValues): Promise<number> {
  const last = await db
    .selectFrom('survey_questions')
    .select((eb) => eb.fn.max<number>('seq').as('seq'))
    .where('question_set_id', '=', setId)
    .executeTakeFirst();
  const row = await db
    .insertInto('survey_questions')
    .values({ question_set_id: setId, seq: Number(last?.seq ?? 0) + 1, ...v })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function updateQuestion(db: Db, id: number, v: QuestionValues): Promise<void> {
  await db.updateTable('survey_questions').set(v).where('id', '=', id).execute();
}

/** Removes a question and closes the gap in the order. */
export async function deleteQuestion(db: Db, q: QuestionRow): Promise<void> {
  await db.deleteFrom('survey_questions').where('id', '=', q.id).execute();
  const after = await db
    .selectFrom('survey_questions')
    .select(['id', 'seq'])
    .where('question_set_id', '=', q.question_set_id)
    .where('seq', '>', q.seq)
    .orderBy('seq')
    .execute();
  for (const a of after)
    await db
      .updateTable('survey_questions')
      .set({ seq: a.seq - 1 })
      .where('id', '=', a.id)
      .execute();
}

/** Swaps the places of two questions of a set (through a free place, the order being unique). */
export async function swapQuestions(db: Db, a: QuestionRow, b: QuestionRow): Promise<void> {
  const last = await db
    .selectFrom('survey_questions')
    .select((eb) => eb.fn.max<number>('seq').as('seq'))
    .where('question_set_id', '=', a.question_set_id)
    .executeTakeFirst();
  await db
    .updateTable('survey_questions')
    .set({ seq: Number(last?.seq ?? 0) + 1 })
    .where('id', '=', a.id)
    .execute();
  await db.updateTable('survey_questions').set({ seq: a.seq }).where('id', '=', b.id).execute();
  await db.updateTable('survey_questions').set({ seq: b.seq }).where('id', '=', a.id).execute();
}

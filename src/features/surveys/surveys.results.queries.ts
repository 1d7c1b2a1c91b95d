import { sql } from 'kysely';
import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { SurveyCriterion } from './surveys.tables';

/**
 * The SQL of the survey results (definitions: surveys.figures.ts). Every statement counts in the database and answers
 * sums and counts per group, never score rows: a year of a province's answers stays a few hundred rows at most.
 * Every statement reads the organisation's counted answers of the filter only.
 */
export interface SurveyFilter {
  from: string;
  to: string;
  procedureId?: number;
  unitId?: number;
}

/** Sums of scores: how many given, their total, how many of 4 or 5 (satisfied), how many at or below the low score. */
export interface ScoreSums {
  scores: number;
  total: number;
  satisfied: number;
}

const n = (v: unknown): number => Number(v ?? 0);

/** The counted answers of the filter, as `r`. */
function answers(db: Db, f: SurveyFilter) {
  let q = db
    .selectFrom('survey_responses as r')
    .where('r.organisation_id', '=', organisationOf(db))
    .where('r.status', '=', 'counted')
    .where('r.answered_on', '>=', f.from)
    .where('r.answered_on', '<=', f.to);
  if (f.procedureId !== undefined) q = q.where('r.procedure_id', '=', f.procedureId);
  if (f.unitId !== undefined) q = q.where('r.unit_id', '=', f.unitId);
  return q;
}

/** The answers' scores, with their questions, as `s` and `q`. */
const scored = (db: Db, f: SurveyFilter) =>
  answers(db, f).innerJoin('survey_scores as s', 's.response_id', 'r.id').innerJoin('survey_questions as q', 'q.id', 's.question_id');

const SUMS = [
  sql<number>`count(s.score)`.as('scores'),
  sql<number>`coalesce(sum(s.score), 0)`.as('total'),
  sql<number>`coalesce(sum(case when s.score >= 4 then 1 else 0 end), 0)`.as('satisfied'),
] as const;
const sums = (r: { scores: unknown; total: unknown; satisfied: unknown }): ScoreSums => ({
  scores: n(r.scores),
  total: n(r.total),
  satisfied: n(r.satisfied),
});

/** Answers, those with a comment (not blank), those tied to a dossier code. */
export async function countAnswers(db: Db, f: SurveyFilter): Promise<{ responses: number; withComment: number; withDossier: number }> {
  const r = await answers(db, f)
    .select([
      sql<number>`count(*)`.as('responses'),
      sql<number>`coalesce(sum(case when r.comment is not null and trim(r.comment) <> '' then 1 else 0 end), 0)`.as('with_comment'),
      sql<number>`coalesce(sum(case when r.dossier_code is not null then 1 else 0 end), 0)`.as('with_dossier'),
    ])
    .executeTakeFirstOrThrow();
  return { responses: n(r.responses), withComment: n(r.with_comment), withDossier: n(r.with_dossier) };
}

/** Answers with at least one score at or below `low` (none when `low` is 0). */
export async function countLowAnswers(db: Db, f: SurveyFilter, low: number): Promise<number> {
  if (low <= 0) return 0;
  const r = await answers(db, f)
    .innerJoin('survey_scores as s', 's.response_id', 'r.id')
    .where('s.score', '<=', low)
    .select(sql<number>`count(distinct r.id)`.as('c'))
    .executeTakeFirstOrThrow();
  return n(r.c);
}

/** The organisation's low score (organisation.survey_low_score; 0: none). */
export async function lowScoreOf(db: Db): Promise<number> {
  const r = await db
    .selectFrom('organisation as o')
    .select(sql<number>`o.survey_low_score`.as('low'))
    .where('o.id', '=', organisationOf(db))
    .executeTakeFirst();
  return n(r?.low);
}

/** Score sums per criterion. */
export async function sumsByCriterion(db: Db, f: SurveyFilter): Promise<Map<SurveyCriterion, ScoreSums>> {
  const rows = await scored(db, f)
    .select(['q.criterion', ...SUMS])
    .groupBy('q.criterion')
    .execute();
  return new Map(rows.map((r) => [r.criterion, sums(r)]));
}

/** Score sums per question (keyed by question id). */
export async function sumsByQuestion(db: Db, f: SurveyFilter): Promise<Map<number, ScoreSums>> {
  const rows = await scored(db, f)
    .select(['q.id', ...SUMS])
    .groupBy('q.id')
    .execute();
  return new Map(rows.map((r) => [Number(r.id), sums(r)]));
}

/** The question sets the filter's answers were given on, with the answers on each, in version order. */
export async function setsUsed(db: Db, f: SurveyFilter): Promise<{ id: number; version: number; status: string; responses: number }[]> {
  const rows = await answers(db, f)
    .innerJoin('survey_question_sets as qs', 'qs.id', 'r.question_set_id')
    .select(['qs.id', 'qs.version', 'qs.status', sql<number>`count(*)`.as('responses')])
    .groupBy(['qs.id', 'qs.version', 'qs.status'])
    .orderBy('qs.version')
    .execute();
  return rows.map((r) => ({ id: Number(r.id), version: Number(r.version), status: r.status, responses: n(r.responses) }));
}

export interface QuestionRow {
  id: number;
  question_set_id: number;
  seq: number;
  criterion: SurveyCriterion;
  text_vi: string;
  text_en: string;
}

/** The questions of the sets given, in order. */
export async function questionsOf(db: Db, setIds: readonly number[]): Promise<QuestionRow[]> {
  if (setIds.length === 0) return [];
  const rows = await db
    .selectFrom('survey_questions')
    .select(['id', 'question_set_id', 'seq', 'criterion', 'text_vi', 'text_en'])
    .where('question_set_id', 'in', setIds)
    .orderBy('question_set_id')
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), question_set_id: Number(r.question_set_id), seq: Number(r.seq) }));
}

export type GroupKey = 'procedure' | 'unit' | 'month';

/** The SQL of a group: the answer's procedure, the unit recorded with the answer (none: -1), the answer's month. */
const groupExpr = (by: GroupKey) =>
  by === 'procedure' ? sql<string>`r.procedure_id` : by === 'unit' ? sql<string>`coalesce(r.unit_id, -1)` : sql<string>`substr(r.answered_on, 1, 7)`;

/** Answers per group. */
export async function answersBy(db: Db, f: SurveyFilter, by: GroupKey): Promise<Map<string, number>> {
  const g = groupExpr(by);
  const rows = await answers(db, f)
    .select([g.as('g'), sql<number>`count(*)`.as('responses')])
    .groupBy(g)
    .execute();
  return new Map(rows.map((r) => [String(r.g), n(r.responses)]));
}

/** Score sums per group and criterion. */
export async function sumsBy(db: Db, f: SurveyFilter, by: GroupKey): Promise<{ g: string; criterion: SurveyCriterion; sums: ScoreSums }[]> {
  const g = groupExpr(by);
  const rows = await scored(db, f)
    .select([g.as('g'), 'q.criterion', ...SUMS])
    .groupBy([g, 'q.criterion'])
    .execute();
  return rows.map((r) => ({ g: String(r.g), criterion: r.criterion, sums: sums(r) }));
}

/** Names of procedures and units by id (the organisation's). */
export async function namesOf(db: Db, procedureIds: number[], unitIds: number[]) {
  const org = organisationOf(db);
  const [procedures, units] = await Promise.all([
    procedureIds.length === 0
      ? []
      : db.selectFrom('procedures').select(['id', 'code', 'title', 'unit_id']).where('organisation_id', '=', org).where('id', 'in', procedureIds).execute(),
    unitIds.length === 0 ? [] : db.selectFrom('units').select(['id', 'code', 'name']).where('organisation_id', '=', org).where('id', 'in', unitIds).execute(),
  ]);
  return {
    procedures: new Map(procedures.map((p) => [Number(p.id), p])),
    units: new Map(units.map((u) => [Number(u.id), u])),
  };
}

export interface CommentRow {
  id: number;
  answered_on: string;
  comment: string;
  procedure_code: string;
  unit_name: string | null;
  dossier_code: string | null;
}

/** The latest comments of the filter (not blank), the newest first. */
export async function latestComments(db: Db, f: SurveyFilter, limit: number): Promise<CommentRow[]> {
  const rows = await answers(db, f)
    .innerJoin('procedures as p', 'p.id', 'r.procedure_id')
    .leftJoin('units as u', 'u.id', 'r.unit_id')
    .select(['r.id', 'r.answered_on', 'r.comment', 'p.code as procedure_code', 'u.name as unit_name', 'r.dossier_code'])
    .where(sql<boolean>`r.comment is not null and trim(r.comment) <> ''`)
    .orderBy('r.answered_on', 'desc')
    .orderBy('r.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), comment: r.comment ?? '' }));
}

/** The filter's choices: every procedure of the organisation (retired ones keep their answers) and every unit. */
export async function filterOptions(db: Db) {
  const org = organisationOf(db);
  const [procedures, units] = await Promise.all([
    db.selectFrom('procedures').select(['id', 'code', 'title']).where('organisation_id', '=', org).orderBy('code').execute(),
    db.selectFrom('units').select(['id', 'code', 'name']).where('organisation_id', '=', org).orderBy('code').execute(),
  ]);
  return { procedures: procedures.map((p) => ({ ...p, id: Number(p.id) })), units: units.map((u) => ({ ...u, id: Number(u.id) })) };
}

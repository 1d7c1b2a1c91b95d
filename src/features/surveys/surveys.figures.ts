import type { Db } from '../../core/db/database';
import { SURVEY_CRITERIA, type SurveyCriterion } from './surveys.tables';
import {
  answersBy,
  countAnswers,
  countLowAnswers,
  lowScoreOf,
  namesOf,
  questionsOf,
  setsUsed,
  sumsBy,
  sumsByCriterion,
  sumsByQuestion,
  type ScoreSums,
  type SurveyFilter,
} from './surveys.results.queries';

/**
 * The satisfaction survey figures (issue 24, clause 9.1.2) — the definition users read, also in the README's "How the
 * reports count".
 *
 * Counted: the organisation's answers with status 'counted' (a discarded answer counts nowhere) given within the
 * period — `answered_on` (the local date of the answer) from `from` to `to`, both days included — and, when asked, of
 * one procedure (the answer's procedure) or one unit (the unit recorded with the answer, the one that handled the
 * procedure when it was answered: moving a procedure to another unit later does not move its answers).
 * - responses: the answers counted; withComment: those with a comment that is not blank; withDossier: those tied to a
 *   dossier code.
 * - a score is one question's answer, 1 to 5 (a question left unanswered gives none); scores: how many were given.
 *   A score of 4 or 5 is "satisfied" (as the SIPAS survey counts "hài lòng" and "rất hài lòng").
 * - index (the satisfaction index) = satisfied scores ÷ all scores given × 100, in percent rounded to 2 decimals;
 *   null ("no data") when no score was given — never 0 % or 100 %.
 * - average = the sum of the scores ÷ their number, rounded to 2 decimals (half up); satisfiedShare = the index of
 *   those scores; both null without scores.
 * - per criterion: the scores of every question on that criterion, whatever the question set; per question: the
 *   scores of that question, grouped by the version of the question set the answers were given on (every set used by
 *   an answer of the period, in version order, with its answers).
 * - lowScoreResponses: answers with at least one score at or below the organisation's low score (its setting, when
 *   above 0); lowScoreShare = lowScoreResponses ÷ responses × 100 (2 decimals); null without answers or when the
 *   setting is 0.
 * - byProcedure, byUnit, byMonth: the same responses, scores, index and per-criterion averages for the answers of each
 *   procedure, of each unit recorded with the answers (answers recorded without a unit together, unitId null), and of
 *   each calendar month of the period (every month, none left out: a month without answers has responses 0 and
 *   index null).
 */
export interface ScoreFigures {
  scores: number;
  satisfied: number;
  average: number | null;
  /** Percent, 2 decimals; null without scores. */
  index: number | null;
}

export interface CriterionFigures extends ScoreFigures {
  criterion: SurveyCriterion;
}

export interface QuestionFigures extends ScoreFigures {
  questionId: number;
  seq: number;
  criterion: SurveyCriterion;
  textVi: string;
  textEn: string;
}

export interface GroupFigures extends ScoreFigures {
  responses: number;
  /** The average per criterion (null: no score on it). */
  averages: Record<SurveyCriterion, number | null>;
}

export interface SurveyFigures extends ScoreFigures {
  from: string;
  to: string;
  responses: number;
  withComment: number;
  withDossier: number;
  lowScore: number;
  lowScoreResponses: number;
  lowScoreShare: number | null;
  criteria: CriterionFigures[];
  sets: { questionSetId: number; version: number; status: string; responses: number; questions: QuestionFigures[] }[];
  byProcedure: (GroupFigures & { procedureId: number; code: string; title: string })[];
  byUnit: (GroupFigures & { unitId: number | null; code: string; name: string })[];
  byMonth: (GroupFigures & { month: string })[];
}

/** a ÷ b × 100 (or ÷ b when `scale` is 1), rounded half up to 2 decimals; null when b is 0. */
export function ratio2(a: number, b: number, scale = 100): number | null {
  if (b === 0) return null;
  return Math.round((a * scale * 100) / b) / 100;
}

const EMPTY: ScoreSums = { scores: 0, total: 0, satisfied: 0 };

export function scoreFigures(s: ScoreSums = EMPTY): ScoreFigures {
  return { scores: s.scores, satisfied: s.satisfied, average: ratio2(s.total, s.scores, 1), index: ratio2(s.satisfied, s.scores) };
}

function addSums(a: ScoreSums, b: ScoreSums): ScoreSums {
  return { scores: a.scores + b.scores, total: a.total + b.total, satisfied: a.satisfied + b.satisfied };
}

/** Groups' responses and per-criterion sums → each group's figures (keys of `responses` and of the sums). */
function groupFigures(responses: Map<string, number>, rows: Awaited<ReturnType<typeof sumsBy>>): Map<string, GroupFigures> {
  const keys = new Set([...responses.keys(), ...rows.map((r) => r.g)]);
  const out = new Map<string, GroupFigures>();
  for (const key of keys) {
    const mine = rows.filter((r) => r.g === key);
    const all = mine.reduce((acc, r) => addSums(acc, r.sums), EMPTY);
    const averages = Object.fromEntries(SURVEY_CRITERIA.map((c) => [c, scoreFigures(mine.find((r) => r.criterion === c)?.sums).average])) as Record<
      SurveyCriterion,
      number | null
    >;
    out.set(key, { responses: responses.get(key) ?? 0, ...scoreFigures(all), averages });
  }
  return out;
}

const emptyGroup = (): GroupFigures => ({
  responses: 0,
  ...scoreFigures(),
  averages: Object.fromEntries(SURVEY_CRITERIA.map((c) => [c, null])) as Record<SurveyCriterion, number | null>,
});

/** The months of [from, to] as YYYY-MM. */
export function monthKeys(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  for (;;) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    if (key > to.slice(0, 7)) return out;
    out.push(key);
    if (++m > 12) [y, m] = [y + 1, 1];
  }
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The figures of a filter, as defined above. */
export async function surveyFigures(db: Db, f: SurveyFilter): Promise<SurveyFigures> {
  const [counts, low, criteria, questions, sets, pResp, pSums, uResp, uSums, mResp, mSums] = await Promise.all([
    countAnswers(db, f),
    lowScoreOf(db),
    sumsByCriterion(db, f),
    sumsByQuestion(db, f),
    setsUsed(db, f),
    answersBy(db, f, 'procedure'),
    sumsBy(db, f, 'procedure'),
    answersBy(db, f, 'unit'),
    sumsBy(db, f, 'unit'),
    answersBy(db, f, 'month'),
    sumsBy(db, f, 'month'),
  ]);
  const lowScoreResponses = await countLowAnswers(db, f, low);
  const total = [...criteria.values()].reduce(addSums, EMPTY);
  const questionRows = await questionsOf(
    db,
    sets.map((s) => s.id),
  );
  const procedures = groupFigures(pResp, pSums);
  const units = groupFigures(uResp, uSums);
  const months = groupFigures(mResp, mSums);
  const names = await namesOf(
    db,
    [...procedures.keys()].map(Number),
    [...units.keys()].map(Number).filter((id) => id > 0),
  );
  return {
    from: f.from,
    to: f.to,
    ...counts,
    ...scoreFigures(total),
    lowScore: low,
    lowScoreResponses,
    lowScoreShare: low > 0 ? ratio2(lowScoreResponses, counts.responses) : null,
    criteria: SURVEY_CRITERIA.map((criterion) => ({ criterion, ...scoreFigures(criteria.get(criterion)) })),
    sets: sets.map((s) => ({
      questionSetId: s.id,
      version: s.version,
      status: s.status,
      responses: s.responses,
      questions: questionRows
        .filter((q) => q.question_set_id === s.id)
        .map((q) => ({ questionId: q.id, seq: q.seq, criterion: q.criterion, textVi: q.text_vi, textEn: q.text_en, ...scoreFigures(questions.get(q.id)) })),
    })),
    byProcedure: [...procedures]
      .map(([id, g]) => {
        const p = names.procedures.get(Number(id));
        return { procedureId: Number(id), code: p?.code ?? '', title: p?.title ?? '', ...g };
      })
      .sort((a, b) => byText(a.code, b.code)),
    byUnit: [...units]
      .map(([id, g]) => {
        const u = Number(id) > 0 ? names.units.get(Number(id)) : undefined;
        return { unitId: Number(id) > 0 ? Number(id) : null, code: u?.code ?? '', name: u?.name ?? '', ...g };
      })
      // units by code, answers without a unit last
      .sort((a, b) => (a.unitId === null ? 1 : b.unitId === null ? -1 : byText(a.code, b.code))),
    byMonth: monthKeys(f.from, f.to).map((month) => ({ month, ...(months.get(month) ?? emptyGroup()) })),
  };
}

/** The procedures with the lowest index (those with scores), lowest first, then by code; at most `limit`. */
export function lowestProcedures(f: SurveyFigures, limit: number): SurveyFigures['byProcedure'] {
  return f.byProcedure
    .filter((p) => p.index !== null)
    .sort((a, b) => a.index! - b.index! || byText(a.code, b.code))
    .slice(0, limit);
}

/** What the reports carry (compliance report, annual report, management review): responses, index, per criterion. */
export interface SurveySummary extends ScoreFigures {
  responses: number;
  withComment: number;
  /** Criteria with at least one score, in the criteria's order. */
  criteria: CriterionFigures[];
}

/** The summary of a filter (a subset of surveyFigures, the same definitions), in two statements. */
export async function surveySummary(db: Db, f: SurveyFilter): Promise<SurveySummary> {
  const [counts, criteria] = await Promise.all([countAnswers(db, f), sumsByCriterion(db, f)]);
  return {
    responses: counts.responses,
    withComment: counts.withComment,
    ...scoreFigures([...criteria.values()].reduce(addSums, EMPTY)),
    criteria: SURVEY_CRITERIA.filter((c) => criteria.has(c)).map((criterion) => ({ criterion, ...scoreFigures(criteria.get(criterion)) })),
  };
}

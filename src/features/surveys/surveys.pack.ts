import type { Db } from '../../core/db/database';
import type { SatisfactionFigures } from '../reports/reports.satisfaction';
import { lowestProcedures, surveyFigures } from './surveys.figures';

/**
 * The management review's input "satisfaction of citizens and organisations" (clause 9.3.2 b): the survey answers of
 * the review's period to its as-of date (surveys.figures.ts) — counted, the index, the average, per criterion — and
 * the procedures with the lowest index. Kept in the pack as `satisfaction.survey`, beside the leaders' assessment
 * (feedback and complaints figures have their own sub-object); frozen with the pack when the minutes are signed.
 */
export const LOWEST_PROCEDURES = 3;

export interface SurveyPackFigures extends SatisfactionFigures {
  /** At most LOWEST_PROCEDURES procedures with scores, the lowest index first (then by code). */
  lowest: { code: string; title: string; responses: number; scores: number; index: number | null; average: number | null }[];
}

export async function surveyPack(db: Db, from: string, to: string): Promise<SurveyPackFigures> {
  const f = await surveyFigures(db, { from, to });
  return {
    responses: f.responses,
    withComment: f.withComment,
    scores: f.scores,
    satisfied: f.satisfied,
    average: f.average,
    index: f.index,
    criteria: f.criteria.filter((c) => c.scores > 0),
    lowest: lowestProcedures(f, LOWEST_PROCEDURES).map((p) => ({
      code: p.code,
      title: p.title,
      responses: p.responses,
      scores: p.scores,
      index: p.index,
      average: p.average,
    })),
  };
}

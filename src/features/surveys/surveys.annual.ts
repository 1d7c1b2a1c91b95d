import type { Db } from '../../core/db/database';
import type { Period } from '../reports/reports.periods';
import type { SatisfactionFigures } from '../reports/reports.satisfaction';
import { surveySummary } from './surveys.figures';

/**
 * The surveys' part of the reports (wired in src/features/hooks.ts, so that reports imports nothing of surveys): the
 * annual report's section "Sự hài lòng…" gets the year's answers — counted, the index, the average, per criterion
 * (surveys.figures.ts) — frozen with the report's other figures when it is issued; the compliance report per procedure
 * gets the procedure's answers of its period.
 */
export async function annualSatisfaction(db: Db, _year: number, period: Period): Promise<{ satisfaction: SatisfactionFigures }> {
  return { satisfaction: await surveySummary(db, { from: period.from, to: period.to }) };
}

export function procedureSatisfactionFigures(db: Db, procedureId: number, from: string, to: string): Promise<SatisfactionFigures> {
  return surveySummary(db, { from, to, procedureId });
}

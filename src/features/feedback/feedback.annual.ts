import type { Db } from '../../core/db/database';
import type { AnnualFeedback } from '../reports/reports.annual.sections';
import type { Period } from '../reports/reports.periods';
import { feedbackFigures } from './feedback.figures';

/**
 * The annual report's feedback figures, in its satisfaction section (wired in src/features/hooks.ts): the register's
 * figures (feedback.figures.ts) for the report's period, as of its end or today when that is earlier.
 */
export async function annualFeedback(db: Db, _year: number, period: Period, today: string): Promise<{ feedback: AnnualFeedback }> {
  return { feedback: await feedbackFigures(db, period.from, period.to, period.to > today ? today : period.to) };
}

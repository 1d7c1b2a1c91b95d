import type { Db } from '../../core/db/database';
import type { AnnualRisks } from '../reports/reports.annual.sections';
import type { Period } from '../reports/reports.periods';
import { riskFigures } from './risks.figures';
import { countRiskActivity, listRisks } from './risks.queries';

/**
 * The annual report's section on risks and opportunities (wired in src/features/hooks.ts): what was done in the
 * period (risks.queries.ts countRiskActivity) and the register as it stands (risks.figures.ts riskFigures).
 */
export async function annualRisks(db: Db, _year: number, period: Period, today: string): Promise<{ risks: AnnualRisks }> {
  const [rows, activity] = await Promise.all([listRisks(db), countRiskActivity(db, period.from, period.to)]);
  const f = riskFigures(rows, today);
  return {
    risks: { ...activity, openRisks: f.openRisks, openOpportunities: f.openOpportunities, withoutTreatment: f.withoutTreatment, highResidual: f.highResidual },
  };
}

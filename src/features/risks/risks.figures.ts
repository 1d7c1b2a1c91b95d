import { HIGH_LEVELS, levelOf, SCORES, type RiskKind, type RiskLevel, type RiskStatus, type Treatment } from './risks.model';

/**
 * The register's figures and heat maps, computed from its rows (pure: the known-answer tests give rows and check
 * the figures). Only open entries count; closed ones are history.
 * - withoutTreatment: open risks (not opportunities) with no treatment chosen yet;
 * - highResidual: open risks whose residual level, judged at their latest review, is high or very high (a risk not
 *   yet reviewed has no residual level and is not counted here: it shows in highInherent);
 * - highInherent: open risks whose level before treatment is high or very high;
 * - reviewsOverdue: open risks and opportunities whose next review date is before today.
 */
export interface FigureRow {
  kind: RiskKind;
  status: RiskStatus;
  level: RiskLevel;
  residual_level: RiskLevel | null;
  treatment: Treatment | null;
  review_due: string;
}

export interface RiskFigures {
  openRisks: number;
  openOpportunities: number;
  withoutTreatment: number;
  highInherent: number;
  highResidual: number;
  reviewsOverdue: number;
}

export function riskFigures(rows: readonly FigureRow[], today: string): RiskFigures {
  const open = rows.filter((r) => r.status === 'open');
  const risks = open.filter((r) => r.kind === 'risk');
  return {
    openRisks: risks.length,
    openOpportunities: open.length - risks.length,
    withoutTreatment: risks.filter((r) => r.treatment === null).length,
    highInherent: risks.filter((r) => HIGH_LEVELS.includes(r.level)).length,
    highResidual: risks.filter((r) => r.residual_level !== null && HIGH_LEVELS.includes(r.residual_level)).length,
    reviewsOverdue: open.filter((r) => r.review_due < today).length,
  };
}

export interface HeatCell {
  likelihood: number;
  impact: number;
  level: RiskLevel;
  count: number;
}

/** Rows of the heat map, likelihood 5 at the top down to 1, impact 1 … 5 left to right, with the count in each cell. */
export type HeatMap = { likelihood: number; cells: HeatCell[] }[];

export interface ScoreRow {
  status: RiskStatus;
  likelihood: number;
  impact: number;
  residual_likelihood: number | null;
  residual_impact: number | null;
}

/** The open entries by likelihood and impact: before treatment ('inherent') or as judged at the latest review ('residual'). */
export function heatMap(rows: readonly ScoreRow[], matrix: string, which: 'inherent' | 'residual'): HeatMap {
  const counts = new Map<string, number>();
  for (const r of rows) {
    if (r.status !== 'open') continue;
    const l = which === 'inherent' ? r.likelihood : r.residual_likelihood;
    const i = which === 'inherent' ? r.impact : r.residual_impact;
    if (l === null || i === null) continue;
    counts.set(`${l}:${i}`, (counts.get(`${l}:${i}`) ?? 0) + 1);
  }
  return [...SCORES].reverse().map((likelihood) => ({
    likelihood,
    cells: SCORES.map((impact) => ({ likelihood, impact, level: levelOf(matrix, likelihood, impact), count: counts.get(`${likelihood}:${impact}`) ?? 0 })),
  }));
}

/** Risks and opportunities (ISO 9001:2015 clause 6.1): their kinds, treatments, levels and the default matrix. */
export const RISK_KINDS = ['risk', 'opportunity'] as const;
export type RiskKind = (typeof RISK_KINDS)[number];

/** What is done about a risk (accept it, reduce, avoid or transfer it) or an opportunity (pursue it, or accept: not now). */
export const TREATMENTS = ['accept', 'reduce', 'avoid', 'transfer', 'pursue'] as const;
export type Treatment = (typeof TREATMENTS)[number];
export const TREATMENTS_OF: Record<RiskKind, readonly Treatment[]> = {
  risk: ['accept', 'reduce', 'avoid', 'transfer'],
  opportunity: ['pursue', 'accept'],
};

export const RISK_LEVELS = ['low', 'medium', 'high', 'very_high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
/** The levels counted as high (the "high residual risks" figure, the red cells of the heat map). */
export const HIGH_LEVELS: readonly RiskLevel[] = ['high', 'very_high'];

export const EFFECTIVENESS = ['effective', 'partly_effective', 'not_effective', 'too_early'] as const;
export type Effectiveness = (typeof EFFECTIVENESS)[number];

export const RISK_STATUSES = ['open', 'closed'] as const;
export type RiskStatus = (typeof RISK_STATUSES)[number];

export const SCORES = [1, 2, 3, 4, 5] as const;

/**
 * The level of each cell of the 5 × 5 matrix, likelihood 1–5 (rows) by impact 1–5 (columns), as 25 digits 1–4
 * (low, medium, high, very high). The default follows the product likelihood × impact: 1–4 low, 5–9 medium,
 * 10–14 high, 15–25 very high. An organisation may set its own (organisation.risk_matrix).
 */
export const DEFAULT_MATRIX = [1, 2, 3, 4, 5]
  .flatMap((l) => [1, 2, 3, 4, 5].map((i) => l * i))
  .map((p) => (p <= 4 ? 1 : p <= 9 ? 2 : p <= 14 ? 3 : 4))
  .join('');

export const isMatrix = (value: unknown): value is string => typeof value === 'string' && /^[1-4]{25}$/.test(value);

/** The level of likelihood × impact in a matrix (25 digits). */
export function levelOf(matrix: string, likelihood: number, impact: number): RiskLevel {
  if (!isMatrix(matrix) || !Number.isInteger(likelihood) || !Number.isInteger(impact) || likelihood < 1 || likelihood > 5 || impact < 1 || impact > 5)
    throw new RangeError(`no level for ${likelihood} × ${impact}`);
  return RISK_LEVELS[Number(matrix[(likelihood - 1) * 5 + (impact - 1)]) - 1];
}

/** The badge of a level, as the app's colours say it (green, amber, red). */
export function levelBadge(level: RiskLevel | null): string {
  switch (level) {
    case 'low':
      return 'badge-ok';
    case 'medium':
      return 'badge-warn';
    case 'high':
    case 'very_high':
      return 'badge-bad';
    default:
      return 'badge-muted';
  }
}

import type { Generated } from 'kysely';
import type { Effectiveness, RiskKind, RiskLevel, RiskStatus, Treatment } from './risks.model';

/** The register of risks and opportunities (migration 2026_12_13_0900_risks), added to the Database type in src/features/tables.ts. */
export interface RisksTable {
  id: Generated<number>;
  organisation_id: number;
  /** … within the organisation, in the order entered. */
  code: string;
  kind: RiskKind;
  /** The procedure it concerns, or null when it concerns a process named in `process`. */
  procedure_id: number | null;
  process: string | null;
  description: string;
  cause: Generated<string>;
  consequence: Generated<string>;
  likelihood: number;
  impact: number;
  /** The level of likelihood × impact in the organisation's matrix (rewritten when the matrix changes). */
  level: RiskLevel;
  treatment: Treatment | null;
  treatment_note: Generated<string>;
  owner_id: number;
  identified_on: string;
  review_due: string;
  /** From the latest review: its date, the residual scores and level, and the effectiveness of the actions. */
  last_reviewed_on: string | null;
  residual_likelihood: number | null;
  residual_impact: number | null;
  residual_level: RiskLevel | null;
  effectiveness: Effectiveness | null;
  status: Generated<RiskStatus>;
  closed_on: string | null;
  close_reason: string | null;
  created_by: number | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

/** A review of a risk as held; never changed or deleted. */
export interface RiskReviewsTable {
  id: Generated<number>;
  organisation_id: number;
  risk_id: number;
  reviewed_on: string;
  reviewer_id: number;
  likelihood: number;
  impact: number;
  level: RiskLevel;
  effectiveness: Effectiveness;
  note: string;
  next_review: string | null;
  created_at: string;
}

export interface RisksTables {
  risks: RisksTable;
  risk_reviews: RiskReviewsTable;
}

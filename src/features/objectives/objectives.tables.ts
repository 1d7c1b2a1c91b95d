import type { Generated } from 'kysely';

/** How an objective is measured: a reading entered with its evidence, or a figure computed from the app's data. */
export const INDICATORS = ['manual', 'on_time_rate', 'nc_closed_on_time', 'audit_programme_completed', 'documents_reviewed_on_time'] as const;
export type Indicator = (typeof INDICATORS)[number];
export type ComputedIndicator = Exclude<Indicator, 'manual'>;

/** The value must be at least (gte) or at most (lte) the target. */
export const COMPARISONS = ['gte', 'lte'] as const;
export type Comparison = (typeof COMPARISONS)[number];

export const FREQUENCIES = ['monthly', 'quarterly', 'half_yearly', 'yearly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export const SET_STATUSES = ['draft', 'submitted', 'approved'] as const;
export type SetStatus = (typeof SET_STATUSES)[number];

/** The objectives of one organisation for one year, approved together (migration 2026_12_13_1000_quality_objectives). */
export interface ObjectiveSetsTable {
  id: Generated<number>;
  organisation_id: number;
  year: number;
  status: Generated<SetStatus>;
  /** How many times the set was approved (the last approval's revision). */
  revision: Generated<number>;
  submitted_by: number | null;
  submitted_at: string | null;
  approved_by: number | null;
  approved_at: string | null;
  signature_id: number | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

/**
 * One quality objective (mục tiêu chất lượng): the organisation's (unit_id null) or a unit's, with its indicator,
 * target, frequency, owner and the plan of clause 6.2.2. Locked once approved: its content never changes (trigger).
 */
export interface QualityObjectivesTable {
  id: Generated<number>;
  organisation_id: number;
  set_id: number;
  year: number;
  /** Its number within the year (1, 2, …). */
  seq: number;
  unit_id: number | null;
  objective: string;
  indicator: Indicator;
  /** on_time_rate only: the one procedure measured; null = all active procedures (of the unit, for a unit's objective). */
  procedure_id: number | null;
  comparison: Comparison;
  /** In the indicator's unit: per cent (0–100) for a computed indicator, or the manual indicator's own unit. */
  target: number;
  unit: string;
  frequency: Frequency;
  owner_id: number;
  plan_what: string;
  plan_resources: string;
  plan_who: string;
  plan_when: string;
  plan_evaluation: string;
  status: Generated<'active' | 'cancelled'>;
  locked: Generated<number>;
  /** The revision of the set's approval that locked it. */
  approved_revision: number | null;
  cancel_reason: string | null;
  cancelled_at: string | null;
  cancelled_by: number | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

/** Each approval of a year's objectives (append-only): the history of signatures. */
export interface ObjectiveApprovalsTable {
  id: Generated<number>;
  organisation_id: number;
  set_id: number;
  revision: number;
  signature_id: number;
  approved_by: number;
  signer_name: string;
  approved_at: string;
  content_sha256: string;
  /** How many active objectives were approved. */
  objectives: number;
  /** What changed since the approval before (the amendments), as written by the service. */
  changes: Generated<string>;
}

/** A manual reading of one period (append-only); a correction supersedes the reading it corrects, with a reason. */
export interface ObjectiveReadingsTable {
  id: Generated<number>;
  organisation_id: number;
  objective_id: number;
  period: string;
  value: number;
  note: Generated<string>;
  file_sha256: string | null;
  file_name: string | null;
  file_mime: string | null;
  supersedes_id: number | null;
  correction_reason: string | null;
  recorded_by: number | null;
  recorded_at: string;
}

export interface ObjectivesTables {
  objective_sets: ObjectiveSetsTable;
  quality_objectives: QualityObjectivesTable;
  objective_approvals: ObjectiveApprovalsTable;
  objective_readings: ObjectiveReadingsTable;
}

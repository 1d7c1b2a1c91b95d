import type { Generated } from 'kysely';

/** Tables of competence (ISO 9001 clause 7.2; migration 2026_12_18_0900_audit_library_competence). */
export const TRAINING_KINDS = ['internal_auditor', 'lead_auditor', 'iso_awareness', 'other'] as const;
export type TrainingKind = (typeof TRAINING_KINDS)[number];

/** A course or qualification one person holds: cancelled with a reason, never deleted. */
export interface TrainingRecordsTable {
  id: Generated<number>;
  user_id: number;
  kind: TrainingKind;
  title: string;
  /** Local date the course was held (or the qualification obtained). */
  held_on: string;
  issuer: Generated<string>;
  hours: number | null;
  certificate_no: Generated<string>;
  certificate_sha256: string | null;
  certificate_name: string | null;
  /** Null: does not expire. */
  expires_on: string | null;
  status: Generated<'active' | 'cancelled'>;
  cancel_reason: string | null;
  created_by: number | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
  organisation_id: number;
}

/** Who may audit which clause: one standing grant per person and clause (revoked_on null). */
export interface AuditorCompetencesTable {
  id: Generated<number>;
  user_id: number;
  clause: string;
  granted_on: string;
  granted_by: number | null;
  revoked_on: string | null;
  revoked_by: number | null;
  revoke_reason: string | null;
  created_at: string;
  updated_at: string;
  organisation_id: number;
}

export interface CompetenceTables {
  training_records: TrainingRecordsTable;
  auditor_competences: AuditorCompetencesTable;
}

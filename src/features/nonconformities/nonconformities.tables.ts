import type { Generated } from 'kysely';
import type { CauseCategory, NcSeverity, NcSource, NcStatus } from './nonconformities.model';

/** Tables of the nonconformities feature, added to the Database type in src/features/tables.ts. */
export interface NcCountersTable {
  year: number;
  last_no: number;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

export interface NonconformitiesTable {
  id: Generated<number>;
  code: string;
  year: number;
  seq: number;
  title: string;
  description: string;
  source: NcSource;
  severity: NcSeverity;
  procedure_id: number | null;
  clause: string | null;
  /** The document revision in force when the NC was raised (pinned). */
  document_id: number | null;
  revision_id: number | null;
  revision_no: number | null;
  detected_on: string;
  reported_by: number | null;
  responsible_unit_id: number | null;
  responsible_user_id: number | null;
  status: NcStatus;
  root_cause: string | null;
  cause_category: CauseCategory | null;
  /** JSON array of { why, answer }, at most five. */
  whys: Generated<string>;
  analysed_on: string | null;
  repeat_of_id: number | null;
  opened_on: string | null;
  verify_due_on: string | null;
  closed_on: string | null;
  cancelled_on: string | null;
  /** Reason of the last cancel / reject / reopen. */
  status_reason: string | null;
  reopen_count: Generated<number>;
  created_by: number | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

export interface NcStatusHistoryTable {
  id: Generated<number>;
  nonconformity_id: number;
  from_status: NcStatus | null;
  to_status: NcStatus;
  /** Local calendar date of the transition, in the organisation's zone. */
  changed_on: string;
  changed_at: string;
  changed_by: number | null;
  reason: string | null;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

export interface NcCorrectionsTable {
  id: Generated<number>;
  nonconformity_id: number;
  description: string;
  done_by: number;
  done_on: string;
  recorded_by: number | null;
  recorded_at: string;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

export interface NcVerificationsTable {
  id: Generated<number>;
  nonconformity_id: number;
  result: 'effective' | 'not_effective';
  note: string;
  verified_by: number;
  verified_on: string;
  verified_at: string;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

export interface NonconformitiesTables {
  nc_counters: NcCountersTable;
  nonconformities: NonconformitiesTable;
  nc_status_history: NcStatusHistoryTable;
  nc_corrections: NcCorrectionsTable;
  nc_verifications: NcVerificationsTable;
}

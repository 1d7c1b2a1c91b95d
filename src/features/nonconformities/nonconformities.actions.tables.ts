import type { Generated } from 'kysely';
import type { ActionKind, ActionStatus, ActionType } from './nonconformities.actions.model';

/**
 * Tables of the actions (of a nonconformity, or of a risk or opportunity: migration 2026_12_13_0900_risks), added to
 * the Database type in src/features/tables.ts. An action has exactly one source (a check holds it).
 */
export interface NcActionsTable {
  id: Generated<number>;
  nonconformity_id: number | null;
  /** The risk or opportunity (clause 6.1) whose treatment this action is; null for a nonconformity's action. */
  risk_id: Generated<number | null>;
  /** The decision of a management review (clause 9.3.3) this action carries out (migration 2026_12_13_1100_management_reviews). */
  review_decision_id: Generated<number | null>;
  type: ActionType;
  kind: Generated<ActionKind>;
  /** For kind 'revise_document': the document whose next effective revision completes the action. */
  document_id: number | null;
  description: string;
  owner_id: number;
  due_date: string;
  status: Generated<ActionStatus>;
  started_on: string | null;
  /** Local date of completion, in the organisation's zone. */
  completed_on: string | null;
  completed_by: number | null;
  completion_note: string | null;
  fixed_by_revision_id: number | null;
  fixed_by_revision_no: number | null;
  cancelled_on: string | null;
  cancel_reason: string | null;
  created_by: number | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

export interface NcActionNotesTable {
  id: Generated<number>;
  action_id: number;
  note: string;
  author_id: number | null;
  at: string;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

export interface NcActionFilesTable {
  id: Generated<number>;
  action_id: number;
  sha256: string;
  file_name: string;
  mime_type: string;
  size_bytes: number;
  uploaded_by: number | null;
  uploaded_at: string;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

/** A change of an action's due date (migration 2026_12_06_1400_action_due_history); never updated or deleted. */
export interface NcActionDueHistoryTable {
  id: Generated<number>;
  action_id: number;
  due_before: string;
  due_after: string;
  /** Local date of the change, in the organisation's zone. */
  changed_on: string;
  changed_at: string;
  changed_by: number | null;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

export interface ActionsTables {
  nc_actions: NcActionsTable;
  nc_action_notes: NcActionNotesTable;
  nc_action_files: NcActionFilesTable;
  nc_action_due_history: NcActionDueHistoryTable;
}

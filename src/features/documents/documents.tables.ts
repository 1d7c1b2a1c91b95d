import type { Generated } from 'kysely';

/** Tables of the documents feature, added to the Database type in src/features/tables.ts. */
export const DOCUMENT_TYPES = ['policy', 'objectives', 'manual', 'procedure', 'work_instruction', 'form', 'external', 'record_template'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const REVISION_STATUSES = ['draft', 'in_review', 'approved', 'effective', 'superseded', 'withdrawn', 'cancelled'] as const;
export type RevisionStatus = (typeof REVISION_STATUSES)[number];
/** A revision still being worked on; a document has at most one. */
export const IN_PROGRESS: readonly RevisionStatus[] = ['draft', 'in_review', 'approved'];

export const ACK_SCOPES = ['owner_unit', 'units', 'all', 'none'] as const;
export type AckScope = (typeof ACK_SCOPES)[number];

export const REVISION_SOURCES = ['markdown', 'docx'] as const;
export type RevisionSource = (typeof REVISION_SOURCES)[number];

export type DocumentStatus = 'active' | 'withdrawn';

export interface DocumentsTable {
  id: Generated<number>;
  code: string;
  title: string;
  type: DocumentType;
  procedure_id: number | null;
  owner_unit_id: number | null;
  review_interval_months: Generated<number>;
  retention: Generated<string>;
  ack_scope: Generated<AckScope>;
  status: Generated<DocumentStatus>;
  withdrawn_reason: string | null;
  withdrawn_on: string | null;
  search_text: string;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

export interface DocumentAckUnitsTable {
  document_id: number;
  unit_id: number;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

export interface DocumentRevisionsTable {
  id: Generated<number>;
  document_id: number;
  revision_no: number;
  status: Generated<RevisionStatus>;
  body: Generated<string>;
  file_sha256: string | null;
  file_name: string | null;
  change_summary: string | null;
  author_id: number;
  submitted_at: string | null;
  reviewer_id: number | null;
  reviewed_at: string | null;
  review_comment: string | null;
  approver_id: number | null;
  approved_at: string | null;
  /** Local date (YYYY-MM-DD) from which the revision is (or will be) effective. */
  effective_from: string | null;
  /** The instant it actually became effective. */
  effective_at: string | null;
  /** Local date on which a later revision (or the withdrawal) replaced it. */
  superseded_on: string | null;
  next_review_due: string | null;
  /** Why it was cancelled or withdrawn. */
  closed_reason: string | null;
  /** Different people the organisation required when it was approved (3, or 2): recorded with the approval. */
  signers_rule: number | null;
  /** How the content was written (issue 25): typed Markdown, or an uploaded Word file whose sanitised HTML is the body. */
  source: Generated<RevisionSource>;
  /** The original Word file of a `docx` revision (downloadable); null for Markdown. */
  source_sha256: string | null;
  source_name: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

export interface DocumentAcknowledgementsTable {
  id: Generated<number>;
  revision_id: number;
  document_id: number;
  user_id: number;
  acknowledged_at: string;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

export interface DocumentReviewsTable {
  id: Generated<number>;
  document_id: number;
  revision_id: number;
  reviewed_on: string;
  outcome: 'no_change';
  comment: string | null;
  reviewer_id: number;
  previous_due: string | null;
  next_review_due: string;
  signature_id: number;
  created_at: string;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

/** A next review date moved other than by a review (a new interval); migration 2026_12_06_1600. Append-only. */
export interface DocumentReviewDueChangesTable {
  id: Generated<number>;
  document_id: number;
  revision_id: number;
  due_before: string | null;
  due_after: string;
  changed_on: string;
  changed_at: string;
  changed_by: number | null;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

/** A controlled paper copy of an effective revision (issue 25): numbered per document, withdrawn with a reason. */
export interface DocumentControlledCopiesTable {
  id: Generated<number>;
  organisation_id: number;
  document_id: number;
  revision_id: number;
  copy_no: number;
  holder: string;
  issued_by: number;
  issued_at: string;
  withdrawn_at: string | null;
  withdrawn_by: number | null;
  withdrawn_reason: string | null;
}

/** FTS5 table (queried with raw SQL); declared for completeness. */
export interface DocumentsFtsTable {
  document_id: number;
  code: string;
  title: string;
  body: string;
  title_text: string;
  body_text: string;
}

export interface DocumentsTables {
  documents: DocumentsTable;
  document_ack_units: DocumentAckUnitsTable;
  document_revisions: DocumentRevisionsTable;
  document_acknowledgements: DocumentAcknowledgementsTable;
  document_reviews: DocumentReviewsTable;
  document_review_due_changes: DocumentReviewDueChangesTable;
  documents_fts: DocumentsFtsTable;
  document_controlled_copies: DocumentControlledCopiesTable;
}

import type { Generated } from 'kysely';

/** Tables of the audits feature, added to the Database type in src/features/tables.ts. */
/** `inspection`: the Sở KH&CN's inspection of the QMS (migration 2026_12_06_1300_vocabulary). */
export const AUDIT_TYPES = ['internal', 'certification', 'surveillance', 'inspection'] as const;
export type AuditType = (typeof AUDIT_TYPES)[number];

export const AUDIT_STATUSES = ['planned', 'in_progress', 'reported', 'closed', 'cancelled'] as const;
export type AuditStatus = (typeof AUDIT_STATUSES)[number];

export const ITEM_RESULTS = ['conform', 'major_nc', 'minor_nc', 'observation', 'ofi', 'not_applicable'] as const;
export type ItemResult = (typeof ITEM_RESULTS)[number];

export const FINDING_GRADES = ['major_nc', 'minor_nc', 'observation', 'ofi'] as const;
export type FindingGrade = (typeof FINDING_GRADES)[number];

export type ProgrammeStatus = 'draft' | 'approved';

export interface AuditProgrammesTable {
  id: Generated<number>;
  year: number;
  objectives: Generated<string>;
  status: Generated<ProgrammeStatus>;
  approved_by: number | null;
  approved_at: string | null;
  signature_id: number | null;
  /** How many times the programme was reopened after an approval. */
  revision: Generated<number>;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

export interface AuditProgrammeItemsTable {
  id: Generated<number>;
  programme_id: number;
  title: string;
  month: number;
  audit_type: Generated<AuditType>;
  /** JSON arrays: procedure ids, unit ids, clause numbers. */
  procedure_ids: Generated<string>;
  unit_ids: Generated<string>;
  clauses: Generated<string>;
  notes: Generated<string>;
  status: Generated<'planned' | 'cancelled'>;
  cancel_reason: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

export interface AuditCodeCountersTable {
  prefix: string;
  year: number;
  last_no: number;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

export interface AuditsTable {
  id: Generated<number>;
  code: string;
  year: number;
  seq: number;
  type: AuditType;
  programme_item_id: number | null;
  follow_up_of: number | null;
  title: string;
  objectives: Generated<string>;
  criteria_other: Generated<string>;
  external_body: string | null;
  auditee_unit_id: number | null;
  lead_auditor_id: number;
  planned_start: string;
  planned_end: string;
  /** First day of fieldwork (local date): the date the audit counts as conducted. */
  actual_start: string | null;
  actual_end: string | null;
  status: Generated<AuditStatus>;
  cancel_reason: string | null;
  /** Local date of the cancellation (null before migration 2026_12_06_1500_audit_cancelled_on). */
  cancelled_on: string | null;
  conclusion: Generated<string>;
  report_issued_at: string | null;
  report_signature_id: number | null;
  closed_at: string | null;
  /** The auditee's acknowledgement of the report: who (a user of the audited unit), when, the printed name, a note. */
  auditee_ack_by: Generated<number | null>;
  auditee_ack_at: Generated<string | null>;
  auditee_ack_name: Generated<string>;
  auditee_ack_note: Generated<string>;
  created_by: number | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

export interface AuditTeamMembersTable {
  audit_id: number;
  user_id: number;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}
export interface AuditProceduresTable {
  audit_id: number;
  procedure_id: number;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}
export interface AuditUnitsTable {
  audit_id: number;
  unit_id: number;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}
export interface AuditClausesTable {
  audit_id: number;
  clause: string;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

export interface AuditChecklistItemsTable {
  id: Generated<number>;
  audit_id: number;
  position: number;
  procedure_id: number | null;
  clause: string | null;
  question: string;
  result: ItemResult | null;
  evidence: Generated<string>;
  /** What the auditor found, when the result is a finding. */
  statement: Generated<string>;
  found_on: string | null;
  /** In a follow-up audit: the earlier finding this item verifies. */
  follows_finding_id: number | null;
  /** The library question (and its revision) the item was built from; null: written by hand or generated before the library. */
  question_id: Generated<number | null>;
  question_revision: Generated<number | null>;
  /** The item of the previous audit of the same scope this one was copied from (its finding is shown beside it). */
  copied_from_item_id: Generated<number | null>;
  assessed_by: number | null;
  assessed_at: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

export interface AuditFindingsTable {
  id: Generated<number>;
  audit_id: number;
  seq: number;
  checklist_item_id: number;
  grade: FindingGrade;
  statement: string;
  evidence: Generated<string>;
  clause: string | null;
  procedure_id: number | null;
  found_on: string;
  status: Generated<'active' | 'withdrawn'>;
  withdrawn_reason: string | null;
  nonconformity_id: number | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

export interface AuditEvidenceFilesTable {
  id: Generated<number>;
  audit_id: number;
  checklist_item_id: number;
  file_sha256: string;
  file_name: string;
  uploaded_by: number | null;
  uploaded_at: string;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

export interface AuditChecklistTemplatesTable {
  id: Generated<number>;
  name: string;
  description: Generated<string>;
  active: Generated<number>;
  retired_reason: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

export interface AuditChecklistTemplateQuestionsTable {
  id: Generated<number>;
  template_id: number;
  position: number;
  clause: string | null;
  question: string;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

/** A question of the organisation's library (migration 2026_12_18_0900_audit_library_competence). */
export interface AuditQuestionsTable {
  id: Generated<number>;
  clause: string;
  /** Null: asked for every procedure; else this procedure's own question. */
  procedure_id: number | null;
  position: Generated<number>;
  text_vi: string;
  text_en: string;
  revision: Generated<number>;
  active: Generated<number>;
  retired_reason: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
  organisation_id: number;
}

/** Each published wording of a library question, append-only. */
export interface AuditQuestionRevisionsTable {
  id: Generated<number>;
  question_id: number;
  revision: number;
  clause: string;
  procedure_id: number | null;
  text_vi: string;
  text_en: string;
  changed_by: number | null;
  changed_at: string;
  reason: Generated<string>;
  organisation_id: number;
}

export interface AuditsTables {
  audit_questions: AuditQuestionsTable;
  audit_question_revisions: AuditQuestionRevisionsTable;
  audit_programmes: AuditProgrammesTable;
  audit_programme_items: AuditProgrammeItemsTable;
  audit_code_counters: AuditCodeCountersTable;
  audits: AuditsTable;
  audit_team_members: AuditTeamMembersTable;
  audit_procedures: AuditProceduresTable;
  audit_units: AuditUnitsTable;
  audit_clauses: AuditClausesTable;
  audit_checklist_items: AuditChecklistItemsTable;
  audit_findings: AuditFindingsTable;
  audit_evidence_files: AuditEvidenceFilesTable;
  audit_checklist_templates: AuditChecklistTemplatesTable;
  audit_checklist_template_questions: AuditChecklistTemplateQuestionsTable;
}

import type { Generated } from 'kysely';

/**
 * The Database type. Core tables are declared here; each feature declares its own tables beside its code
 * (features/<f>/<f>.tables.ts) and src/features/tables.ts adds them to `DB` by module augmentation, so core
 * never imports a feature. Timestamps are ISO-8601 UTC TEXT, calendar dates YYYY-MM-DD TEXT, booleans 0/1,
 * enums TEXT with a CHECK constraint.
 */
export type Role = 'admin' | 'quality_officer' | 'leader' | 'staff' | 'inspector';
export type OnlineLevel = 'full' | 'partial' | 'none';
export type ProcedureStatus = 'active' | 'retired';
/** An administrative procedure (thủ tục hành chính, counted as TTHC) or an internal process of the QMS. */
export type ProcedureKind = 'administrative' | 'internal';

export interface OrganisationTable {
  id: Generated<number>;
  name: string;
  parent_agency: Generated<string>;
  place_name: Generated<string>;
  report_number_suffix: Generated<string>;
  signer_title: Generated<string>;
  signer_name: Generated<string>;
  time_zone: Generated<string>;
  recipients: Generated<string>;
  not_applicable_clauses: Generated<string>;
  /** Different people a document revision needs (author, reviewer, approver): 3, or 2 in a very small office. */
  revision_signers: Generated<number>;
  version: Generated<number>;
  updated_at: string;
  /** Unique among organisations (`DV1` for the one office a database held before organisations). */
  code: Generated<string>;
  /** The organisation above it in the tree (province → department or commune → office); null at the top. */
  parent_id: number | null;
  kind: Generated<OrganisationKind>;
  /** `read_only` once merged into a successor: its records stay, unchanged. */
  status: Generated<OrganisationStatus>;
  created_at: Generated<string>;
  /** The date its QMS was declared conformant to TCVN ISO 9001:2015 (công bố HTQLCL phù hợp); null: not recorded. */
  qms_declared_on: Generated<string | null>;
}

export const ORGANISATION_KINDS = ['province', 'department', 'commune', 'office', 'template'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];
export type OrganisationStatus = 'active' | 'read_only';

/** A merge of organisations into a successor, or a split of one (predecessor → successor). */
export interface OrganisationLineageTable {
  id: Generated<number>;
  predecessor_id: number;
  successor_id: number;
  kind: 'merge' | 'split';
  effective_on: string;
  reason: string;
  created_at: string;
  created_by: number | null;
}

export interface UnitsTable {
  id: Generated<number>;
  code: string;
  name: string;
  active: Generated<number>;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

export interface UsersTable {
  id: Generated<number>;
  username: string;
  full_name: string;
  role: Role;
  unit_id: number | null;
  email: string | null;
  position_title: string | null;
  password_hash: string;
  active: Generated<number>;
  password_changed_at: string;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
  /** 1 while the password is one an administrator set: the user must choose their own before anything else. */
  must_change_password: Generated<number>;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

export interface SessionsTable {
  id: string;
  user_id: number | null;
  csrf_token: string;
  flash: string | null;
  created_at: string;
  last_seen_at: string;
  user_agent: string | null;
  ip: string | null;
  /** The organisation the session works in when its user chose another than their own (`?org=CODE`); null: their own. */
  viewing_organisation_id: number | null;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  username_key: string;
  ip: string;
  succeeded: number;
  at: string;
}

/** Random keys the app signs with, by name (the sign-in form's CSRF token: 'anonymous_csrf'). */
export interface SigningKeysTable {
  name: string;
  secret: string;
  created_at: string;
}

export interface ProceduresTable {
  id: Generated<number>;
  code: string;
  title: string;
  field: string;
  national_code: string | null;
  processing_days: number | null;
  online_level: OnlineLevel;
  unit_id: number | null;
  on_time_target: number;
  kind: Generated<ProcedureKind>;
  status: Generated<ProcedureStatus>;
  retired_reason: string | null;
  retired_at: string | null;
  search_text: string;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

/**
 * A procedure's processing days and online level from a date on (migration 2026_12_06_0900_procedure_kinds_terms):
 * in force on a date is the row with the latest effective_from on or before it; the first row is dated 1900-01-01.
 */
export interface ProcedureTermsTable {
  id: Generated<number>;
  procedure_id: number;
  effective_from: string;
  processing_days: number | null;
  online_level: OnlineLevel;
  recorded_by: number | null;
  recorded_at: string;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  user_id: number | null;
  action: string;
  entity: string;
  entity_id: string | null;
  old_values: string | null;
  new_values: string | null;
  reason: string | null;
  prev_hash: string;
  hash: string;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

export interface ESignaturesTable {
  id: Generated<number>;
  entity: string;
  entity_id: number;
  meaning: string;
  user_id: number;
  signer_name: string;
  signer_role: string;
  content_sha256: string;
  signed_at: string;
  /** The audit log's signed head when the signature was made (JSON, core/audit-log/audit-anchor.ts); null before it existed. */
  audit_anchor: string | null;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

/** Where the audit log's keyed part begins (one row, HMAC-signed with the audit key): core/audit-log. */
export interface AuditChainTable {
  id: number;
  keyed_from: number;
  rows_before: number;
  prev_hash: string;
  key_id: string;
  created_at: string;
  mac: string;
}

/** Facts about the database itself, by key: 'initialised_at' (the first user's creation, kept when users are gone). */
export interface QmsMetaTable {
  key: string;
  value: string;
}

/** Stored files (core/files): content-addressed by SHA-256; type detected from the content. */
export interface FilesTable {
  sha256: string;
  size: number;
  mime: string;
  ext: string;
  created_at: string;
}

export interface CoreTables {
  e_signatures: ESignaturesTable;
  files: FilesTable;
  organisation: OrganisationTable;
  organisation_lineage: OrganisationLineageTable;
  units: UnitsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  signing_keys: SigningKeysTable;
  procedures: ProceduresTable;
  procedure_terms: ProcedureTermsTable;
  audit_log: AuditLogTable;
  audit_chain: AuditChainTable;
  qms_meta: QmsMetaTable;
}

/** Core's tables; every feature's tables are added to this interface in src/features/tables.ts. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so that features add their tables to it
export interface DB extends CoreTables {}

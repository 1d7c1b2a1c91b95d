import type { Generated } from 'kysely';

/** Tables of the dossiers feature, added to the Database type in src/features/tables.ts. */
export type DossierOutcome = 'returned' | 'withdrawn';
export type DossierChannel = 'direct' | 'online' | 'postal';
export type DossierImportVia = 'upload' | 'cli' | 'demo' | 'api';

/** One administrative dossier (hồ sơ TTHC). Only what the figures need: no names, no addresses. */
export interface DossiersTable {
  id: Generated<number>;
  code: string;
  procedure_id: number;
  /** Local date received (organisation's zone), YYYY-MM-DD. */
  received_on: string;
  /** UTC instant received, when the file gave a time. */
  received_at: string | null;
  /** Local due date (ngày hẹn trả). */
  due_on: string;
  /** 1 when due_on was computed from the procedure's processing days (the file gave none). */
  due_computed: number;
  /** Local date returned or withdrawn; null while unresolved. */
  returned_on: string | null;
  returned_at: string | null;
  /** Null while unresolved. */
  outcome: DossierOutcome | null;
  channel: DossierChannel;
  /** The handling unit (đơn vị xử lý) as the file wrote it; null when not given. */
  handling_unit: string | null;
  /** The organisation unit whose code or name the handling unit matches; null when none. */
  unit_id: number | null;
  created_import_id: number;
  updated_import_id: number;
  created_at: string;
  updated_at: string;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

export interface DossierImportsTable {
  id: Generated<number>;
  file_name: string;
  sha256: string;
  via: DossierImportVia;
  imported_by: number | null;
  imported_at: string;
  rows_total: Generated<number>;
  rows_added: Generated<number>;
  rows_updated: Generated<number>;
  rows_unchanged: Generated<number>;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

/** A nonconformity raised for late / overdue dossiers, linked back to each of them. */
export interface NonconformityDossiersTable {
  nonconformity_id: number;
  dossier_id: number;
  created_at: string;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

export interface DossiersTables {
  dossiers: DossiersTable;
  dossier_imports: DossierImportsTable;
  nonconformity_dossiers: NonconformityDossiersTable;
}

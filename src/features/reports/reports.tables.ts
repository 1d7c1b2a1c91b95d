import type { Generated } from 'kysely';

/** Tables of the reports feature, added to the Database type in src/features/tables.ts. */
export type AnnualReportStatus = 'draft' | 'issued';

/** One annual QMS report per year; frozen (figures, narratives, letterhead) once issued. */
export interface AnnualReportsTable {
  id: Generated<number>;
  year: number;
  status: Generated<AnnualReportStatus>;
  /** The registry number written before "/BC-…" (e.g. "15"), when the office has given one. */
  number_text: string | null;
  /** JSON object: section → narrative text. */
  narratives: Generated<string>;
  /** Frozen figures (JSON), set when issued. */
  figures_json: string | null;
  /** Frozen letterhead (agency, place, signer, recipients) as printed, set when issued. */
  letterhead_json: string | null;
  /** Local date the frozen figures run to. */
  as_of: string | null;
  content_sha256: string | null;
  signature_id: number | null;
  issued_by: number | null;
  issued_at: string | null;
  created_by: number | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
  /** The organisation whose data the row is (organisations, issue 22). */
  organisation_id: number;
}

/**
 * The procedures whose report figures changed, each once with the seq of its last change (procedure_id 0: every
 * procedure); written only by the triggers of migration 2026_12_05_0900_figure_changes.
 */
export interface FigureChangesTable {
  seq: Generated<number>;
  procedure_id: number;
}

export interface ReportsTables {
  annual_reports: AnnualReportsTable;
  figure_changes: FigureChangesTable;
}

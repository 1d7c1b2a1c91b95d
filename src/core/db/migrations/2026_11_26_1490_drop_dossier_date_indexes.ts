import type { Kysely } from 'kysely';

/**
 * Drops the three single-date indexes of dossiers (received_on, due_on, returned_on). Every reading of dossiers
 * names its procedure (lists, exports, raising a nonconformity, recomputing the summary tables), which the covering
 * index dossiers_procedure_figures_idx serves, and the reports read the summary tables. Only the fallbacks used
 * while another connection holds the database read all procedures by date: a scan of the covering index, 0.2–0.5 s
 * at 3,000,000 dossiers (province benchmark), no slower than a date range read through these indexes.
 * What they cost: every dossier written updated three more indexes, and a bulk import rebuilt them over all the
 * dossiers — 6 of the 10 s an import of 1,000,000 dossiers into 2,000,000 spent rebuilding indexes.
 */
const INDEXES = [
  ['dossiers_received_idx', 'received_on'],
  ['dossiers_due_idx', 'due_on'],
  ['dossiers_returned_idx', 'returned_on'],
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name] of INDEXES) await db.schema.dropIndex(name).ifExists().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name, column] of INDEXES) await db.schema.createIndex(name).ifNotExists().on('dossiers').column(column).execute();
}

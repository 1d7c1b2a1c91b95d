import type { Kysely } from 'kysely';

/**
 * The unit that handles a dossier (issue 20, real exports of the one-stop systems): a province may receive a dossier
 * at any counter, and the unit that handles it is what counts.
 *
 * - dossiers.handling_unit: the "Đơn vị xử lý" of the export as written (trimmed, at most 200 characters); null when
 *   the file gave none.
 * - dossiers.unit_id: the organisation unit whose code or name it matches (compared without case and diacritics);
 *   null when none does — that is not an error.
 *
 * The dossier-summary triggers (2026_12_05_1000_dossier_stats_deltas) fire on other columns only and read neither.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('dossiers').addColumn('handling_unit', 'text').execute();
  await db.schema
    .alterTable('dossiers')
    .addColumn('unit_id', 'integer', (c) => c.references('units.id'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('dossiers').dropColumn('unit_id').execute();
  await db.schema.alterTable('dossiers').dropColumn('handling_unit').execute();
}

import type { Kysely } from 'kysely';

/**
 * The compliance report's nonconformity figures (nonconformities.report.queries.ts) read one procedure's
 * nonconformities and their actions from indexes alone on PostgreSQL too. SQLite's indexes carry the rowid (the id),
 * so the two indexes of migration 2026_11_26_1900 already covered these reads there; PostgreSQL's do not, and it read
 * every nonconformity (about 400 for a busy procedure, each on its own page) and every action from the table. The two
 * indexes keep their names and leading columns (the register and the other readers use them as before) and gain the
 * columns the report reads: the id (and, for actions, the type and the cancellation date). Replaced, not added: no
 * more index to write than before.
 */
const INDEXES = [
  { name: 'nonconformities_procedure_cover_idx', table: 'nonconformities', before: ['procedure_id', 'detected_on', 'status', 'severity'], after: ['id'] },
  {
    name: 'nc_actions_nc_due_idx',
    table: 'nc_actions',
    before: ['nonconformity_id', 'status', 'due_date', 'completed_on'],
    after: ['type', 'cancelled_on', 'id'],
  },
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const i of INDEXES) {
    await db.schema.dropIndex(i.name).ifExists().execute();
    await db.schema
      .createIndex(i.name)
      .on(i.table)
      .columns([...i.before, ...i.after])
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const i of INDEXES) {
    await db.schema.dropIndex(i.name).ifExists().execute();
    await db.schema.createIndex(i.name).on(i.table).columns(i.before).execute();
  }
}

import type { Kysely } from 'kysely';

/**
 * Indexes for the report queries on other features' tables. "Overdue actions at `to`" counts actions completed after
 * `to`: with this index they are found by range instead of by reading every completed action.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('reports_nc_actions_completed_idx').ifNotExists().on('nc_actions').columns(['status', 'completed_on']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('reports_nc_actions_completed_idx').ifExists().execute();
}

import type { Kysely } from 'kysely';

/**
 * Organisations, the compliance figures of a province's organisations (the oversight page, each summary report):
 * the NC figures of a period read the status changes of one organisation by status and date (the NCs closed in the
 * period; those whose status changed after its end). The only index by status and date was the database's
 * (to_status, changed_on): each organisation's summary walked every organisation's changes, 13 s for a province of
 * 120 organisations. With organisation_id first, each reads its own.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('nc_status_history_org_to_idx').on('nc_status_history').columns(['organisation_id', 'to_status', 'changed_on']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('nc_status_history_org_to_idx').execute();
}

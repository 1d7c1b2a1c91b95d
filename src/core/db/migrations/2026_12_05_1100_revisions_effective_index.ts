import type { Kysely } from 'kysely';

/**
 * The home pages list the revisions that took effect in the last weeks, newest first, a few at a time. From the
 * status index SQLite read two ranges (effective, superseded) and sorted every row of the window (7 ms at 60,000
 * revisions); from this index it reads the newest first and stops at the limit (under 1 ms).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('document_revisions_effective_from_idx').on('document_revisions').column('effective_from').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('document_revisions_effective_from_idx').ifExists().execute();
}

import { sql, type Kysely } from 'kysely';

/**
 * The home pages' document lists read from indexes that hold what they ask (province benchmark, PostgreSQL buffers
 * per page):
 * - Recently issued revisions (every home page but the admin's): the newest revisions in effect or superseded, from
 *   an index of those alone. The effective-date index also holds the revisions approved for a later date (371 of
 *   the 399 entries walked before the first 28 that count): 486 -> 117 buffers. The index's condition is the
 *   query's own test (`status not in (…)`), as written, so that both engines see that it applies.
 * - Documents a user still has to acknowledge (staff and quality officer): the documents that concern the user and
 *   their effective revision from the indexes alone (code and title, then the revision's id, number and date), and
 *   the user's acknowledgements as one range of (user_id, revision_id) instead of one lookup per document:
 *   990 -> 355 buffers.
 * Added, not replacing: the other readers keep their indexes.
 */
const PUBLISHED = sql.raw<boolean>(`status not in ('draft', 'in_review', 'approved', 'withdrawn', 'cancelled')`);

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('document_revisions_published_from_idx').on('document_revisions').column('effective_from').where(PUBLISHED).execute();
  await db.schema
    .createIndex('document_revisions_effective_cover_idx')
    .on('document_revisions')
    .columns(['document_id', 'id', 'revision_no', 'effective_from'])
    .where(sql.raw<boolean>(`status = 'effective'`))
    .execute();
  await db.schema
    .createIndex('documents_ack_cover_idx')
    .on('documents')
    .columns(['ack_scope', 'owner_unit_id', 'id', 'code', 'title'])
    .where(sql.raw<boolean>(`status = 'active'`))
    .execute();
  await db.schema.createIndex('document_acknowledgements_user_revision_idx').on('document_acknowledgements').columns(['user_id', 'revision_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of [
    'document_revisions_published_from_idx',
    'document_revisions_effective_cover_idx',
    'documents_ack_cover_idx',
    'document_acknowledgements_user_revision_idx',
  ])
    await db.schema.dropIndex(name).ifExists().execute();
}

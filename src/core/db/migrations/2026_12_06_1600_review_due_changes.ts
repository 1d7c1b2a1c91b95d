import type { Kysely } from 'kysely';
import { createTrigger, dropTrigger, refuse } from '../dialect/ddl';

/**
 * Changes of a revision's next review date that are not periodic reviews (issue 20, point 1): a new review interval
 * on the document moves the date of its effective revision. With document_reviews (whose rows carry the date before
 * and after each review), a report reads the review date recorded at its period's end. Append-only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('document_review_due_changes')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('document_id', 'integer', (c) => c.notNull().references('documents.id'))
    .addColumn('revision_id', 'integer', (c) => c.notNull().references('document_revisions.id'))
    .addColumn('due_before', 'text')
    .addColumn('due_after', 'text', (c) => c.notNull())
    .addColumn('changed_on', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .addColumn('changed_by', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('document_review_due_changes_revision_idx').on('document_review_due_changes').columns(['revision_id', 'changed_on']).execute();
  await createTrigger(
    db,
    'document_review_due_changes_no_update',
    'before update on document_review_due_changes',
    refuse('the review-date history of a revision is kept as written'),
  );
  await createTrigger(
    db,
    'document_review_due_changes_no_delete',
    'before delete on document_review_due_changes',
    refuse('the review-date history of a revision is kept as written'),
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropTrigger(db, 'document_review_due_changes_no_delete', 'document_review_due_changes');
  await dropTrigger(db, 'document_review_due_changes_no_update', 'document_review_due_changes');
  await db.schema.dropTable('document_review_due_changes').execute();
}

import { sql, type Kysely } from 'kysely';

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
  await sql`create trigger document_review_due_changes_no_update before update on document_review_due_changes
    begin select raise(abort, 'the review-date history of a revision is kept as written'); end`.execute(db);
  await sql`create trigger document_review_due_changes_no_delete before delete on document_review_due_changes
    begin select raise(abort, 'the review-date history of a revision is kept as written'); end`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists document_review_due_changes_no_delete`.execute(db);
  await sql`drop trigger if exists document_review_due_changes_no_update`.execute(db);
  await db.schema.dropTable('document_review_due_changes').execute();
}

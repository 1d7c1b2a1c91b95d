import { sql, type Kysely } from 'kysely';
import { createTrigger, dropTrigger, refuse } from '../dialect/ddl';

/**
 * Documents written in Word, and controlled copies (issue 25).
 * - `document_revisions.source`: how the revision's content was written — `markdown` (typed in the form, as before)
 *   or `docx` (an uploaded Word file: `source_sha256`/`source_name` keep the original, downloadable, and `body` holds
 *   the sanitised HTML read from it for the screen). Like the body, the source is frozen once the draft is submitted.
 * - `document_controlled_copies`: the register of controlled paper copies of an effective revision — its number per
 *   document, who holds it, who issued it and when, and its withdrawal with a reason. A copy is never deleted, and only
 *   its withdrawal changes it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('document_revisions')
    .addColumn('source', 'text', (c) =>
      c
        .notNull()
        .defaultTo('markdown')
        .check(sql`source in ('markdown', 'docx')`),
    )
    .execute();
  await db.schema
    .alterTable('document_revisions')
    .addColumn('source_sha256', 'text', (c) => c.references('files.sha256'))
    .execute();
  await db.schema
    .alterTable('document_revisions')
    .addColumn('source_name', 'text', (c) => c.check(sql`(source_name is null) = (source_sha256 is null) and (source = 'docx') = (source_sha256 is not null)`))
    .execute();
  await createTrigger(
    db,
    'document_revisions_source_frozen',
    `before update of source, source_sha256, source_name on document_revisions when old.status <> 'draft'`,
    refuse('revision content is frozen'),
  );

  await db.schema
    .createTable('document_controlled_copies')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('document_id', 'integer', (c) => c.notNull().references('documents.id'))
    .addColumn('revision_id', 'integer', (c) => c.notNull().references('document_revisions.id'))
    .addColumn('copy_no', 'integer', (c) => c.notNull().check(sql`copy_no >= 1`))
    .addColumn('holder', 'text', (c) => c.notNull().check(sql`length(trim(holder)) > 0`))
    .addColumn('issued_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('withdrawn_at', 'text')
    .addColumn('withdrawn_by', 'integer', (c) => c.references('users.id'))
    .addColumn('withdrawn_reason', 'text')
    .addUniqueConstraint('document_controlled_copies_no_unique', ['document_id', 'copy_no'])
    .addCheckConstraint(
      'document_controlled_copies_withdrawn',
      sql`(withdrawn_at is null) = (withdrawn_by is null) and (withdrawn_at is null) = (withdrawn_reason is null)
        and (withdrawn_reason is null or length(trim(withdrawn_reason)) > 0)`,
    )
    .execute();
  await sql`create index document_controlled_copies_org_idx on document_controlled_copies (organisation_id, document_id)`.execute(db);
  await createTrigger(
    db,
    'document_controlled_copies_no_delete',
    'before delete on document_controlled_copies',
    refuse('a controlled copy is never deleted: withdraw it with a reason'),
  );
  await createTrigger(
    db,
    'document_controlled_copies_frozen',
    `before update on document_controlled_copies when not (old.withdrawn_at is null and new.withdrawn_at is not null
      and new.id = old.id and new.organisation_id = old.organisation_id and new.document_id = old.document_id
      and new.revision_id = old.revision_id and new.copy_no = old.copy_no and new.holder = old.holder
      and new.issued_by = old.issued_by and new.issued_at = old.issued_at)`,
    refuse('a controlled copy does not change once issued; only its withdrawal, with a reason'),
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropTrigger(db, 'document_controlled_copies_frozen', 'document_controlled_copies');
  await dropTrigger(db, 'document_controlled_copies_no_delete', 'document_controlled_copies');
  await db.schema.dropTable('document_controlled_copies').ifExists().execute();
  await dropTrigger(db, 'document_revisions_source_frozen', 'document_revisions');
  await db.schema.alterTable('document_revisions').dropColumn('source_name').execute();
  await db.schema.alterTable('document_revisions').dropColumn('source_sha256').execute();
  await db.schema.alterTable('document_revisions').dropColumn('source').execute();
}

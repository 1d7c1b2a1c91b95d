import { sql, type Kysely } from 'kysely';
import { createTrigger, dropTrigger, hexOnly, refuse } from '../dialect/ddl';
import { engineOf } from '../dialect/engine';

/**
 * Document control (ISO 9001 clause 7.5) and stored files.
 *
 * - files: one row per stored blob (content-addressed by SHA-256 under data/files/<aa>/<sha256>);
 *   the metadata detected from the content (mime, extension, size). Rows that reference a file keep
 *   their own display name.
 * - documents / document_revisions: a revision's content never changes once it is effective,
 *   superseded or withdrawn (triggers), a document has at most one effective revision and at most one
 *   revision in progress (partial unique indexes), and status changes follow the workflow (trigger).
 * - document_acknowledgements: who confirmed reading which revision.
 * - document_reviews: periodic reviews ("reviewed, no change needed").
 * - documents_fts: FTS5 index over the effective revision of each document, diacritics folded.
 */
const DOCUMENT_TYPES = `'policy', 'objectives', 'manual', 'procedure', 'work_instruction', 'form', 'external', 'record_template'`;
const REVISION_STATUSES = `'draft', 'in_review', 'approved', 'effective', 'superseded', 'withdrawn', 'cancelled'`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('files')
    .addColumn('sha256', 'text', (c) => c.primaryKey().check(sql`length(sha256) = 64 and ${hexOnly(db, 'sha256')}`))
    .addColumn('size', 'integer', (c) => c.notNull().check(sql`size >= 0`))
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('ext', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('documents')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull().check(sql.raw(`type in (${DOCUMENT_TYPES})`)))
    .addColumn('procedure_id', 'integer', (c) => c.references('procedures.id'))
    .addColumn('owner_unit_id', 'integer', (c) => c.references('units.id'))
    .addColumn('review_interval_months', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(12)
        .check(sql`review_interval_months between 1 and 60`),
    )
    .addColumn('retention', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('ack_scope', 'text', (c) =>
      c
        .notNull()
        .defaultTo('owner_unit')
        .check(sql`ack_scope in ('owner_unit', 'units', 'all', 'none')`),
    )
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('active')
        .check(sql`status in ('active', 'withdrawn')`),
    )
    .addColumn('withdrawn_reason', 'text')
    .addColumn('withdrawn_on', 'text')
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('documents_procedure_idx').on('documents').columns(['procedure_id', 'type']).execute();
  await db.schema.createIndex('documents_unit_idx').on('documents').column('owner_unit_id').execute();

  await db.schema
    .createTable('document_ack_units')
    .addColumn('document_id', 'integer', (c) => c.notNull().references('documents.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addPrimaryKeyConstraint('document_ack_units_pk', ['document_id', 'unit_id'])
    .execute();

  await db.schema
    .createTable('document_revisions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('document_id', 'integer', (c) => c.notNull().references('documents.id'))
    .addColumn('revision_no', 'integer', (c) => c.notNull().check(sql`revision_no >= 1`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('draft')
        .check(sql.raw(`status in (${REVISION_STATUSES})`)),
    )
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('file_sha256', 'text', (c) => c.references('files.sha256'))
    .addColumn('file_name', 'text')
    .addColumn('change_summary', 'text')
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('submitted_at', 'text')
    .addColumn('reviewer_id', 'integer', (c) => c.references('users.id'))
    .addColumn('reviewed_at', 'text')
    .addColumn('review_comment', 'text')
    .addColumn('approver_id', 'integer', (c) => c.references('users.id'))
    .addColumn('approved_at', 'text')
    .addColumn('effective_from', 'text')
    .addColumn('effective_at', 'text')
    .addColumn('superseded_on', 'text')
    .addColumn('next_review_due', 'text')
    .addColumn('closed_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('document_revisions_no_unique', ['document_id', 'revision_no'])
    .addCheckConstraint('document_revisions_summary', sql`revision_no = 1 or length(trim(coalesce(change_summary, ''))) > 0`)
    .addCheckConstraint('document_revisions_effective_date', sql`status not in ('approved', 'effective', 'superseded') or effective_from is not null`)
    .addCheckConstraint('document_revisions_file_name', sql`(file_sha256 is null) = (file_name is null)`)
    .execute();
  // At most one effective revision and at most one revision in progress per document, whatever the code does.
  await sql`create unique index document_revisions_one_effective on document_revisions (document_id) where status = 'effective'`.execute(db);
  await sql`create unique index document_revisions_one_in_progress on document_revisions (document_id)
    where status in ('draft', 'in_review', 'approved')`.execute(db);
  await db.schema.createIndex('document_revisions_status_idx').on('document_revisions').columns(['status', 'effective_from']).execute();

  // Only a draft's content may change: once submitted (signed), effective, superseded, withdrawn or cancelled, never.
  await createTrigger(
    db,
    'document_revisions_frozen',
    `before update of document_id, revision_no, body, file_sha256, file_name, change_summary, author_id
    on document_revisions when old.status <> 'draft'`,
    refuse('revision content is frozen'),
  );
  // The workflow: draft → in_review → approved → effective → superseded | withdrawn; in_review → draft (sent back);
  // draft | in_review | approved → cancelled.
  await createTrigger(
    db,
    'document_revisions_workflow',
    `before update of status on document_revisions
    when new.status <> old.status and not (
      (old.status = 'draft' and new.status in ('in_review', 'cancelled')) or
      (old.status = 'in_review' and new.status in ('draft', 'approved', 'cancelled')) or
      (old.status = 'approved' and new.status in ('effective', 'cancelled')) or
      (old.status = 'effective' and new.status in ('superseded', 'withdrawn'))
    )`,
    refuse('revision status change not allowed'),
  );
  await createTrigger(
    db,
    'document_revisions_new_draft',
    `before insert on document_revisions
    when new.status <> 'draft'`,
    refuse('a revision starts as a draft'),
  );
  await createTrigger(db, 'document_revisions_no_delete', 'before delete on document_revisions', refuse('revisions are never deleted'));
  await createTrigger(db, 'documents_no_delete', 'before delete on documents', refuse('documents are never deleted'));

  await db.schema
    .createTable('document_acknowledgements')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('revision_id', 'integer', (c) => c.notNull().references('document_revisions.id'))
    .addColumn('document_id', 'integer', (c) => c.notNull().references('documents.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('acknowledged_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('document_acknowledgements_unique', ['revision_id', 'user_id'])
    .execute();
  await db.schema.createIndex('document_acknowledgements_user_idx').on('document_acknowledgements').columns(['user_id', 'document_id']).execute();

  await db.schema
    .createTable('document_reviews')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('document_id', 'integer', (c) => c.notNull().references('documents.id'))
    .addColumn('revision_id', 'integer', (c) => c.notNull().references('document_revisions.id'))
    .addColumn('reviewed_on', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('no_change')`))
    .addColumn('comment', 'text')
    .addColumn('reviewer_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('previous_due', 'text')
    .addColumn('next_review_due', 'text', (c) => c.notNull())
    .addColumn('signature_id', 'integer', (c) => c.notNull().references('e_signatures.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('document_reviews_document_idx').on('document_reviews').columns(['document_id', 'reviewed_on']).execute();
  await createTrigger(db, 'document_reviews_no_change', 'before update on document_reviews', refuse('reviews never change'));

  // The effective text of each document; columns hold diacritic-folded text (same length as the originals
  // kept beside them, so hits map back onto the original words). On PostgreSQL a plain table, searched through a
  // full-text index over the folded columns (core/db/dialect/search.ts).
  if (engineOf(db) === 'sqlite') {
    await sql`create virtual table documents_fts using fts5(
      document_id unindexed, code, title, body, title_text unindexed, body_text unindexed,
      tokenize = 'unicode61 remove_diacritics 2'
    )`.execute(db);
  } else {
    await sql`create table documents_fts (
      document_id integer not null, code text not null, title text not null, body text not null,
      title_text text not null, body_text text not null
    )`.execute(db);
    await sql`create index documents_fts_document_idx on documents_fts (document_id)`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists documents_fts`.execute(db);
  for (const trigger of [
    'document_reviews_no_change',
    'documents_no_delete',
    'document_revisions_no_delete',
    'document_revisions_new_draft',
    'document_revisions_workflow',
    'document_revisions_frozen',
  ]) {
    await dropTrigger(
      db,
      trigger,
      trigger.startsWith('document_revisions') ? 'document_revisions' : trigger === 'documents_no_delete' ? 'documents' : 'document_reviews',
    );
  }
  for (const table of ['document_reviews', 'document_acknowledgements', 'document_revisions', 'document_ack_units', 'documents', 'files']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

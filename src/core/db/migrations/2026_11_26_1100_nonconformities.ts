import { sql, type Kysely } from 'kysely';
import { isoDate, jsonOf } from '../dialect/ddl';

/**
 * Nonconformities (ISO 9001 clause 10.2) and their actions.
 * - nc_counters: one row per year, bumped inside the creating transaction, so NC-YYYY-NNN has no gaps.
 * - nc_status_history: every transition with its local date, so "open / closed at date D" stays answerable
 *   after reopening.
 * Document references point into the documents feature's tables (migration 2026_11_26_1000_documents).
 */
const NC_STATUSES = `'reported', 'open', 'analysed', 'action_plan', 'in_progress', 'awaiting_verification', 'closed', 'cancelled', 'rejected'`;
const DATE = (db: Kysely<any>, col: string) => isoDate(db, col);
const DATE_OR_NULL = (db: Kysely<any>, col: string) => sql`${sql.raw(col)} is null or ${isoDate(db, col)}`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('nc_counters')
    .addColumn('year', 'integer', (c) => c.primaryKey().check(sql`year between 1900 and 9999`))
    .addColumn('last_no', 'integer', (c) => c.notNull().check(sql`last_no >= 0`))
    .execute();

  await db.schema
    .createTable('nonconformities')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull().check(sql`seq >= 1`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`source in ('internal_audit', 'external_audit', 'complaint', 'process_monitoring', 'overdue_dossier', 'management_review', 'staff_report', 'other')`,
        ),
    )
    .addColumn('severity', 'text', (c) => c.notNull().check(sql`severity in ('major', 'minor')`))
    .addColumn('procedure_id', 'integer', (c) => c.references('procedures.id'))
    .addColumn('clause', 'text')
    .addColumn('document_id', 'integer', (c) => c.references('documents.id'))
    .addColumn('revision_id', 'integer', (c) => c.references('document_revisions.id'))
    .addColumn('revision_no', 'integer')
    .addColumn('detected_on', 'text', (c) => c.notNull().check(DATE(db, 'detected_on')))
    .addColumn('reported_by', 'integer', (c) => c.references('users.id'))
    .addColumn('responsible_unit_id', 'integer', (c) => c.references('units.id'))
    .addColumn('responsible_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql.raw(`status in (${NC_STATUSES})`)))
    .addColumn('root_cause', 'text')
    .addColumn('cause_category', 'text', (c) =>
      c.check(sql`cause_category is null or cause_category in ('people', 'method', 'document', 'equipment_it', 'environment', 'external')`),
    )
    .addColumn('whys', 'text', (c) =>
      c
        .notNull()
        .defaultTo('[]')
        .check(jsonOf(db, 'whys', 'array')),
    )
    .addColumn('analysed_on', 'text', (c) => c.check(DATE_OR_NULL(db, 'analysed_on')))
    .addColumn('repeat_of_id', 'integer', (c) => c.references('nonconformities.id'))
    .addColumn('opened_on', 'text', (c) => c.check(DATE_OR_NULL(db, 'opened_on')))
    .addColumn('verify_due_on', 'text', (c) => c.check(DATE_OR_NULL(db, 'verify_due_on')))
    .addColumn('closed_on', 'text', (c) => c.check(DATE_OR_NULL(db, 'closed_on')))
    .addColumn('cancelled_on', 'text', (c) => c.check(DATE_OR_NULL(db, 'cancelled_on')))
    .addColumn('status_reason', 'text')
    .addColumn('reopen_count', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`reopen_count >= 0`),
    )
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('nonconformities_year_seq_uq', ['year', 'seq'])
    .addCheckConstraint('nonconformities_repeat_not_self', sql`repeat_of_id is null or repeat_of_id <> id`)
    .addCheckConstraint('nonconformities_closed_has_date', sql`status <> 'closed' or closed_on is not null`)
    .execute();
  await db.schema.createIndex('nonconformities_status_idx').on('nonconformities').columns(['status', 'severity']).execute();
  await db.schema.createIndex('nonconformities_procedure_idx').on('nonconformities').columns(['procedure_id', 'detected_on']).execute();
  await db.schema.createIndex('nonconformities_repeat_idx').on('nonconformities').columns(['procedure_id', 'cause_category', 'detected_on']).execute();
  await db.schema.createIndex('nonconformities_unit_idx').on('nonconformities').column('responsible_unit_id').execute();
  await db.schema.createIndex('nonconformities_responsible_idx').on('nonconformities').column('responsible_user_id').execute();
  await db.schema.createIndex('nonconformities_reporter_idx').on('nonconformities').column('reported_by').execute();
  await db.schema.createIndex('nonconformities_detected_idx').on('nonconformities').column('detected_on').execute();

  await db.schema
    .createTable('nc_status_history')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('nonconformity_id', 'integer', (c) => c.notNull().references('nonconformities.id'))
    .addColumn('from_status', 'text', (c) => c.check(sql.raw(`from_status is null or from_status in (${NC_STATUSES})`)))
    .addColumn('to_status', 'text', (c) => c.notNull().check(sql.raw(`to_status in (${NC_STATUSES})`)))
    .addColumn('changed_on', 'text', (c) => c.notNull().check(DATE(db, 'changed_on')))
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .addColumn('changed_by', 'integer', (c) => c.references('users.id'))
    .addColumn('reason', 'text')
    .execute();
  await db.schema.createIndex('nc_status_history_nc_idx').on('nc_status_history').columns(['nonconformity_id', 'changed_on', 'id']).execute();
  await db.schema.createIndex('nc_status_history_to_idx').on('nc_status_history').columns(['to_status', 'changed_on']).execute();

  await db.schema
    .createTable('nc_corrections')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('nonconformity_id', 'integer', (c) => c.notNull().references('nonconformities.id'))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('done_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('done_on', 'text', (c) => c.notNull().check(DATE(db, 'done_on')))
    .addColumn('recorded_by', 'integer', (c) => c.references('users.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('nc_corrections_nc_idx').on('nc_corrections').column('nonconformity_id').execute();

  await db.schema
    .createTable('nc_verifications')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('nonconformity_id', 'integer', (c) => c.notNull().references('nonconformities.id'))
    .addColumn('result', 'text', (c) => c.notNull().check(sql`result in ('effective', 'not_effective')`))
    .addColumn('note', 'text', (c) => c.notNull().check(sql`length(trim(note)) > 0`))
    .addColumn('verified_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('verified_on', 'text', (c) => c.notNull().check(DATE(db, 'verified_on')))
    .addColumn('verified_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('nc_verifications_nc_idx').on('nc_verifications').column('nonconformity_id').execute();

  await db.schema
    .createTable('nc_actions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('nonconformity_id', 'integer', (c) => c.notNull().references('nonconformities.id'))
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('correction', 'corrective', 'preventive', 'improvement')`))
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .defaultTo('general')
        .check(sql`kind in ('general', 'revise_document')`),
    )
    .addColumn('document_id', 'integer', (c) => c.references('documents.id'))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('due_date', 'text', (c) => c.notNull().check(DATE(db, 'due_date')))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('planned')
        .check(sql`status in ('planned', 'in_progress', 'done', 'cancelled')`),
    )
    .addColumn('started_on', 'text', (c) => c.check(DATE_OR_NULL(db, 'started_on')))
    .addColumn('completed_on', 'text', (c) => c.check(DATE_OR_NULL(db, 'completed_on')))
    .addColumn('completed_by', 'integer', (c) => c.references('users.id'))
    .addColumn('completion_note', 'text')
    .addColumn('fixed_by_revision_id', 'integer', (c) => c.references('document_revisions.id'))
    .addColumn('fixed_by_revision_no', 'integer')
    .addColumn('cancelled_on', 'text', (c) => c.check(DATE_OR_NULL(db, 'cancelled_on')))
    .addColumn('cancel_reason', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('nc_actions_document_kind', sql`(kind = 'revise_document') = (document_id is not null)`)
    .addCheckConstraint('nc_actions_done_has_date', sql`status <> 'done' or completed_on is not null`)
    .addCheckConstraint('nc_actions_cancelled_has_reason', sql`status <> 'cancelled' or (cancelled_on is not null and cancel_reason is not null)`)
    .execute();
  await db.schema.createIndex('nc_actions_nc_idx').on('nc_actions').columns(['nonconformity_id', 'status']).execute();
  await db.schema.createIndex('nc_actions_owner_idx').on('nc_actions').columns(['owner_id', 'status', 'due_date']).execute();
  await db.schema.createIndex('nc_actions_due_idx').on('nc_actions').columns(['status', 'due_date']).execute();
  await db.schema.createIndex('nc_actions_document_idx').on('nc_actions').columns(['document_id', 'status']).execute();

  await db.schema
    .createTable('nc_action_notes')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('action_id', 'integer', (c) => c.notNull().references('nc_actions.id'))
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('author_id', 'integer', (c) => c.references('users.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('nc_action_notes_action_idx').on('nc_action_notes').column('action_id').execute();

  await db.schema
    .createTable('nc_action_files')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('action_id', 'integer', (c) => c.notNull().references('nc_actions.id'))
    .addColumn('sha256', 'text', (c) => c.notNull().references('files.sha256'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull().check(sql`size_bytes >= 0`))
    .addColumn('uploaded_by', 'integer', (c) => c.references('users.id'))
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('nc_action_files_action_idx').on('nc_action_files').column('action_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'nc_action_files',
    'nc_action_notes',
    'nc_actions',
    'nc_verifications',
    'nc_corrections',
    'nc_status_history',
    'nonconformities',
    'nc_counters',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

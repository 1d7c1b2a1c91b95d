import { sql, type Kysely } from 'kysely';
import { appendOnly, createTrigger, isoDate, refuse } from '../dialect/ddl';

/**
 * Internal audits as auditors do them (issue 27):
 * - `audit_questions`: the organisation's question library, per ISO 9001 clause, in Vietnamese and English, general
 *   or specific to one procedure. Edited by the quality officer; each edit is a new `revision`, kept whole in
 *   `audit_question_revisions` (append-only), so that a checklist item names the exact wording it was built from.
 *   Retired, never deleted.
 * - `audit_checklist_items` gains `question_id`/`question_revision` (the library question it came from) and
 *   `copied_from_item_id` (the item of the previous audit of the same scope it was copied from, whose finding the
 *   page shows beside it).
 * - `audits` gains the auditee's acknowledgement of the report (who, when, in whose name, a note) and the lead
 *   auditor's signature of the report is `report_signature_id` already.
 * - `training_records`: courses and qualifications of people (the internal-auditor course, ISO awareness…), with the
 *   date held, issuer, certificate number and file, and expiry. Cancelled with a reason, never deleted.
 * - `auditor_competences`: the matrix of who may audit which clauses (top-level or sub-clause numbers), granted on a
 *   date, revoked with a reason; at most one standing grant per person and clause.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_questions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('clause', 'text', (c) => c.notNull())
    /** Null: a question for every procedure; else one procedure's own question. */
    .addColumn('procedure_id', 'integer', (c) => c.references('procedures.id'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('text_vi', 'text', (c) => c.notNull().check(sql`length(text_vi) between 1 and 1000`))
    .addColumn('text_en', 'text', (c) => c.notNull().check(sql`length(text_en) <= 1000`))
    /** The question's published revision, 1 at creation, +1 at each edit of its wording or clause. */
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('active', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`active in (0, 1)`),
    )
    .addColumn('retired_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_questions_clause').on('audit_questions').columns(['organisation_id', 'clause', 'position']).execute();
  await createTrigger(db, 'audit_questions_no_delete', 'before delete on audit_questions', refuse('a library question is retired, never deleted'));

  await db.schema
    .createTable('audit_question_revisions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('question_id', 'integer', (c) => c.notNull().references('audit_questions.id'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('clause', 'text', (c) => c.notNull())
    .addColumn('procedure_id', 'integer', (c) => c.references('procedures.id'))
    .addColumn('text_vi', 'text', (c) => c.notNull())
    .addColumn('text_en', 'text', (c) => c.notNull())
    .addColumn('changed_by', 'integer', (c) => c.references('users.id'))
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addUniqueConstraint('audit_question_revisions_unique', ['question_id', 'revision'])
    .execute();
  await appendOnly(
    db,
    'audit_question_revisions',
    { update: 'audit_question_revisions_no_update', delete: 'audit_question_revisions_no_delete' },
    'a question revision is never changed',
  );

  await db.schema
    .alterTable('audit_checklist_items')
    .addColumn('question_id', 'integer', (c) => c.references('audit_questions.id'))
    .execute();
  await db.schema.alterTable('audit_checklist_items').addColumn('question_revision', 'integer').execute();
  await db.schema
    .alterTable('audit_checklist_items')
    .addColumn('copied_from_item_id', 'integer', (c) => c.references('audit_checklist_items.id'))
    .execute();

  await db.schema
    .alterTable('audits')
    .addColumn('auditee_ack_by', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema.alterTable('audits').addColumn('auditee_ack_at', 'text').execute();
  /** The name and position of the auditee's representative as printed (the user's own by default). */
  await db.schema
    .alterTable('audits')
    .addColumn('auditee_ack_name', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('audits')
    .addColumn('auditee_ack_note', 'text', (c) => c.notNull().defaultTo(''))
    .execute();

  await db.schema
    .createTable('training_records')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('internal_auditor', 'lead_auditor', 'iso_awareness', 'other')`))
    .addColumn('title', 'text', (c) => c.notNull().check(sql`length(title) between 1 and 300`))
    .addColumn('held_on', 'text', (c) => c.notNull().check(isoDate(db, 'held_on')))
    .addColumn('issuer', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('hours', 'integer', (c) => c.check(sql`hours between 0 and 1000`))
    .addColumn('certificate_no', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('certificate_sha256', 'text')
    .addColumn('certificate_name', 'text')
    /** Null: does not expire. */
    .addColumn('expires_on', 'text', (c) => c.check(isoDate(db, 'expires_on')))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('active')
        .check(sql`status in ('active', 'cancelled')`),
    )
    .addColumn('cancel_reason', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('training_records_user').on('training_records').columns(['organisation_id', 'user_id', 'held_on']).execute();
  await db.schema.createIndex('training_records_held').on('training_records').columns(['organisation_id', 'held_on']).execute();
  await createTrigger(db, 'training_records_no_delete', 'before delete on training_records', refuse('a training record is cancelled, never deleted'));

  await db.schema
    .createTable('auditor_competences')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('clause', 'text', (c) => c.notNull())
    .addColumn('granted_on', 'text', (c) => c.notNull().check(isoDate(db, 'granted_on')))
    .addColumn('granted_by', 'integer', (c) => c.references('users.id'))
    .addColumn('revoked_on', 'text', (c) => c.check(isoDate(db, 'revoked_on')))
    .addColumn('revoked_by', 'integer', (c) => c.references('users.id'))
    .addColumn('revoke_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('auditor_competences_standing')
    .on('auditor_competences')
    .columns(['user_id', 'clause'])
    .unique()
    .where(sql.ref('revoked_on'), 'is', null)
    .execute();
  await db.schema.createIndex('auditor_competences_org').on('auditor_competences').columns(['organisation_id', 'user_id']).execute();
  await createTrigger(db, 'auditor_competences_no_delete', 'before delete on auditor_competences', refuse('a competence is revoked, never deleted'));
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['auditor_competences', 'training_records', 'audit_question_revisions']) await db.schema.dropTable(table).execute();
  for (const column of ['question_id', 'question_revision', 'copied_from_item_id'])
    await db.schema.alterTable('audit_checklist_items').dropColumn(column).execute();
  for (const column of ['auditee_ack_by', 'auditee_ack_at', 'auditee_ack_name', 'auditee_ack_note'])
    await db.schema.alterTable('audits').dropColumn(column).execute();
  await db.schema.dropTable('audit_questions').execute();
}

import { sql, type Kysely } from 'kysely';
import { createTrigger, dropTrigger, isoDate, refuse } from '../dialect/ddl';

/**
 * The register of citizens' feedback and complaints (phản ánh, kiến nghị; issue 24, ISO 9001:2015 clause 9.1.2).
 * - `feedback`: one piece of feedback received at the counter, by phone, e-mail, the public-service portal, the
 *   satisfaction survey or otherwise — who sent it (optional), what it says, the procedure and dossier it is about, the
 *   date received and the legal deadline to answer, who answers it, the answer and its date, and the outcome: closed,
 *   or raised as a nonconformity (linked). Its code `PA-YYYY-NNN` is numbered per organisation and year of receipt by
 *   `feedback_counters`, bumped in the creating transaction (no gaps, no race). Life: open → answered → closed, or
 *   cancelled with a reason (not after closing, nor once raised as a nonconformity). A record is never deleted, and a
 *   closed or cancelled one never changes (triggers); corrections before that are audit-logged edits.
 * - `organisation.feedback_answer_days`: the working days the organisation gives itself to answer (default 10); the
 *   answer's deadline of a new record is that many working days after its receipt, and may be changed per record.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('organisation')
    .addColumn('feedback_answer_days', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(10)
        .check(sql`feedback_answer_days between 1 and 90`),
    )
    .execute();

  await db.schema
    .createTable('feedback_counters')
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('year', 'integer', (c) => c.notNull().check(sql`year between 1900 and 9999`))
    .addColumn('last_no', 'integer', (c) => c.notNull().check(sql`last_no >= 0`))
    .addPrimaryKeyConstraint('feedback_counters_pk', ['organisation_id', 'year'])
    .execute();

  await db.schema
    .createTable('feedback')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('counter', 'phone', 'email', 'portal', 'survey', 'other')`))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('feedback', 'recommendation', 'complaint')`))
    .addColumn('sender_name', 'text')
    .addColumn('sender_contact', 'text')
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('procedure_id', 'integer', (c) => c.references('procedures.id'))
    .addColumn('dossier_code', 'text')
    .addColumn('dossier_id', 'integer', (c) => c.references('dossiers.id'))
    .addColumn('unit_id', 'integer', (c) => c.references('units.id'))
    .addColumn('received_on', 'text', (c) => c.notNull().check(isoDate(db, 'received_on')))
    .addColumn('answer_due_on', 'text', (c) => c.notNull().check(isoDate(db, 'answer_due_on')))
    .addColumn('assignee_id', 'integer', (c) => c.references('users.id'))
    .addColumn('answer', 'text')
    .addColumn('answered_on', 'text', (c) => c.check(sql`answered_on is null or ${isoDate(db, 'answered_on')}`))
    .addColumn('answered_by', 'integer', (c) => c.references('users.id'))
    .addColumn('outcome', 'text', (c) => c.check(sql`outcome in ('closed', 'nonconformity')`))
    .addColumn('nonconformity_id', 'integer', (c) => c.references('nonconformities.id'))
    .addColumn('closed_at', 'text')
    .addColumn('closed_by', 'integer', (c) => c.references('users.id'))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('open')
        .check(sql`status in ('open', 'answered', 'closed', 'cancelled')`),
    )
    .addColumn('cancel_reason', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('cancelled_by', 'integer', (c) => c.references('users.id'))
    .addColumn('survey_response_id', 'integer', (c) => c.references('survey_responses.id'))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('feedback_due_after_received', sql`answer_due_on >= received_on`)
    .addCheckConstraint('feedback_answered_after_received', sql`answered_on is null or answered_on >= received_on`)
    .addCheckConstraint(
      'feedback_answer',
      sql`(answer is null) = (answered_on is null) and (answer is null) = (answered_by is null)
        and (status not in ('answered', 'closed') or answer is not null) and (status <> 'open' or answer is null)`,
    )
    .addCheckConstraint('feedback_nonconformity', sql`(outcome = 'nonconformity') = (nonconformity_id is not null)`)
    .addCheckConstraint(
      'feedback_closed',
      sql`(status = 'closed') = (closed_at is not null and closed_by is not null) and (status <> 'closed' or outcome is not null)
        and (outcome <> 'closed' or status = 'closed')`,
    )
    .addCheckConstraint(
      'feedback_cancelled',
      sql`(status = 'cancelled') = (cancel_reason is not null and cancelled_at is not null) and (status <> 'cancelled' or outcome is null)`,
    )
    .execute();
  await sql`create unique index feedback_code_uq on feedback (organisation_id, code)`.execute(db);
  await sql`create unique index feedback_survey_response_uq on feedback (survey_response_id) where survey_response_id is not null`.execute(db);
  await sql`create unique index feedback_nonconformity_uq on feedback (nonconformity_id) where nonconformity_id is not null`.execute(db);
  await sql`create index feedback_org_idx on feedback (organisation_id, received_on)`.execute(db);
  await sql`create index feedback_open_due_idx on feedback (organisation_id, status, answer_due_on)`.execute(db);
  await sql`create index feedback_assignee_idx on feedback (assignee_id, status)`.execute(db);
  await createTrigger(db, 'feedback_no_delete', 'before delete on feedback', refuse('a feedback record is never deleted: cancel it with a reason'));
  await createTrigger(
    db,
    'feedback_frozen',
    `before update on feedback when old.status in ('closed', 'cancelled')`,
    refuse('a closed or cancelled feedback record does not change'),
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropTrigger(db, 'feedback_frozen', 'feedback');
  await dropTrigger(db, 'feedback_no_delete', 'feedback');
  await db.schema.dropTable('feedback').ifExists().execute();
  await db.schema.dropTable('feedback_counters').ifExists().execute();
  await db.schema.alterTable('organisation').dropColumn('feedback_answer_days').execute();
}

import { sql, type Kysely } from 'kysely';
import { createTrigger, isoDate, jsonOf, refuse } from '../dialect/ddl';

/**
 * Reminders (issue 26): the in-app inbox, the e-mail outbox, people's and organisations' settings, and the record of
 * each day's reminder run.
 * - `notifications`: one row per thing that waits for one person (an action assigned, a document to acknowledge, a
 *   reminder before a due date…), written in the transaction of the change that causes it. `dedupe_key` is unique per
 *   person, so that a reminder computed twice (two processes, a re-run) is stored once. Read marks only change it.
 * - `outbox`: one row per e-mail, written in the same transaction as its notification; the sender claims a row with a
 *   lease, sends it with `idempotency_key` as its Message-ID, and records the SMTP answer. Never deleted.
 * - `notification_preferences`: per person, the language of their e-mails, immediate / weekly digest / no e-mail, and
 *   the kinds they do not want by e-mail.
 * - `notification_settings`: per organisation, the days before a due date to remind (`7,1`), the working days overdue
 *   after which the unit's leader is told, and the digest's weekday.
 * - `reminder_runs`: the days whose reminders have been computed, per organisation.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('link', 'text', (c) => c.notNull().check(sql`link like '/%' and link not like '//%'`))
    .addColumn('params', 'text', (c) =>
      c
        .notNull()
        .defaultTo('{}')
        .check(jsonOf(db, 'params', 'object')),
    )
    .addColumn('due_on', 'text', (c) => c.check(isoDate(db, 'due_on')))
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    /** When an e-mail for it was queued (immediately, or in a digest); null: none yet. */
    .addColumn('mailed_at', 'text')
    .addUniqueConstraint('notifications_dedupe', ['user_id', 'dedupe_key'])
    .execute();
  await db.schema.createIndex('notifications_user_read').on('notifications').columns(['user_id', 'read_at']).execute();
  await db.schema.createIndex('notifications_entity').on('notifications').columns(['organisation_id', 'entity', 'entity_id']).execute();
  await createTrigger(db, 'notifications_no_delete', 'before delete on notifications', refuse('a notification is never deleted'));

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('notification_id', 'integer', (c) => c.references('notifications.id'))
    /** `notice` (one notification), `digest` (the week's), `test` (an admin's test mail). */
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('notice', 'digest', 'test')`))
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull().check(sql`lang in ('vi', 'en')`))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text', (c) => c.notNull())
    /** Unique: the message's identity, sent as its Message-ID, so that no message is queued or sent as two. */
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending', 'sending', 'sent', 'failed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('smtp_response', 'text')
    /** 1 when a sender found it claimed by a sender that stopped before recording the answer, and sent it again. */
    .addColumn('possible_duplicate', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sent_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('outbox_organisation').on('outbox').columns(['organisation_id', 'id']).execute();
  await createTrigger(db, 'outbox_no_delete', 'before delete on outbox', refuse('an e-mail of the outbox is never deleted'));

  await db.schema
    .createTable('notification_preferences')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id'))
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('lang', 'text', (c) =>
      c
        .notNull()
        .defaultTo('vi')
        .check(sql`lang in ('vi', 'en')`),
    )
    .addColumn('email_mode', 'text', (c) =>
      c
        .notNull()
        .defaultTo('immediate')
        .check(sql`email_mode in ('immediate', 'digest', 'off')`),
    )
    /** JSON array of the notification kinds this person does not want by e-mail (the inbox shows them all). */
    .addColumn('muted_kinds', 'text', (c) =>
      c
        .notNull()
        .defaultTo('[]')
        .check(jsonOf(db, 'muted_kinds', 'array')),
    )
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('notification_settings')
    .addColumn('organisation_id', 'integer', (c) => c.primaryKey().references('organisation.id'))
    /** Days before a due date on which to remind, comma-separated, descending (`7,1`). */
    .addColumn('days_before', 'text', (c) => c.notNull().defaultTo('7,1'))
    /** Working days overdue after which the responsible unit's leader is told. */
    .addColumn('escalate_after_days', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(3)
        .check(sql`escalate_after_days between 1 and 60`),
    )
    /** ISO weekday of the weekly digest (1 = Monday … 7 = Sunday). */
    .addColumn('digest_weekday', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`digest_weekday between 1 and 7`),
    )
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('reminder_runs')
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('run_on', 'text', (c) => c.notNull().check(isoDate(db, 'run_on')))
    .addColumn('ran_at', 'text', (c) => c.notNull())
    .addColumn('notices', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('digests', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('reminder_runs_pk', ['organisation_id', 'run_on'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['reminder_runs', 'notification_settings', 'notification_preferences', 'outbox', 'notifications'])
    await db.schema.dropTable(table).execute();
}

import { sql, type Kysely } from 'kysely';
import { createTrigger, dropTrigger, refuse } from '../dialect/ddl';

/**
 * Signing on behalf and recipients per kind of document (issue 25; Nghị định 30/2020/NĐ-CP, Phụ lục I).
 * - `organisation_signers`: the people authorised to sign the organisation's printed documents, each with the position
 *   printed under the head's title and the way of signing: the head himself, `kt` (ký thay, a deputy for the head),
 *   `tl` (thừa lệnh), `tuq` (thừa ủy quyền) or `tm` (thay mặt a collective body). Optionally linked to a user: a
 *   document that user e-signs prints that way. Deactivated with a reason, never deleted (trigger).
 * - `organisation_recipients`: the "Nơi nhận" list of one kind of document, one row per organisation and kind; a kind
 *   without a row (or with an empty list) prints the general list of the settings.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('organisation_signers')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('position_title', 'text', (c) => c.notNull())
    .addColumn('way', 'text', (c) => c.notNull().check(sql`way in ('head', 'kt', 'tl', 'tuq', 'tm')`))
    .addColumn('active', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`active in (0, 1)`),
    )
    .addColumn('deactivate_reason', 'text')
    .addColumn('deactivated_at', 'text')
    .addColumn('deactivated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('organisation_signers_deactivated', sql`(active = 0) = (deactivate_reason is not null and deactivated_at is not null)`)
    .execute();
  await sql`create index organisation_signers_org_idx on organisation_signers (organisation_id, active)`.execute(db);
  // One active entry per user: a user's e-signature reads one way of signing.
  await sql`create unique index organisation_signers_user_uq on organisation_signers (organisation_id, user_id) where active = 1 and user_id is not null`.execute(
    db,
  );
  await createTrigger(
    db,
    'organisation_signers_no_delete',
    'before delete on organisation_signers',
    refuse('a signer is never deleted: deactivate it with a reason'),
  );

  await db.schema
    .createTable('organisation_recipients')
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('recipients', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('organisation_recipients_pk', ['organisation_id', 'kind'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('organisation_recipients').ifExists().execute();
  await dropTrigger(db, 'organisation_signers_no_delete', 'organisation_signers');
  await db.schema.dropTable('organisation_signers').ifExists().execute();
}

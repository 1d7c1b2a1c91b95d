import { sql, type Kysely } from 'kysely';
import { createTrigger, dropTrigger, refuse } from '../dialect/ddl';

/**
 * The audit log's keyed chain and the "ever initialised" marker (issue 19).
 * - audit_chain: one row, written by the app after migrating (core/audit-log/audit-chain.ts), saying from which row
 *   id the audit log is chained with HMAC-SHA256 under the key held outside the database, how many rows came before
 *   and the hash they ended on; it carries its own HMAC, so it cannot be moved without the key.
 * - qms_meta: facts about the database itself. 'initialised_at' is set by a trigger when the first user is created
 *   (set, for a database that already has users, here), and never removed: the one-time setup page is for a database
 *   that was never initialised, not for one whose users are gone.
 * - e_signatures.audit_anchor: the audit log's signed head (rows, last id, last hash) when the signature was made.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('qms_meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into qms_meta (key, value) select 'initialised_at', min(created_at) from users having count(*) > 0`.execute(db);
  await createTrigger(
    db,
    'users_mark_initialised',
    'after insert on users',
    "insert or ignore into qms_meta (key, value) values ('initialised_at', new.created_at);",
  );
  await createTrigger(db, 'qms_meta_no_delete', 'before delete on qms_meta', refuse('qms_meta rows cannot be deleted'));

  await db.schema
    .createTable('audit_chain')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('keyed_from', 'integer', (c) => c.notNull())
    .addColumn('rows_before', 'integer', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('mac', 'text', (c) => c.notNull())
    .execute();
  await createTrigger(db, 'audit_chain_no_update', 'before update on audit_chain', refuse('audit_chain cannot change'));
  await createTrigger(db, 'audit_chain_no_delete', 'before delete on audit_chain', refuse('audit_chain cannot change'));

  await db.schema.alterTable('e_signatures').addColumn('audit_anchor', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('e_signatures').dropColumn('audit_anchor').execute();
  await dropTrigger(db, 'audit_chain_no_delete', 'audit_chain');
  await dropTrigger(db, 'audit_chain_no_update', 'audit_chain');
  await db.schema.dropTable('audit_chain').ifExists().execute();
  await dropTrigger(db, 'qms_meta_no_delete', 'qms_meta');
  await dropTrigger(db, 'users_mark_initialised', 'users');
  await db.schema.dropTable('qms_meta').ifExists().execute();
}

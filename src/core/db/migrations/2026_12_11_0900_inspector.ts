import { sql, type Kysely } from 'kysely';
import { engineOf } from '../dialect/engine';
import { rebuildSqliteTable, withForeignKeysOff } from '../dialect/ddl';

/**
 * Organisations, oversight (issue 22):
 * - the role `inspector` (the Department of Science and Technology, Sở KH&CN): reads the QMS of the organisations
 *   under its own and changes nothing. The users' role check admits it (SQLite cannot alter a check: the table is
 *   rebuilt from its stored definition, rows, indexes and triggers kept).
 * - sessions.viewing_organisation_id: the organisation a session works in when its user chose another than their own
 *   (`?org=CODE`: an inspector or a parent organisation's admin reading an organisation under theirs, a successor's
 *   user reading a predecessor). Null: the user's own. Kept in the session so that every link of the pages read
 *   stays in that organisation; checked again on every request (core/http/session.ts).
 */
const ROLES_BEFORE = `'admin', 'quality_officer', 'leader', 'staff'`;
const ROLES_AFTER = `'admin', 'quality_officer', 'leader', 'staff', 'inspector'`;

async function setRoles(db: Kysely<any>, from: string, to: string): Promise<void> {
  if (engineOf(db) === 'sqlite') {
    await withForeignKeysOff(db, () => rebuildSqliteTable(db, 'users', [{ from: `role in (${from})`, to: `role in (${to})` }]));
  } else {
    await sql.raw(`alter table users drop constraint users_role_check`).execute(db);
    await sql.raw(`alter table users add constraint users_role_check check (role in (${to}))`).execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await setRoles(db, ROLES_BEFORE, ROLES_AFTER);
  await db.schema
    .alterTable('sessions')
    .addColumn('viewing_organisation_id', 'integer', (c) => c.references('organisation.id'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('viewing_organisation_id').execute();
  // an inspector cannot stay under the former check: it becomes an inactive staff account (a development rollback)
  await sql`delete from sessions where user_id in (select id from users where role = 'inspector')`.execute(db);
  await sql`update users set role = 'staff', active = 0 where role = 'inspector'`.execute(db);
  await setRoles(db, ROLES_AFTER, ROLES_BEFORE);
}

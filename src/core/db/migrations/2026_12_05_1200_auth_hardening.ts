import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

/**
 * Sign-in hardening (issue 19).
 * - users.must_change_password: 1 while the password is one an administrator set (a new account, a reset); every page
 *   but the change-password page sends such a user there, and setting their own password clears it.
 * - signing_keys: random keys the app signs with. One, 'anonymous_csrf', signs the CSRF token of the sign-in and
 *   setup forms, which are given to visitors without a session: kept in the database (not per process) so that a
 *   form stays valid across a restart and between processes. It protects nothing a copy of the database could
 *   unlock: anyone can get a signed token by opening the sign-in page.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('must_change_password', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`must_change_password in (0, 1)`),
    )
    .execute();
  await db.schema
    .createTable('signing_keys')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db
    .insertInto('signing_keys')
    .values({ name: 'anonymous_csrf', secret: randomBytes(32).toString('base64url'), created_at: new Date().toISOString() })
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('signing_keys').ifExists().execute();
  await db.schema.alterTable('users').dropColumn('must_change_password').execute();
}

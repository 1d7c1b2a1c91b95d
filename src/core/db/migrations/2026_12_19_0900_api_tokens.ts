import { sql, type Kysely } from 'kysely';
import { engineOf } from '../dialect/engine';
import { appendOnly, createTrigger, isoDate, rebuildSqliteTable, refuse, withForeignKeysOff } from '../dialect/ddl';

/**
 * The JSON API (issue 28):
 * - `api_tokens`: the tokens an admin issues for the systems around the office (the provincial one-stop system
 *   pushing dossiers, a scoreboard reading figures). Only the SHA-256 of the token is kept (`token_hash`; the token is
 *   256 random bits, so a slow hash adds nothing), with its first characters to recognise it (`prefix`), its scopes,
 *   its rate limit per minute and the last day it is valid (`expires_on`, the organisation's local date). Revoked with
 *   a reason, never deleted.
 * - `api_token_uses`: every request a token made (append-only): when, the method and path, and whether the rate limit
 *   refused it. It is also what the rate limit counts (the uses of the last minute).
 * - `dossier_imports.via` admits `api`: a push of dossiers through the API is written as an import (its history row
 *   names the token), as the files are.
 */
const VIA_BEFORE = `'upload', 'cli', 'demo'`;
const VIA_AFTER = `'upload', 'cli', 'demo', 'api'`;

/** Widens the check once: after a rollback (which keeps it wide) and up again, it admits 'api' already. */
async function admitApi(db: Kysely<any>): Promise<void> {
  if (engineOf(db) === 'sqlite') {
    const { rows } = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'dossier_imports'`.execute(db);
    if (rows[0]?.sql.includes(VIA_AFTER)) return;
    await withForeignKeysOff(db, () => rebuildSqliteTable(db, 'dossier_imports', [{ from: `via in (${VIA_BEFORE})`, to: `via in (${VIA_AFTER})` }]));
  } else {
    await sql.raw(`alter table dossier_imports drop constraint if exists dossier_imports_via_check`).execute(db);
    await sql.raw(`alter table dossier_imports add constraint dossier_imports_via_check check (via in (${VIA_AFTER}))`).execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 100`))
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) =>
      c
        .notNull()
        .unique()
        .check(sql`length(token_hash) = 64`),
    )
    /** Space-separated, sorted: dossiers:write, registers:read, reports:read. */
    .addColumn('scopes', 'text', (c) => c.notNull().check(sql`length(scopes) between 1 and 200`))
    .addColumn('rate_limit', 'integer', (c) => c.notNull().check(sql`rate_limit between 1 and 100000`))
    .addColumn('expires_on', 'text', (c) => c.notNull().check(isoDate(db, 'expires_on')))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by', 'integer', (c) => c.references('users.id'))
    .addColumn('revoke_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('api_tokens_organisation').on('api_tokens').columns(['organisation_id', 'id']).execute();
  await createTrigger(db, 'api_tokens_no_delete', 'before delete on api_tokens', refuse('an API token is revoked, never deleted'));

  await db.schema
    .createTable('api_token_uses')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisation.id'))
    .addColumn('token_id', 'integer', (c) => c.notNull().references('api_tokens.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    /** 1: refused by the rate limit (429); not counted towards the limit. */
    .addColumn('limited', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`limited in (0, 1)`),
    )
    .execute();
  await db.schema.createIndex('api_token_uses_token_at').on('api_token_uses').columns(['token_id', 'at']).execute();
  await appendOnly(db, 'api_token_uses', { update: 'api_token_uses_no_update', delete: 'api_token_uses_no_delete' }, 'the API use log is append-only');

  await admitApi(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // dossier_imports keeps admitting 'api': the pushes stay in the history as they were (nothing is rewritten by a rollback)
  await db.schema.dropTable('api_token_uses').execute();
  await db.schema.dropTable('api_tokens').execute();
}

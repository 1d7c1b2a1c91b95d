import { sql, type Kysely } from 'kysely';
import { engineOf } from '../dialect/engine';
import { rebuildSqliteTable, withForeignKeysOff } from '../dialect/ddl';

/**
 * One audit chain per organisation (issue 22): audit_chain, which held one row (where the keyed chain begins), may
 * hold a second, written by the app after migrating (core/audit-log/audit-chain.ts): the row from which each
 * organisation's entries are chained among themselves. Its id may now be 1 or 2. The rows stay append-only (their
 * triggers are kept). SQLite cannot alter a check: the table is rebuilt from its stored definition.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await setIds(db, '1, 2');
}

/**
 * Keeps the second row, and so the ids that allow it: rows chained per organisation stay verifiable only with it
 * (without it they would read as one chain, broken at the switch point). Undoing the migration changes nothing.
 */
export async function down(): Promise<void> {}

async function setIds(db: Kysely<any>, ids: string): Promise<void> {
  if (engineOf(db) === 'postgres') {
    await sql.raw('alter table audit_chain drop constraint audit_chain_id_check').execute(db);
    await sql.raw(`alter table audit_chain add constraint audit_chain_id_check check (id in (${ids}))`).execute(db);
    return;
  }
  const stored = (await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'audit_chain'`.execute(db)).rows[0].sql;
  const check = /check \(id (= 1|in \(1, 2\))\)/.exec(stored)?.[0];
  if (!check) throw new Error(`audit_chain: unexpected definition ${stored}`);
  await withForeignKeysOff(db, () => rebuildSqliteTable(db, 'audit_chain', [{ from: check, to: `check (id in (${ids}))` }]));
}

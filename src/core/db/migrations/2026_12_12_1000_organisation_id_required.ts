import { sql, type Kysely } from 'kysely';
import { engineOf } from '../dialect/engine';
import { rebuildSqliteTable, withForeignKeysOff } from '../dialect/ddl';

/**
 * Organisations (issue 22): `organisation_id` loses its transitional default 1 on every table of an organisation's
 * data. Every writer names the organisation (its handle's scope, core/db/scope.ts); a row written without one is
 * now refused by the database (NOT NULL) instead of landing silently in the first organisation.
 * PostgreSQL drops the default in place; SQLite cannot alter a column, so each table is rebuilt from its stored
 * definition with the default removed (its rows, indexes and triggers kept; foreign keys checked before COMMIT).
 */
const WITH_DEFAULT = `"organisation_id" integer default 1 not null references "organisation" ("id")`;
const WITHOUT_DEFAULT = `"organisation_id" integer not null references "organisation" ("id")`;

async function tablesWith(db: Kysely<any>, column: string): Promise<string[]> {
  if (engineOf(db) === 'postgres')
    return (
      await sql<{ name: string }>`select table_name as name from information_schema.columns
        where table_schema = current_schema() and column_name = 'organisation_id' and column_default = ${column}`.execute(db)
    ).rows.map((r) => r.name);
  return (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and instr(sql, ${column}) > 0 order by name`.execute(db)).rows.map(
    (r) => r.name,
  );
}

export async function up(db: Kysely<any>): Promise<void> {
  if (engineOf(db) === 'postgres') {
    for (const table of await tablesWith(db, '1')) await sql.raw(`alter table ${table} alter column organisation_id drop default`).execute(db);
    return;
  }
  const tables = await tablesWith(db, WITH_DEFAULT);
  await withForeignKeysOff(db, async () => {
    for (const table of tables) await rebuildSqliteTable(db, table, [{ from: WITH_DEFAULT, to: WITHOUT_DEFAULT }]);
  });
}

/** The tables of the organisations' migration (2026_12_10_0900_organisations) and later ones get their default back. */
export async function down(db: Kysely<any>): Promise<void> {
  if (engineOf(db) === 'postgres') {
    const tables = (
      await sql<{ name: string }>`select table_name as name from information_schema.columns
        where table_schema = current_schema() and column_name = 'organisation_id' and column_default is null and is_nullable = 'NO'
          and table_name not in ('overview_counts', 'nc_register_counts', 'open_action_due_counts')`.execute(db)
    ).rows.map((r) => r.name);
    for (const table of tables) await sql.raw(`alter table ${table} alter column organisation_id set default 1`).execute(db);
    return;
  }
  const tables = await tablesWith(db, WITHOUT_DEFAULT);
  await withForeignKeysOff(db, async () => {
    for (const table of tables) await rebuildSqliteTable(db, table, [{ from: WITHOUT_DEFAULT, to: WITH_DEFAULT }]);
  });
}

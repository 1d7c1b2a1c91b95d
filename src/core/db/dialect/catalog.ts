import { CompiledQuery, type DatabaseConnection, type Kysely } from 'kysely';
import { engineOf, sqliteHandleOf, type Engine } from './engine';

/**
 * What the schema holds, asked the way each engine answers it: SQLite's sqlite_master and pragma_table_info,
 * PostgreSQL's catalog (tables and columns of the current schema). For code that must work on a database that is not
 * migrated yet, or was migrated by an older version (the audit log's verification, its head file).
 */

/** Runs one statement on a connection and gives its rows (the database driver's connection before commit). */
export type RunQuery = (sql: string, parameters: readonly unknown[]) => Promise<readonly Record<string, unknown>[]>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any database or transaction, whatever its schema
type AnyDb = Kysely<any>;

/** Statements on a Kysely database or transaction, as a RunQuery. */
export const runQueryOn =
  (db: AnyDb): RunQuery =>
  async (sql, parameters) =>
    (await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(sql, [...parameters]))).rows;

/** Statements on a driver's connection (inside its commitTransaction), as a RunQuery. */
export const runQueryOnConnection =
  (connection: DatabaseConnection): RunQuery =>
  async (sql, parameters) =>
    (await connection.executeQuery<Record<string, unknown>>(CompiledQuery.raw(sql, [...parameters]))).rows;

const TABLE_SQL: Record<Engine, string> = {
  sqlite: "select 1 as present from sqlite_master where type = 'table' and name = ?",
  // pg_tables rather than information_schema.tables: the head file asks it at every commit, and the latter is a slow view
  postgres: 'select 1 as present from pg_catalog.pg_tables where schemaname = current_schema() and tablename = $1',
};

const COLUMN_SQL: Record<Engine, string> = {
  sqlite: 'select 1 as present from pragma_table_info(?) where name = ?',
  postgres: 'select 1 as present from information_schema.columns where table_schema = current_schema() and table_name = $1 and column_name = $2',
};

/** Whether the table exists, through a connection of the given engine (never fails: safe inside a PostgreSQL transaction). */
export async function tableExists(engine: Engine, run: RunQuery, name: string): Promise<boolean> {
  return (await run(TABLE_SQL[engine], [name])).length > 0;
}

export async function hasTable(db: AnyDb, name: string): Promise<boolean> {
  return tableExists(engineOf(db), runQueryOn(db), name);
}

export async function hasColumn(db: AnyDb, table: string, column: string): Promise<boolean> {
  return (await runQueryOn(db)(COLUMN_SQL[engineOf(db)], [table, column])).length > 0;
}

/** The file a SQLite database lives in; undefined for an in-memory SQLite database and for PostgreSQL. */
export function databaseFileOf(db: AnyDb): string | undefined {
  if (engineOf(db) !== 'sqlite') return undefined;
  let handle;
  try {
    handle = sqliteHandleOf(db);
  } catch {
    return undefined; // a Kysely made without openDatabase
  }
  return handle.memory || !handle.name ? undefined : handle.name;
}

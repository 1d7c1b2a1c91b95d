import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, type DatabaseConnection, type SqliteDatabase } from 'kysely';
import type { DB } from './schema';

export type Db = Kysely<DB>;
export type RawSqlite = Database.Database;

/** SQLite driver whose transactions take the write lock at once (BEGIN IMMEDIATE), so two processes never deadlock. */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * The connection Kysely sees: the same better-sqlite3 database, with its prepared statements kept by SQL text.
 * Kysely prepares every statement it runs; a page runs the same few dozen statements again and again, and
 * preparing costs about as much as running a small indexed query. Statements are reusable (Kysely never streams
 * here), SQLite re-prepares them itself after a schema change, and close() finalizes them all.
 */
const STATEMENT_CACHE_SIZE = 500;
const statementCaches = new WeakMap<RawSqlite, Map<string, Database.Statement>>();

/** Drops the kept statements of a connection, so the next statements are prepared again (tests that watch `prepare`). */
export function forgetPreparedStatements(sqlite: RawSqlite): void {
  statementCaches.get(sqlite)?.clear();
}

/** The connection's kept statement for this SQL text, prepared on first use. */
function keptStatement(sqlite: RawSqlite, sql: string): Database.Statement {
  let cache = statementCaches.get(sqlite);
  if (!cache) statementCaches.set(sqlite, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) {
    statement = sqlite.prepare(sql);
    if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
    cache.set(sql, statement);
  }
  return statement;
}

function withStatementCache(sqlite: RawSqlite): SqliteDatabase {
  return { close: () => sqlite.close(), prepare: (sql: string) => keptStatement(sqlite, sql) };
}

class ImmediateSqliteDialect extends SqliteDialect {
  private readonly database: SqliteDatabase;
  constructor(sqlite: RawSqlite) {
    const database = withStatementCache(sqlite);
    super({ database });
    this.database = database;
  }
  override createDriver() {
    return new ImmediateSqliteDriver({ database: this.database });
  }
}

export interface OpenedDatabase {
  db: Db;
  sqlite: RawSqlite;
  close: () => Promise<void>;
}

/**
 * Opens the database with the pragmas every connection needs and checks that they took:
 * SQLite silently reports synchronous=NORMAL when reopening a WAL file unless it is set again.
 */
export function openDatabase(path: string, options: { quickCheck?: boolean; readonly?: boolean } = {}): OpenedDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path, { readonly: options.readonly ?? false });
  sqlite.pragma('busy_timeout = 10000');
  if (!options.readonly) {
    const mode = sqlite.pragma('journal_mode = WAL', { simple: true });
    if (path !== ':memory:' && String(mode).toLowerCase() !== 'wal') throw new Error(`journal_mode is ${String(mode)}, expected wal`);
  }
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  const synchronous = sqlite.pragma('synchronous', { simple: true });
  if (synchronous !== 2) throw new Error(`synchronous is ${String(synchronous)}, expected FULL (2)`);
  if (sqlite.pragma('foreign_keys', { simple: true }) !== 1) throw new Error('foreign_keys could not be enabled');
  if (options.quickCheck) {
    const result = sqlite.pragma('quick_check', { simple: true });
    if (result !== 'ok') throw new Error(`quick_check failed: ${String(result)}`);
  }
  const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect(sqlite) });
  return {
    db,
    sqlite,
    async close() {
      await db.destroy();
      if (sqlite.open) sqlite.close();
    },
  };
}

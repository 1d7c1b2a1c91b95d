import Database from 'better-sqlite3';
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, type DatabaseConnection, type SqliteDatabase, type SqliteDialectConfig } from 'kysely';
import { HeadPublisher } from '../audit-log/audit-anchor';
import { defaultAuditKeyFile, fsyncFolder, loadAuditKey, memoryAuditKey, readAuditKey, type AuditKey } from '../audit-log/audit-key';
import { registerHeadFile } from '../audit-log/audit-verify';
import type { Config } from '../../config';
import { runQueryOnConnection } from './dialect/catalog';
import { EnginePlugin } from './dialect/engine';
import type { DB } from './schema';

export type Db = Kysely<DB>;
export type RawSqlite = Database.Database;

/**
 * SQLite driver whose transactions take the write lock at once (BEGIN IMMEDIATE), so two processes never deadlock.
 * A transaction that added audit rows has the new head of the audit log written to the head file once committed.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  constructor(
    config: SqliteDialectConfig,
    private readonly heads: HeadPublisher | undefined,
    private readonly sqlite: RawSqlite,
  ) {
    super(config);
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    this.heads?.forgetRecorded();
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  /**
   * SQLite may already have rolled the transaction back itself (SQLITE_FULL, SQLITE_IOERR): a second rollback would
   * throw "cannot rollback - no transaction is active" and hide the error that caused it.
   */
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    this.heads?.forgetRecorded();
    if (!this.sqlite.inTransaction) return;
    await super.rollbackTransaction(connection);
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.heads) return super.commitTransaction(connection);
    const run = runQueryOnConnection(connection);
    const head = await this.heads.capture(run);
    await super.commitTransaction(connection);
    if (head) await this.heads.publish(head, run);
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
  constructor(
    private readonly sqlite: RawSqlite,
    private readonly heads: HeadPublisher | undefined,
  ) {
    const database = withStatementCache(sqlite);
    super({ database });
    this.database = database;
  }
  override createDriver() {
    return new ImmediateSqliteDriver({ database: this.database }, this.heads, this.sqlite);
  }
}

export interface OpenedDatabase {
  db: Db;
  sqlite: RawSqlite;
  /** The audit-log key given to the connection (undefined only for a read-only connection without a key file). */
  auditKey: AuditKey | undefined;
  close: () => Promise<void>;
}

export interface OpenOptions {
  quickCheck?: boolean;
  readonly?: boolean;
  /** Create a new database even in an existing file that holds none (QMS_CREATE_DATABASE=1). */
  create?: boolean;
  /** The audit key's file (config.auditKeyFile); default `audit.key` in the database's folder. Created when missing. */
  auditKeyFile?: string;
  /** The audit log's head file (config.auditHeadFile); default `<path>.audit-head`; null: none (a staging copy). */
  auditHeadFile?: string | null;
}

/** The options every process opening the configured database passes (server, CLI, import workers). */
export function databaseOptions(config: Config): Pick<OpenOptions, 'create' | 'auditKeyFile' | 'auditHeadFile'> {
  return { create: config.createDatabase, auditKeyFile: config.auditKeyFile, auditHeadFile: config.auditHeadFile };
}

/** SQLite's application_id of a qms-tracker database ("QMS1"): a file that carries it was made by this app. */
export const QMS_APPLICATION_ID = 0x514d5331;

/** The audit key of a database opened here (migrateToLatest records the keyed chain's switch point with it). */
export { auditKeyOfDb } from './dialect/engine';

/**
 * A new database file, made whole before it appears: created under a temporary name with the application id, then
 * linked into place. So a file at `path` is either absent or a database this app made, never a 0-byte file left by
 * a crash at the first start (which the next start would refuse, below).
 */
function createDatabaseFile(path: string): void {
  const tmp = `${path}.new-${process.pid}`;
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${tmp}${suffix}`, { force: true });
  const fresh = new Database(tmp);
  fresh.pragma(`application_id = ${QMS_APPLICATION_ID}`);
  fresh.close();
  const fd = openSync(tmp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // another process made it first
  } finally {
    rmSync(tmp, { force: true });
  }
  fsyncFolder(dirname(path));
}

/**
 * Refuses a file that exists but holds no database of this app: 0 bytes, or no table and not our application id
 * (a copy or a restore that did not finish, a wrong DATABASE_PATH). Creating the schema there would open the
 * one-time setup page on what was someone's database. `create` (QMS_CREATE_DATABASE=1) overrides it.
 */
function checkDatabaseFile(sqlite: RawSqlite, path: string, options: OpenOptions): void {
  const applicationId = Number(sqlite.pragma('application_id', { simple: true }));
  const tables = (sqlite.prepare("select count(*) as n from sqlite_master where type = 'table'").get() as { n: number }).n;
  if (applicationId !== 0 && applicationId !== QMS_APPLICATION_ID)
    throw new Error(`${path} is not a qms-tracker database (SQLite application_id ${applicationId})`);
  if (tables === 0 && applicationId !== QMS_APPLICATION_ID) {
    if (!options.create || options.readonly) {
      const what = statSync(path).size === 0 ? 'is empty (0 bytes)' : 'holds no tables';
      throw new Error(
        `${path} exists but ${what}: it is not a qms-tracker database, or a copy or restore of one did not finish. ` +
          'Restore a backup (npm run qms -- restore FILE), or set QMS_CREATE_DATABASE=1 to create a new, empty database in this file',
      );
    }
  }
  if (applicationId === 0 && !options.readonly) sqlite.pragma(`application_id = ${QMS_APPLICATION_ID}`);
}

/**
 * The key id the database's audit log is keyed with (its audit_chain row), read before the Kysely instance exists
 * (the instance carries the key), or undefined for a database not keyed yet.
 */
function keyedWith(sqlite: RawSqlite): string | undefined {
  if (!sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = 'audit_chain'").get()) return undefined;
  return (sqlite.prepare('select key_id from audit_chain where id = 1').get() as { key_id: string } | undefined)?.key_id;
}

/**
 * A Kysely over a better-sqlite3 handle opened elsewhere (a backup file read-only), for the audit log's checks: no
 * head file is kept, `auditKey` is the key its audit rows would be recorded with. Destroying it leaves the handle open.
 */
export function kyselyOver(sqlite: RawSqlite, auditKey?: AuditKey): Db {
  const database: SqliteDatabase = { close: () => undefined, prepare: (sql: string) => sqlite.prepare(sql) };
  return new Kysely<DB>({ dialect: new SqliteDialect({ database }), plugins: [new EnginePlugin('sqlite', sqlite, auditKey)] });
}

/**
 * Opens the database with the pragmas every connection needs and checks that they took:
 * SQLite silently reports synchronous=NORMAL when reopening a WAL file unless it is set again.
 * A missing file is created (whole, with the app's application id); an existing file that holds no database is
 * refused unless `create`. The connection gets the audit key (created beside the database on first start) and,
 * unless read-only, keeps the audit log's head file up to date.
 */
export function openDatabase(path: string, options: OpenOptions = {}): OpenedDatabase {
  const memory = path === ':memory:';
  if (!memory && !options.readonly) {
    mkdirSync(dirname(path), { recursive: true });
    if (!existsSync(path)) createDatabaseFile(path);
  }
  const sqlite = new Database(path, { readonly: options.readonly ?? false });
  try {
    sqlite.pragma('busy_timeout = 10000');
    if (!memory) checkDatabaseFile(sqlite, path, options);
    if (!options.readonly) {
      const mode = sqlite.pragma('journal_mode = WAL', { simple: true });
      if (!memory && String(mode).toLowerCase() !== 'wal') throw new Error(`journal_mode is ${String(mode)}, expected wal`);
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
  } catch (err) {
    sqlite.close();
    throw err;
  }
  const keyFile = options.auditKeyFile ?? (memory ? undefined : defaultAuditKeyFile(path));
  let auditKey: AuditKey | undefined;
  try {
    auditKey = memory ? memoryAuditKey() : options.readonly ? readAuditKey(keyFile!) : loadAuditKey(keyFile!, keyedWith(sqlite));
  } catch (err) {
    sqlite.close();
    throw err;
  }
  const headFile = memory ? null : options.auditHeadFile === undefined ? `${path}.audit-head` : options.auditHeadFile;
  const heads = auditKey && headFile && !options.readonly ? new HeadPublisher('sqlite', auditKey, headFile, path) : undefined;
  const engine = new EnginePlugin('sqlite', sqlite, auditKey);
  engine.auditRows = heads;
  const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect(sqlite, heads), plugins: [engine] });
  registerHeadFile(db, headFile);
  return {
    db,
    sqlite,
    auditKey,
    async close() {
      await db.destroy();
      if (sqlite.open) sqlite.close();
    },
  };
}

import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CompiledQuery, Migrator, sql, type Kysely } from 'kysely';
import { kyselyOver, openDatabase, type Db } from '../../src/core/db/database';
import { addDays, boolInt, createTrigger, greatest, isoDate, jsonOf } from '../../src/core/db/dialect/ddl';
import { MIGRATIONS } from '../../src/core/db/migrations/index';
import { openPostgresKysely } from '../../src/core/db/postgres';

/**
 * Which engine the database tests run on. `npm test` runs them on SQLite; with TEST_DATABASE_URL (a PostgreSQL
 * server where the URL's role may create databases) vitest's `postgres` project runs them again on PostgreSQL
 * (QMS_TEST_ENGINE=postgres, set by vitest.config.ts), each test app on a database of its own.
 */
export const TEST_ENGINE: 'sqlite' | 'postgres' = process.env.QMS_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
export const onPostgres = TEST_ENGINE === 'postgres';

function serverUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('QMS_TEST_ENGINE=postgres needs TEST_DATABASE_URL');
  return url;
}

/** The URL of database `name` on the test server. */
export function databaseUrl(name: string): string {
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** The migrated, empty template the test databases are copied from; named for the migrations' code (and their helpers'). */
const migrationsText = Object.keys(MIGRATIONS)
  .sort()
  .map((name) => `${name}\n${MIGRATIONS[name].up.toString()}`)
  .join('\n');
const helpersText = [createTrigger, isoDate, jsonOf, addDays, greatest, boolInt].map((f) => f.toString()).join('\n');
const TEMPLATE = `qms_test_tpl_${createHash('sha256').update(migrationsText).update(helpersText).digest('hex').slice(0, 12)}`;
let templateReady: Promise<void> | undefined;

async function withServer<T>(fn: (db: Kysely<unknown>) => Promise<T>): Promise<T> {
  const { db } = openPostgresKysely(serverUrl(), { poolSize: 1 });
  try {
    return await fn(db as unknown as Kysely<unknown>);
  } finally {
    await db.destroy();
  }
}

/** Drops the test databases of test processes that have ended (a spare copy each, or all of a process killed). */
async function dropLeftovers(server: Kysely<unknown>): Promise<void> {
  const found = await sql<{ datname: string }>`select datname from pg_database where datname like 'qms\_t\_%'`.execute(server);
  for (const { datname } of found.rows) {
    const pid = Number(/^qms_t_(\d+)_/.exec(datname)?.[1]);
    if (!Number.isSafeInteger(pid) || pidAlive(pid)) continue;
    await sql.raw(`drop database if exists ${datname} with (force)`).execute(server);
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates the template once for all test processes (a session advisory lock orders them). */
function ensureTemplate(): Promise<void> {
  templateReady ??= withServer(async (server) => {
    await sql`select pg_advisory_lock(7301)`.execute(server);
    try {
      await dropLeftovers(server);
      const found = await sql`select 1 from pg_database where datname = ${TEMPLATE}`.execute(server);
      if (found.rows.length > 0) return;
      const building = `${TEMPLATE}_new`;
      await sql.raw(`drop database if exists ${building} with (force)`).execute(server);
      await sql.raw(`create database ${building}`).execute(server);
      const { db } = openPostgresKysely(databaseUrl(building), { poolSize: 1 });
      try {
        const result = await new Migrator({ db, provider: { getMigrations: async () => ({ ...MIGRATIONS }) } }).migrateToLatest();
        if (result.error) throw result.error instanceof Error ? result.error : new Error(String(result.error));
      } finally {
        await db.destroy();
      }
      await sql.raw(`alter database ${building} rename to ${TEMPLATE}`).execute(server);
    } finally {
      await sql`select pg_advisory_unlock(7301)`.execute(server);
    }
  });
  return templateReady;
}

/**
 * SQLite's counterpart of the template: every migration applied once per test process into a file, which each test
 * app then copies (a millisecond) instead of migrating its own (a second: 62 migrations, each statement committed
 * with a full sync). Built like the PostgreSQL template, through the Migrator without an audit key, so that the copy's
 * own migrateToLatest keys it with its own key. The migrations themselves run for real in test/foundation/database.
 */
let sqliteTemplate: Promise<string> | undefined;

async function buildSqliteTemplate(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'qms-test-tpl-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, `${TEMPLATE}.sqlite`);
  const building = `${file}.new`;
  // created whole, with the app's application id and WAL, as the app creates a new database
  openDatabase(building, { auditKeyFile: join(dir, 'audit.key'), auditHeadFile: null }).sqlite.close();
  const sqlite = new Database(building);
  try {
    sqlite.pragma('synchronous = OFF'); // a throw-away copy source, rebuilt when lost
    sqlite.pragma('foreign_keys = ON');
    const db = kyselyOver(sqlite);
    const result = await new Migrator({ db, provider: { getMigrations: async () => ({ ...MIGRATIONS }) }, allowUnorderedMigrations: true }).migrateToLatest();
    if (result.error) throw result.error instanceof Error ? result.error : new Error(String(result.error));
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    sqlite.close();
  }
  renameSync(building, file);
  return file;
}

/** Writes a migrated, empty SQLite database to `path` (a new file), as migrateToLatest would leave it before keying. */
export async function freshSqliteFile(path: string): Promise<void> {
  let file = await (sqliteTemplate ??= buildSqliteTemplate());
  if (!existsSync(file)) file = await (sqliteTemplate = buildSqliteTemplate()); // a test cleaned the temporary folder
  mkdirSync(dirname(path), { recursive: true });
  copyFileSync(file, path);
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A new database on the test server, copied from `template` (or empty without one), dropped by `drop()`. */
async function createDatabase(template: string | undefined): Promise<TestDatabase> {
  const name = `qms_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withServer((server) => sql.raw(`create database ${name}${template ? ` template ${template}` : ''}`).execute(server));
  return {
    url: databaseUrl(name),
    name,
    drop: () => withServer((server) => sql.raw(`drop database if exists ${name} with (force)`).execute(server)).then(() => undefined),
  };
}

/**
 * The next copy of the template, made while the test that took the previous one runs: copying takes a PostgreSQL
 * server a few hundred milliseconds, which most test apps would otherwise wait for. The one left when the process
 * ends is dropped with the other leftovers of ended processes (dropLeftovers).
 */
let spare: Promise<TestDatabase> | undefined;

/** A new database holding every migration and no data (a copy of the template, or of `from`), dropped by `drop()`. */
export async function freshPostgresDatabase(from?: string): Promise<TestDatabase> {
  if (from) return createDatabase(from);
  await ensureTemplate();
  const next = spare ?? createDatabase(TEMPLATE);
  spare = createDatabase(TEMPLATE);
  spare.catch(() => undefined); // reported by the test that takes it
  return next;
}

/** SQL written with `?` placeholders (as for SQLite), numbered for PostgreSQL ($1, $2…); quoted text is left alone. */
export function placeholders(text: string): string {
  if (!onPostgres) return text;
  let n = 0;
  return text.replace(/'(?:[^']|'')*'|\?/g, (m) => (m === '?' ? `$${++n}` : m));
}

/** Rows of a statement, for assertions on what was stored (either engine). */
export async function query<T>(db: Db, text: string, params: unknown[]): Promise<{ rows: T[]; changes: number }> {
  const result = await db.executeQuery<T>(CompiledQuery.raw(placeholders(text), params));
  return { rows: result.rows, changes: Number(result.numAffectedRows ?? 0n) };
}

/** A new database with nothing in it (not even the migrations), dropped by `drop()`: a target for db:copy. */
export function emptyPostgresDatabase(): Promise<TestDatabase> {
  return createDatabase(undefined);
}

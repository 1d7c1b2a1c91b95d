import { sql } from 'kysely';
import { readEpoch } from '../audit-log/audit-chain';
import { loadAuditKey, readAuditKey, type AuditKey } from '../audit-log/audit-key';
import type { Config } from '../../config';
import { databaseOptions, openDatabase, type Db, type RawSqlite } from './database';
import { pluginOf, type Engine } from './dialect/engine';
import { openPostgresKysely } from './postgres';
import { HeadPublisher } from '../audit-log/audit-anchor';
import { registerHeadFile } from '../audit-log/audit-verify';

/** The database a URL names, without its password (written into the audit head file). */
function databaseName(url: string): string {
  const u = new URL(url);
  u.password = '';
  return u.toString();
}

/** A database opened for the app or the CLI, on either engine. */
export interface Opened {
  db: Db;
  engine: Engine;
  /** The better-sqlite3 handle (SQLite only; for core/db/dialect/ and the SQLite maintenance commands). */
  sqlite: RawSqlite | undefined;
  auditKey: AuditKey | undefined;
  close(this: void): Promise<void>;
}

export interface OpenConfiguredOptions {
  quickCheck?: boolean;
  readonly?: boolean;
}

/**
 * The audit key of a PostgreSQL database: from its file (AUDIT_KEY_FILE; every app process must be given the same
 * file), created on first start when the database's audit log is not keyed yet. As on SQLite, a keyed database
 * whose key file is missing or holds another key is refused.
 */
async function postgresAuditKey(db: Db, file: string): Promise<AuditKey> {
  return loadAuditKey(file, (await readEpoch(db))?.key_id);
}

/** What code holding only the handle needs of the configuration (core/db/dialect/engine.ts deploymentOf). */
function setDeployment(db: Db, config: Config): void {
  const plugin = pluginOf(db);
  if (plugin) plugin.deployment = { mailEnabled: config.smtpUrl !== undefined, publicUrl: config.publicUrl };
}

/** Opens the configured database: PostgreSQL when DATABASE_URL is set, else SQLite at DATABASE_PATH. */
export async function openConfiguredDatabase(config: Config, options: OpenConfiguredOptions = {}): Promise<Opened> {
  if (!config.databaseUrl) {
    const opened = openDatabase(config.databasePath, { ...options, ...databaseOptions(config) });
    setDeployment(opened.db, config);
    return { ...opened, engine: 'sqlite' };
  }
  const probe = openPostgresKysely(config.databaseUrl, { poolSize: 1 });
  let auditKey: AuditKey | undefined;
  try {
    await sql`select 1`.execute(probe.db);
    auditKey = options.readonly ? readAuditKey(config.auditKeyFile) : await postgresAuditKey(probe.db, config.auditKeyFile);
  } finally {
    await probe.db.destroy();
  }
  const heads = auditKey && !options.readonly ? new HeadPublisher('postgres', auditKey, config.auditHeadFile, databaseName(config.databaseUrl)) : undefined;
  const { db } = openPostgresKysely(config.databaseUrl, { auditKey, heads });
  registerHeadFile(db, config.auditHeadFile);
  setDeployment(db, config);
  return { db, engine: 'postgres', sqlite: undefined, auditKey, close: () => db.destroy() };
}

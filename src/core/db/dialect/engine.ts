import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type Database from 'better-sqlite3';
import type { AuditKey } from '../../audit-log/audit-key';

/** The two database engines: SQLite (one office, one file) and PostgreSQL (a province, several app processes). */
export type Engine = 'sqlite' | 'postgres';

/**
 * What a Kysely instance runs on, carried as a plugin that changes nothing: Kysely hands its plugins on to every
 * transaction it opens, so `engineOf(trx)` works inside `db.transaction().execute(trx => …)` as on `db` itself.
 * The better-sqlite3 handle is kept here for the SQLite dialect modules only (synchronous calls live nowhere else).
 */
export class EnginePlugin implements KyselyPlugin {
  constructor(
    readonly engine: Engine,
    readonly sqlite: Database.Database | undefined,
    readonly auditKey: AuditKey | undefined,
  ) {}
  /** PostgreSQL: how long a transaction waits for the writers' lock (undefined: no limit); see storage.ts setLockWait. */
  lockWaitMs: number | undefined = undefined;
  /** Told of every audit row record() adds (the head file's publisher; undefined: no head file kept). */
  auditRows: AuditRowNotes | undefined = undefined;
  /** The deployment's settings that code holding only a handle needs (set by openConfiguredDatabase). */
  deployment: Deployment = { mailEnabled: false, publicUrl: undefined };
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/** An audit row as the chain knows it: its id and hash. */
export interface ChainRow {
  id: number;
  hash: string;
}

/**
 * Where record() reports each row it adds: `before`, the last row it read (undefined: none), and the row it wrote.
 * The head file's publisher (audit-anchor.ts) then knows the head a transaction commits without reading it again.
 */
export interface AuditRowNotes {
  noteRecorded(before: ChainRow | undefined, added: ChainRow): void;
}

/** Where record() reports the rows it adds on this database (undefined when no head file is kept). */
export function auditRowNotesOf(db: WithExecutor): AuditRowNotes | undefined {
  return pluginOf(db)?.auditRows;
}

/**
 * What the configuration tells code that runs with only a database handle, such as the audit log's hooks inside a
 * transaction (issue 26: whether e-mail is configured, and the address links in e-mails start with).
 */
export interface Deployment {
  mailEnabled: boolean;
  publicUrl: string | undefined;
}

/** The deployment settings of the database `db` was opened as (defaults: no e-mail, no public address). */
export function deploymentOf(db: WithExecutor): Deployment {
  return pluginOf(db)?.deployment ?? { mailEnabled: false, publicUrl: undefined };
}

interface WithExecutor {
  getExecutor(): { readonly plugins: ReadonlyArray<KyselyPlugin> };
}

export function pluginOf(db: WithExecutor): EnginePlugin | undefined {
  return db.getExecutor().plugins.find((p): p is EnginePlugin => p instanceof EnginePlugin);
}

/** The engine a database (or transaction) runs on; a Kysely instance made without openDatabase counts as SQLite. */
export function engineOf(db: WithExecutor): Engine {
  return pluginOf(db)?.engine ?? 'sqlite';
}

export const isPostgres = (db: WithExecutor): boolean => engineOf(db) === 'postgres';

/** The better-sqlite3 handle under a SQLite database or transaction; for modules under core/db/dialect/ only. */
export function sqliteHandleOf(db: WithExecutor): Database.Database {
  const handle = pluginOf(db)?.sqlite;
  if (!handle) throw new Error('not a SQLite database opened by openDatabase');
  return handle;
}

/** The audit key given to the database when it was opened (undefined: a read-only connection without a key file). */
export function auditKeyOfDb(db: WithExecutor): AuditKey | undefined {
  return pluginOf(db)?.auditKey;
}

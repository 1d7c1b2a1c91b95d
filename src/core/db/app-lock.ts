import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Config } from '../../config';
import { WRITE_LOCK } from './postgres';

/**
 * The lock that keeps `qms restore` from replacing a database under a running app (issue 29): a server that kept its
 * handles on a replaced database would go on acknowledging writes into deleted files.
 * - Every app process (src/server.ts) holds a SHARED lock for its whole life, and every CLI command that opens the
 *   database (src/cli.ts: imports, migrate, demo, users, organisations…) for as long as it runs; several hold it
 *   together, so a command may run beside a server.
 * - `qms restore` takes the EXCLUSIVE lock before it changes anything and holds it until it is done: it is refused
 *   while any app process runs, and an app process started during a restore is refused.
 * The operating system (SQLite) or the database server (PostgreSQL) releases a lock when its process or connection
 * ends, killed or not: no stale lock to clean up, no process ids to guess.
 * - SQLite: a small SQLite database beside the database, `<DATABASE_PATH>.lock`, in rollback-journal mode (not WAL:
 *   there a reader takes no SHARED lock on the file itself). An app holds an open read transaction on it; a restore
 *   holds BEGIN EXCLUSIVE. Both try once (busy_timeout 0): a refusal is immediate.
 * - PostgreSQL: the session advisory lock APP_LOCK in the app's database (advisory locks are per database), held
 *   shared by each app process on a connection of its own; a restore takes it exclusive on a connection to the same
 *   database and keeps it through pg_restore, which replaces the tables inside that database (it is never dropped).
 *   It also holds the writers' lock (WRITE_LOCK, postgres.ts) on that connection for as long: should an app process's
 *   lock connection drop while its pool stays up (it takes the lock again within seconds), its writes still cannot
 *   commit during the restore; they wait and are answered "busy".
 */

/** The PostgreSQL advisory lock key ("QMSA"); not WRITE_LOCK's ("QMS1"), which writers take per transaction. */
export const APP_LOCK = 0x514d5341;

export const IN_USE = 'the database is in use by a running qms-tracker process: stop the app first (every process on this database), then restore';
export const RESTORING = 'qms restore is replacing the database: start the app once the restore has finished';

export interface AppLock {
  release(this: void): Promise<void>;
}

export const appLockPath = (databasePath: string): string => `${databasePath}.lock`;

const busy = (err: unknown): boolean => /^SQLITE_(BUSY|LOCKED)/.test((err as { code?: string }).code ?? '');

/** The lock database, created when missing (with its one table, in rollback-journal mode). */
function openLockFile(path: string): Database.Database {
  let db: Database.Database;
  try {
    mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
  } catch (err) {
    throw new Error(`cannot open the lock file ${path} (${(err as Error).message}): it is kept beside the database; the folder must be writable`);
  }
  try {
    db.pragma('busy_timeout = 0');
    const ready = () => db.prepare("select 1 from sqlite_master where type = 'table' and name = 'app_lock'").get() !== undefined;
    if (!ready()) {
      // the first start: two app processes may create it at once (a short wait for the other's creation)
      db.pragma('busy_timeout = 2000');
      try {
        db.pragma('journal_mode = DELETE');
        db.exec("create table if not exists app_lock (id integer primary key, note text not null); insert or ignore into app_lock values (1, 'qms-tracker')");
      } catch (err) {
        if (!busy(err) || !ready()) throw err;
      }
      db.pragma('busy_timeout = 0');
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Held by an app process for its whole life (src/server.ts): refused while a restore runs. */
export async function holdAppLock(config: Config, onLost: (err: Error) => void = () => undefined): Promise<AppLock> {
  if (config.databaseUrl) return holdPostgresAppLock(config.databaseUrl, onLost);
  if (config.databasePath === ':memory:') return { release: async () => undefined }; // no other process can reach it
  const path = appLockPath(config.databasePath);
  let db: Database.Database;
  try {
    db = openLockFile(path);
    db.exec('begin');
    db.prepare('select count(*) from app_lock').get(); // the read transaction: SHARED on the file until release
  } catch (err) {
    if (busy(err)) throw new Error(`${RESTORING} (it holds ${path})`);
    throw err;
  }
  return {
    release: async () => {
      if (!db.open) return;
      if (db.inTransaction) db.exec('rollback');
      db.close();
    },
  };
}

async function lockClient(url: string, name: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: name });
  client.on('error', () => undefined); // a lost connection is noticed on 'end'
  await client.connect();
  return client;
}

async function tryLock(client: pg.Client, shared: boolean): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>(`select pg_try_advisory_lock${shared ? '_shared' : ''}($1) as ok`, [APP_LOCK]);
  return rows[0]?.ok === true;
}

/**
 * The app's shared lock on its own connection. When that connection is lost (the server restarted), the lock is
 * taken again on a new one, every few seconds until the server answers; if a restore holds it by then, `onLost`.
 */
async function holdPostgresAppLock(url: string, onLost: (err: Error) => void): Promise<AppLock> {
  let released = false;
  let client: pg.Client;
  const take = async (): Promise<pg.Client> => {
    const c = await lockClient(url, 'qms-tracker');
    if (!(await tryLock(c, true))) {
      await c.end();
      throw new Error(`${RESTORING} (it holds PostgreSQL advisory lock ${APP_LOCK})`);
    }
    c.once('end', () => void again());
    return c;
  };
  const again = async (): Promise<void> => {
    while (!released) {
      await new Promise((resolve) => setTimeout(resolve, 3000).unref());
      if (released) return;
      try {
        client = await take();
        return;
      } catch (err) {
        if ((err as Error).message.startsWith(RESTORING)) return onLost(err as Error);
      }
    }
  };
  client = await take();
  return {
    release: async () => {
      released = true;
      await client.end().catch(() => undefined);
    },
  };
}

/** How long a restore on PostgreSQL waits for a writer's transaction to end before it gives up. */
const RESTORE_WRITE_LOCK_WAIT_MS = 10_000;

/** Runs `fn` holding the exclusive lock: refused at once (nothing changed) while any app process holds its lock. */
export async function withRestoreLock<T>(config: Config, fn: () => Promise<T>): Promise<T> {
  if (config.databaseUrl) {
    const client = await lockClient(config.databaseUrl, 'qms-tracker restore');
    try {
      if (!(await tryLock(client, false))) throw new Error(IN_USE);
      // the writers' lock: only a writer of a process whose app lock lapsed can hold it now, for one transaction
      try {
        await client.query(`set lock_timeout = ${RESTORE_WRITE_LOCK_WAIT_MS}`);
        await client.query('select pg_advisory_lock($1)', [WRITE_LOCK]);
      } catch (err) {
        if ((err as { code?: string }).code === '55P03') throw new Error(IN_USE);
        throw err;
      }
      return await fn(); // the locks end with the connection
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  const path = appLockPath(config.databasePath);
  const db = openLockFile(path);
  try {
    try {
      db.exec('begin exclusive');
    } catch (err) {
      if (busy(err)) throw new Error(`${IN_USE} (it holds ${path})`);
      throw err;
    }
    return await fn();
  } finally {
    if (db.inTransaction) db.exec('rollback');
    db.close();
  }
}

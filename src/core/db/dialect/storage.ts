import type { Db } from '../database';
import { engineOf, pluginOf, sqliteHandleOf } from './engine';

/**
 * The storage settings that only SQLite has: how long a writer waits for another process's lock, and how much room
 * is left in the file. PostgreSQL waits for locks itself and reports a full disk with its own error.
 */

/**
 * On PostgreSQL several app processes take turns at the writers' lock in everyday work (on SQLite the other writer is
 * an occasional import), so a write waits at least this long before it is answered "busy".
 */
export const POSTGRES_MIN_LOCK_WAIT_MS = 5_000;

/**
 * How long a write waits for another connection's write lock before failing busy: SQLite's busy_timeout; on
 * PostgreSQL the lock_timeout of the wait for the writers' advisory lock (postgres.ts; at least
 * POSTGRES_MIN_LOCK_WAIT_MS), failing with 55P03. Writers of the same process wait their turn without a limit on both.
 */
export function setLockWait(db: Db, ms: number): void {
  if (engineOf(db) === 'sqlite') sqliteHandleOf(db).pragma(`busy_timeout = ${ms}`);
  else pluginOf(db)!.lockWaitMs = Math.max(ms, POSTGRES_MIN_LOCK_WAIT_MS);
}

/** Pages used and allowed in the SQLite file (max_page_count); undefined on PostgreSQL. */
export function fileRoom(db: Db): { pages: number; max: number; pageSize: number } | undefined {
  if (engineOf(db) !== 'sqlite') return undefined;
  const sqlite = sqliteHandleOf(db);
  return {
    pages: Number(sqlite.pragma('page_count', { simple: true })),
    max: Number(sqlite.pragma('max_page_count', { simple: true })),
    pageSize: Number(sqlite.pragma('page_size', { simple: true })),
  };
}

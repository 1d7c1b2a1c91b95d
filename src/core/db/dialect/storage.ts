import type { Db } from '../database';
import { engineOf, sqliteHandleOf } from './engine';

/**
 * The storage settings that only SQLite has: how long a writer waits for another process's lock, and how much room
 * is left in the file. PostgreSQL waits for locks itself and reports a full disk with its own error.
 */

/** How long a statement waits for another connection's write lock before failing busy (SQLite busy_timeout). */
export function setLockWait(db: Db, ms: number): void {
  if (engineOf(db) === 'sqlite') sqliteHandleOf(db).pragma(`busy_timeout = ${ms}`);
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

import type { RawSqlite } from '../../src/core/db/database';

/**
 * Real failures inside handlers, without test routes in the app: while armed, every SQL statement the
 * request middleware does not use (sessions, the organisation, the signed-in user, flash) throws an error
 * that looks like the worst case — SQLite's name, the SQL text, a file path and a stack — so a page that
 * leaks any of it is caught. Kysely prepares each statement afresh, so patching `prepare` reaches all queries,
 * including BEGIN of every transaction.
 */
export const LEAK_MARKERS = [/SqliteError|SQLITE_/i, /\bselect\b.+\bfrom\b|\binsert into\b|\bupdate\s+"|\bbegin immediate\b/i, /\/work\/|\/tmp\/|node_modules|\.ts:\d+|\.js:\d+/, /\n\s+at [\w.<>]+ \(/, /no such table/i];

export class FaultInjector {
  private readonly original: RawSqlite['prepare'];
  private readonly allowed = new Set<string>();
  private learning = false;
  private armed = false;
  hits = 0;

  constructor(private readonly sqlite: RawSqlite) {
    this.original = sqlite.prepare.bind(sqlite);
    const self = this;
    (sqlite as { prepare: unknown }).prepare = function prepare(sql: string) {
      if (self.learning) self.allowed.add(sql);
      else if (self.armed && !self.allowed.has(sql)) {
        self.hits++;
        const err = new Error(`SQLITE_IOERR: disk I/O error while running ${sql.slice(0, 120)}`);
        err.name = 'SqliteError';
        err.stack = `SqliteError: ${err.message}\n    at Database.prepare (/work/main/node_modules/better-sqlite3/lib/methods/wrappers.js:5:21)\n    at handler (/work/main/src/features/x/x.queries.ts:12:7)`;
        throw err;
      }
      return self.original(sql);
    } as RawSqlite['prepare'];
  }

  /** Runs `fn` (requests that only go through the middleware) and allows the statements it used. */
  async learn(fn: () => Promise<unknown>): Promise<void> {
    this.learning = true;
    try {
      await fn();
    } finally {
      this.learning = false;
    }
  }

  arm(): void {
    this.armed = true;
  }

  disarm(): void {
    this.armed = false;
  }

  restore(): void {
    (this.sqlite as { prepare: unknown }).prepare = this.original;
  }
}

import pg from 'pg';
import type { Config } from '../../src/config';
import { forgetPreparedStatements, type Db } from '../../src/core/db/database';
import { engineOf, sqliteHandleOf } from '../../src/core/db/dialect/engine';

/**
 * Real failures inside handlers, without test routes in the app: while armed, every SQL statement the
 * request middleware does not use (sessions, the organisation, the signed-in user, flash) throws an error
 * that looks like the worst case — the driver's error name, the SQL text, a file path and a stack — so a page that
 * leaks any of it is caught. The check runs when a statement is executed (see watchStatements), which reaches all
 * queries, including BEGIN of every transaction. ROLLBACK never fails: a transaction must be able to end.
 */
export const LEAK_MARKERS = [
  /SqliteError|SQLITE_/i,
  /DatabaseError|Input\/output error|No space left on device|\/var\/lib\/postgresql/i,
  /\bselect\b.+\bfrom\b|\binsert into\b|\bupdate\s+"|\bbegin immediate\b/i,
  /\/work\/|\/tmp\/|node_modules|\.ts:\d+|\.js:\d+/,
  /\n\s+at [\w.<>]+ \(/,
  /no such table/i,
];

export class FaultInjector {
  private readonly restoreStatements: () => void;
  private readonly allowed = new Set<string>();
  private learning = false;
  private armed = false;
  hits = 0;

  constructor(ctx: { db: Db; config: Config }) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the statement wrappers below are functions SQLite's driver calls with its own this
    const self = this;
    const postgres = engineOf(ctx.db) === 'postgres';
    const check = (sql: string) => {
      if (self.learning) self.allowed.add(sql);
      else if (self.armed && !self.allowed.has(sql) && !/^\s*rollback\s*$/i.test(sql)) {
        self.hits++;
        throw postgres ? postgresFailure(sql) : sqliteFailure(sql);
      }
    };
    this.restoreStatements = watchStatements(ctx, { prepared: check, ran: check });
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
    this.restoreStatements();
  }
}

/** What better-sqlite3 throws when the disk fails, with the SQL, file paths and a stack. */
function sqliteFailure(sql: string): Error {
  const err = new Error(`SQLITE_IOERR: disk I/O error while running ${sql.slice(0, 120)}`);
  err.name = 'SqliteError';
  err.stack = `SqliteError: ${err.message}\n    at Database.prepare (/work/main/node_modules/better-sqlite3/lib/methods/wrappers.js:5:21)\n    at handler (/work/main/src/features/x/x.queries.ts:12:7)`;
  return err;
}

/**
 * What node-postgres rejects with when the server's disk fails (io_error, as SQLITE_IOERR above; a full disk, 53100,
 * has its own 503 page): its error name, code, a data file's path, the SQL, a stack.
 */
function postgresFailure(sql: string): Error {
  const err = Object.assign(
    new Error(`could not read block 7 in file "/var/lib/postgresql/data/base/16384/2619": Input/output error while running ${sql.slice(0, 120)}`),
    { code: '58030', severity: 'ERROR', routine: 'mdread' },
  );
  err.name = 'DatabaseError';
  err.stack = `DatabaseError: ${err.message}\n    at Parser.parseErrorMessage (/work/main/node_modules/pg-protocol/dist/parser.js:283:98)\n    at handler (/work/main/src/features/x/x.queries.ts:12:7)`;
  return err;
}

type PgQuery = (this: pg.Client, ...args: unknown[]) => unknown;
/** The statement watchers of PostgreSQL databases, by database name (one patch of the driver serves them all). */
const pgWatchers = new Map<string, Set<(sql: string) => void>>();
let pgOriginalQuery: PgQuery | undefined;

function sqlTextOf(config: unknown): string | undefined {
  if (typeof config === 'string') return config;
  if (config && typeof config === 'object' && typeof (config as { text?: unknown }).text === 'string') return (config as { text: string }).text;
  return undefined;
}

/**
 * Calls `ran(sql)` before every statement run on the app's database (`ctx.db`) and, on SQLite, `prepared(sql)` before
 * every preparation; a hook that throws makes the statement fail with that error. Returns the function that puts the
 * connection back.
 * - SQLite: the connection keeps prepared statements by SQL text, so they are forgotten once and every statement
 *   prepared after that is wrapped (run, get, all, iterate).
 * - PostgreSQL: node-postgres's `Client#query`, for the clients connected to this database only (by its name in
 *   DATABASE_URL); the statement fails as a rejected query, as the server's errors do.
 */
export function watchStatements(ctx: { db: Db; config: Config }, on: { prepared?: (sql: string) => void; ran: (sql: string) => void }): () => void {
  if (engineOf(ctx.db) === 'postgres') return watchPostgres(ctx.config, on.ran);
  const sqlite = sqliteHandleOf(ctx.db);
  const original = sqlite.prepare.bind(sqlite);
  (sqlite as { prepare: unknown }).prepare = function prepare(sql: string) {
    on.prepared?.(sql);
    const statement = original(sql);
    return new Proxy(statement, {
      get(target, key) {
        const value = Reflect.get(target, key, target) as unknown;
        if (typeof value !== 'function') return value;
        if (key === 'run' || key === 'get' || key === 'all' || key === 'iterate') {
          return (...args: unknown[]) => {
            on.ran(sql);
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return (value as (...a: unknown[]) => unknown).bind(target);
      },
    });
  };
  forgetPreparedStatements(sqlite);
  return () => {
    (sqlite as { prepare: unknown }).prepare = original;
    forgetPreparedStatements(sqlite);
  };
}

function watchPostgres(config: Config, ran: (sql: string) => void): () => void {
  const name = decodeURIComponent(new URL(config.databaseUrl!).pathname.slice(1));
  if (!pgOriginalQuery) {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with each client as this
    const original = pg.Client.prototype.query as unknown as PgQuery;
    pgOriginalQuery = original;
    (pg.Client.prototype as unknown as { query: PgQuery }).query = function query(this: pg.Client, ...args: unknown[]) {
      const watchers = pgWatchers.get(this.database ?? '');
      const text = sqlTextOf(args[0]);
      if (watchers && text !== undefined) {
        try {
          for (const watcher of watchers) watcher(text);
        } catch (err) {
          const callback = args.find((a) => typeof a === 'function') as ((e: unknown) => void) | undefined;
          if (callback) return void callback(err);
          return Promise.reject(err instanceof Error ? err : new Error(String(err)));
        }
      }
      return original.apply(this, args);
    };
  }
  const watchers = pgWatchers.get(name) ?? new Set();
  pgWatchers.set(name, watchers);
  const watcher = (sql: string) => ran(sql);
  watchers.add(watcher);
  return () => {
    watchers.delete(watcher);
    if (watchers.size === 0) pgWatchers.delete(name);
  };
}

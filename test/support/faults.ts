import { forgetPreparedStatements, type RawSqlite } from '../../src/core/db/database';

/**
 * Real failures inside handlers, without test routes in the app: while armed, every SQL statement the
 * request middleware does not use (sessions, the organisation, the signed-in user, flash) throws an error
 * that looks like the worst case — SQLite's name, the SQL text, a file path and a stack — so a page that
 * leaks any of it is caught. The connection keeps prepared statements by SQL text, so the injector forgets them
 * once and wraps every statement prepared after that: the check runs when a statement is executed, which reaches
 * all queries, including BEGIN of every transaction, whether the statement was prepared before arming or not.
 */
export const LEAK_MARKERS = [
  /SqliteError|SQLITE_/i,
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

  constructor(sqlite: RawSqlite) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the statement wrappers below are functions SQLite's driver calls with its own this
    const self = this;
    const check = (sql: string) => {
      if (self.learning) self.allowed.add(sql);
      else if (self.armed && !self.allowed.has(sql)) {
        self.hits++;
        const err = new Error(`SQLITE_IOERR: disk I/O error while running ${sql.slice(0, 120)}`);
        err.name = 'SqliteError';
        err.stack = `SqliteError: ${err.message}\n    at Database.prepare (/work/main/node_modules/better-sqlite3/lib/methods/wrappers.js:5:21)\n    at handler (/work/main/src/features/x/x.queries.ts:12:7)`;
        throw err;
      }
    };
    this.restoreStatements = watchStatements(sqlite, { prepared: check, ran: check });
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

/**
 * Calls `ran(sql)` before every execution of a statement on the connection (run, get, all, iterate) and `prepared(sql)`
 * before every preparation. The connection keeps prepared statements by SQL text, so they are forgotten once and every
 * statement prepared after that is wrapped. Returns the function that puts the connection back.
 */
export function watchStatements(sqlite: RawSqlite, on: { prepared?: (sql: string) => void; ran: (sql: string) => void }): () => void {
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

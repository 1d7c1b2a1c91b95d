import type { Config } from '../config';
import type { Clock } from './clock';
import type { Db, RawSqlite } from './db/database';

/** What every feature receives: configuration, the database and the clock. */
export interface AppContext {
  readonly config: Config;
  readonly db: Db;
  /** The better-sqlite3 handle on SQLite (undefined on PostgreSQL): for SQLite maintenance only, never for queries. */
  readonly sqlite: RawSqlite | undefined;
  readonly clock: Clock;
}

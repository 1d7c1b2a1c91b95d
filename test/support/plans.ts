import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely';
import type { Db, RawSqlite } from '../../src/core/db/database';
import type { DB } from '../../src/core/db/schema';
import { scopedDb } from '../../src/core/db/scope';

/**
 * Every select `fn` runs on the connection, with its EXPLAIN QUERY PLAN lines: the real statements, captured while
 * they run (through a logging Kysely on the same database, working for `organisationId`), then explained. For tests of the benchmark's query plans.
 */
export async function plansOf(sqlite: RawSqlite, fn: (db: Db) => Promise<unknown>, organisationId = 1): Promise<{ sql: string; plan: string[] }[]> {
  const captured: CompiledQuery[] = [];
  const db = new Kysely<DB>({
    dialect: new SqliteDialect({ database: sqlite }),
    log: (e) => {
      captured.push(e.query);
    },
  });
  await fn(scopedDb(db, organisationId));
  return captured
    .filter((q) => /^\s*(select|with)/i.test(q.sql))
    .map((q) => ({
      sql: q.sql.replace(/\s+/g, ' '),
      plan: (sqlite.prepare(`explain query plan ${q.sql}`).all(...(q.parameters as unknown[])) as { detail: string }[]).map((p) => p.detail),
    }));
}

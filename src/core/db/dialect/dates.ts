import { sql, type Expression, type RawBuilder } from 'kysely';
import { engineOf } from './engine';

/**
 * Date arithmetic on calendar dates stored as 'YYYY-MM-DD' text, in queries (the migrations' trigger bodies have
 * their own text forms in ddl.ts). SQLite computes with date(x, '+N day') and the two-argument max(); PostgreSQL
 * has neither: it casts to date, adds days and writes the text back with to_char, and compares with greatest().
 * Each helper gives the same text and the same nulls on both engines.
 */

type WithEngine = Parameters<typeof engineOf>[0];

/** The date `days` days after a 'YYYY-MM-DD' text (a column reference or a value); null stays null. */
export function addDays(db: WithEngine, date: Expression<string | null> | string, days: number): RawBuilder<string> {
  const n = Math.trunc(days);
  const value = typeof date === 'string' ? sql`${date}` : date;
  return engineOf(db) === 'sqlite'
    ? sql<string>`date(${value}, ${`${n >= 0 ? '+' : ''}${n} day`})`
    : sql<string>`to_char(cast(${value} as date) + ${sql.lit(n)}, 'YYYY-MM-DD')`;
}

/** The later of two 'YYYY-MM-DD' texts, null when either is null (SQLite's two-argument max(); greatest() skips nulls). */
export function laterDate(db: WithEngine, a: Expression<string | null>, b: Expression<string | null>): RawBuilder<string> {
  return engineOf(db) === 'sqlite' ? sql<string>`max(${a}, ${b})` : sql<string>`case when ${a} is null or ${b} is null then null else greatest(${a}, ${b}) end`;
}

import { sql, type RawBuilder } from 'kysely';
import { engineOf } from './engine';

type WithEngine = Parameters<typeof engineOf>[0];

/**
 * An inner join whose tables are read in the order written. SQLite's planner never reorders the two sides of a
 * CROSS JOIN, and `cross join … on …` is an inner join there, so the province-scale statements use it to start
 * from the smaller table; PostgreSQL refuses ON after CROSS JOIN and plans the order itself, so it gets a plain
 * `inner join`. Write `from a ${joinInOrder(db)} b on …` in raw SQL.
 */
export function joinInOrder(db: WithEngine): RawBuilder<unknown> {
  return engineOf(db) === 'sqlite' ? sql.raw('cross join') : sql.raw('inner join');
}

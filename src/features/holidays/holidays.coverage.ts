import { sql } from 'kysely';
import type { Db } from '../../core/db/database';

/**
 * Whether a year's working-day calendar was entered: a year "has a calendar" when it has at least one non-cancelled
 * holiday row (REPORTING.md: a due date in a year whose calendar has not been entered is computed, and flagged).
 */

/** The years among `years` that have no non-cancelled holiday, in increasing order, without repeats. */
export async function yearsWithoutCalendar(db: Db, years: Iterable<number>): Promise<number[]> {
  const asked = [...new Set(years)].filter((y) => Number.isSafeInteger(y)).sort((a, b) => a - b);
  if (asked.length === 0) return [];
  const rows = await db
    .selectFrom('holidays')
    .select(sql<string>`substr(date, 1, 4)`.as('year'))
    .where('cancelled', '=', 0)
    .where('kind', '=', 'holiday')
    .where('date', '>=', `${String(asked[0]).padStart(4, '0')}-01-01`)
    .where('date', '<=', `${String(asked[asked.length - 1]).padStart(4, '0')}-12-31`)
    .distinct()
    .execute();
  const covered = new Set(rows.map((r) => Number(r.year)));
  return asked.filter((y) => !covered.has(y));
}

/** The calendar years a period from `from` to `to` (YYYY-MM-DD, inclusive) touches; empty when to < from. */
export function yearsOfRange(from: string, to: string): number[] {
  const first = Number(from.slice(0, 4));
  const last = Number(to.slice(0, 4));
  const out: number[] = [];
  for (let y = first; y <= last; y++) out.push(y);
  return out;
}

import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';

/**
 * Whether a year's working-day calendar was entered: a year "has a calendar" when it has at least one non-cancelled
 * holiday row (REPORTING.md: a due date in a year whose calendar has not been entered is computed, and flagged).
 */

/**
 * The years among `years` without a holiday in the organisation's calendar (everyone's days and its own, its own
 * entry of a date in place of everyone's), in increasing order, without repeats.
 */
export async function yearsWithoutCalendar(db: Db, years: Iterable<number>): Promise<number[]> {
  const asked = [...new Set(years)].filter((y) => Number.isSafeInteger(y)).sort((a, b) => a - b);
  if (asked.length === 0) return [];
  const rows = await db
    .selectFrom('holidays')
    .select(['date', 'kind', 'organisation_id'])
    .where((eb) => eb.or([eb('organisation_id', 'is', null), eb('organisation_id', '=', organisationOf(db))]))
    .where('cancelled', '=', 0)
    .where('date', '>=', `${String(asked[0]).padStart(4, '0')}-01-01`)
    .where('date', '<=', `${String(asked[asked.length - 1]).padStart(4, '0')}-12-31`)
    .execute();
  // The entry in force on each date: the organisation's own, else everyone's (a few dozen rows a year).
  const inForce = new Map<string, { kind: string; own: boolean }>();
  for (const r of rows) if (!inForce.get(r.date)?.own) inForce.set(r.date, { kind: r.kind, own: r.organisation_id !== null });
  const covered = new Set([...inForce].filter(([, e]) => e.kind === 'holiday').map(([date]) => Number(date.slice(0, 4))));
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

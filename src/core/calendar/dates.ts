/**
 * Calendar dates as 'YYYY-MM-DD' strings, with arithmetic on whole days.
 * Everything goes through UTC fields of Date, so the machine's TZ never matters.
 */

export const DAY_MS = 86_400_000;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number (days since 1970-01-01) of y-m-d, or null when that date does not exist. */
export function dayNumberOf(year: number, month: number, day: number): number | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // unlike Date.UTC, keeps years 0–99 as they are
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return d.getTime() / DAY_MS;
}

/** Strict 'YYYY-MM-DD' naming a date that exists (no 2026-02-29, no 2026-04-31). */
export function isIsoDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = ISO_DATE.exec(s);
  return m !== null && dayNumberOf(Number(m[1]), Number(m[2]), Number(m[3])) !== null;
}

/** Days since 1970-01-01 of an ISO date; throws RangeError for anything else. */
export function toDayNumber(date: string): number {
  const m = ISO_DATE.exec(date);
  const n = m && dayNumberOf(Number(m[1]), Number(m[2]), Number(m[3]));
  if (n === null || n === undefined) throw new RangeError(`Not a valid YYYY-MM-DD date: ${JSON.stringify(date)}`);
  return n;
}

/** The ISO date of a day number (inverse of toDayNumber). */
export function fromDayNumber(n: number): string {
  const d = new Date(n * DAY_MS);
  const y = String(d.getUTCFullYear()).padStart(4, '0');
  return `${y}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** The date n days after (or before, when n < 0) date. */
export function addDays(date: string, n: number): string {
  return fromDayNumber(toDayNumber(date) + n);
}

/** 0 = Sunday … 6 = Saturday, for a day number. */
export function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

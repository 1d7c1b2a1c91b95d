/** Working days: Monday–Friday that are not holidays, plus declared make-up working days (ngày làm bù). */
import { fromDayNumber, isIsoDate, toDayNumber, weekdayOf } from './dates';

export interface WorkCalendarInput {
  /** Local YYYY-MM-DD dates that are public holidays or declared days off. */
  holidays?: Iterable<string>;
  /** Local YYYY-MM-DD make-up working days (ngày làm bù), usually Saturdays; they win over a holiday on the same date. */
  workdays?: Iterable<string>;
}

function daySet(dates: Iterable<string> | undefined, what: string): Set<number> {
  const set = new Set<number>();
  for (const date of dates ?? []) {
    if (!isIsoDate(date)) throw new RangeError(`Invalid ${what} date: ${JSON.stringify(date)}`);
    set.add(toDayNumber(date));
  }
  return set;
}

function isWeekday(dayNumber: number): boolean {
  const wd = weekdayOf(dayNumber);
  return wd >= 1 && wd <= 5;
}

/** Number of Monday–Friday days in [anchor Monday, day]; only differences of it are meaningful. */
function weekdayRank(dayNumber: number): number {
  const sinceMonday = dayNumber - 4; // 1970-01-05 (day 4) was a Monday
  const weeks = Math.floor(sinceMonday / 7);
  return weeks * 5 + Math.min(sinceMonday - weeks * 7 + 1, 5);
}

function requireCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a whole number ≥ 0, got ${n}`);
}

export class WorkCalendar {
  private readonly holidays: ReadonlySet<number>;
  private readonly workdays: ReadonlySet<number>;

  constructor(input: WorkCalendarInput = {}) {
    this.holidays = daySet(input.holidays, 'holiday');
    this.workdays = daySet(input.workdays, 'make-up working day');
  }

  isWorkingDay(date: string): boolean {
    return this.isWorking(toDayNumber(date));
  }

  /** The n-th working day after `date` (`date` itself is not counted); n = 0 returns `date`. */
  addWorkingDays(date: string, n: number): string {
    requireCount(n, 'Number of working days');
    let day = toDayNumber(date);
    for (let left = n; left > 0;) {
      day += 1;
      if (this.isWorking(day)) left -= 1;
    }
    return fromDayNumber(day);
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: string): string {
    return this.addWorkingDays(date, 1);
  }

  /** Working days in (from, to]; 0 when to <= from. */
  countWorkingDaysBetween(from: string, to: string): number {
    const a = toDayNumber(from);
    const b = toDayNumber(to);
    if (b <= a) return 0;
    const inRange = (d: number) => d > a && d <= b;
    let count = weekdayRank(b) - weekdayRank(a);
    for (const d of this.holidays) if (inRange(d) && isWeekday(d) && !this.workdays.has(d)) count -= 1;
    for (const d of this.workdays) if (inRange(d) && !isWeekday(d)) count += 1;
    return count;
  }

  private isWorking(dayNumber: number): boolean {
    if (this.workdays.has(dayNumber)) return true;
    return isWeekday(dayNumber) && !this.holidays.has(dayNumber);
  }
}

/**
 * Due date (ngày hẹn trả) when an import gives none (REPORTING.md): the N-th working day after the local receipt
 * date, the receipt date itself not counted, so a dossier received on a Sunday counts from Monday. A same-day
 * procedure (N = 0) is due on the receipt date when that is a working day, else on the next working day: received
 * on a Saturday, it is due on Monday, not on the Saturday.
 */
export function computeDueDate(receivedLocalDate: string, processingDays: number, cal: WorkCalendar): string {
  requireCount(processingDays, 'Processing days');
  if (processingDays === 0) return cal.isWorkingDay(receivedLocalDate) ? receivedLocalDate : cal.nextWorkingDay(receivedLocalDate);
  return cal.addWorkingDays(receivedLocalDate, processingDays);
}

import type { Db } from '../../core/db/database';
import { WorkCalendar } from '../../core/calendar';
import { listActiveCalendarDays } from './holidays.queries';

/**
 * The organisation's working-day calendar (organisationOf(db)): the declared (non-cancelled) holidays and make-up
 * working days of everyone and its own, its own entry of a date in place of everyone's.
 */
export async function loadWorkCalendar(db: Db): Promise<WorkCalendar> {
  const days = await listActiveCalendarDays(db);
  return new WorkCalendar({
    holidays: days.filter((d) => d.kind === 'holiday').map((d) => d.date),
    workdays: days.filter((d) => d.kind === 'workday').map((d) => d.date),
  });
}

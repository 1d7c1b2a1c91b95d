import type { Db } from '../../core/db/database';
import { WorkCalendar } from '../../core/calendar';
import { listActiveCalendarDays } from './holidays.queries';

/** The working-day calendar from the declared (non-cancelled) holidays and make-up working days. */
export async function loadWorkCalendar(db: Db): Promise<WorkCalendar> {
  const days = await listActiveCalendarDays(db);
  return new WorkCalendar({
    holidays: days.filter((d) => d.kind === 'holiday').map((d) => d.date),
    workdays: days.filter((d) => d.kind === 'workday').map((d) => d.date),
  });
}

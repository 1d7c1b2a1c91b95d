import { addDays, type WorkCalendar } from '../../core/calendar';
import type { ReminderSettings } from './notifications.preferences';

/**
 * The reminders one item is owed on a day (pure: no database, no clock). Every reminder is keyed by its item and due
 * date, so a run that sends it again stores nothing new and a changed due date reminds again.
 */
export type DueReminder = { kind: 'due_soon'; days: number } | { kind: 'overdue' } | { kind: 'escalation'; daysOverdue: number };

/**
 * The working day `n` working days before `due` (`due` itself not counted): 1 working day before a Monday is the
 * Friday (or the Thursday when the Friday is a holiday). A reminder whose day would fall on a weekend or a holiday
 * is thereby sent on the working day before.
 */
export function workingDaysBefore(cal: WorkCalendar, due: string, n: number): string {
  let day = due;
  for (let left = n; left > 0;) {
    day = addDays(day, -1);
    if (cal.isWorkingDay(day)) left -= 1;
  }
  return day;
}

/**
 * What is owed on `today` for an item due on `due`:
 * - before or on the due date, the `due_soon` reminder of the latest reminder day that has come (7 working days
 *   before, then 1): a missed run catches up on the next, and an item assigned late gets only the nearest reminder;
 * - from the first working day after the due date, `overdue`;
 * - from `escalateAfterDays` working days overdue, `escalation` (to the leaders of the responsible unit).
 */
export function remindersOwed(cal: WorkCalendar, settings: ReminderSettings, due: string, today: string): DueReminder[] {
  if (today <= due) {
    const come = settings.daysBefore.filter((n) => workingDaysBefore(cal, due, n) <= today);
    if (come.length === 0) return [];
    return [{ kind: 'due_soon', days: Math.min(...come) }];
  }
  const owed: DueReminder[] = [];
  if (cal.nextWorkingDay(due) <= today) owed.push({ kind: 'overdue' });
  const daysOverdue = cal.countWorkingDaysBetween(due, today);
  if (daysOverdue >= settings.escalateAfterDays) owed.push({ kind: 'escalation', daysOverdue: settings.escalateAfterDays });
  return owed;
}

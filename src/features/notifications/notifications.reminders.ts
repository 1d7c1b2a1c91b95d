import type { Db } from '../../core/db/database';
import { loadWorkCalendar } from '../holidays/holidays.calendar';
import { runDigest } from './notifications.digest';
import { notify } from './notifications.notify';
import { reminderSettingsOf } from './notifications.preferences';
import { remindersOwed } from './notifications.reminders.model';
import { insertReminderRun, listActiveUserIds, listDueItems, updateReminderRunCounts, type DueItem } from './notifications.reminders.queries';

/** What one organisation's daily run did: `ran` false when that day's run was already done (by this or another process). */
export interface ReminderRunResult {
  ran: boolean;
  notices: number;
  digests: number;
}

/** The leaders of the item's unit, else the organisation's leaders. */
async function leadersFor(trx: Db, item: DueItem, cache: Map<number | null, number[]>): Promise<number[]> {
  let leaders = cache.get(item.unitId);
  if (leaders === undefined) {
    leaders = item.unitId === null ? [] : await listActiveUserIds(trx, 'leader', item.unitId);
    if (leaders.length === 0) leaders = await listActiveUserIds(trx, 'leader', undefined);
    cache.set(item.unitId, leaders);
  }
  return leaders;
}

/**
 * The daily reminder run of the handle's organisation for its local date `today`, in one transaction: the day's
 * row of `reminder_runs` first (a second run of the day, in this process or another, finds it and does nothing),
 * then due-soon, overdue and escalation notices for every open item with a due date (each stored once per person,
 * item and due date, whatever the number of runs), then, on the digest weekday, the weekly digests.
 */
export async function runReminders(db: Db, today: string, at: Date): Promise<ReminderRunResult> {
  return db.transaction().execute(async (trx) => {
    if (!(await insertReminderRun(trx, today, at))) return { ran: false, notices: 0, digests: 0 };
    const [cal, settings, items] = [await loadWorkCalendar(trx), await reminderSettingsOf(trx), await listDueItems(trx)];
    const leaderCache = new Map<number | null, number[]>();
    let notices = 0;
    for (const item of items) {
      const params = { code: item.code || null, due: item.dueOn };
      for (const owed of remindersOwed(cal, settings, item.dueOn, today)) {
        const base = { entity: item.entity, entityId: item.entityId, link: item.link, dueOn: item.dueOn };
        const ref = `${item.entity}:${item.entityId}:${item.dueOn}`;
        const targets = owed.kind === 'escalation' ? await leadersFor(trx, item, leaderCache) : item.userIds;
        const dedupeKey = owed.kind === 'due_soon' ? `due_soon:${owed.days}:${ref}` : `${owed.kind}:${ref}`;
        const extra: Record<string, number> = owed.kind === 'due_soon' ? { days: owed.days } : owed.kind === 'escalation' ? { days: owed.daysOverdue } : {};
        for (const userId of targets) {
          const id = await notify(trx, { ...base, userId, kind: owed.kind, params: { ...params, ...extra }, dedupeKey }, at);
          if (id !== undefined) notices += 1;
        }
      }
    }
    const digests = settings.digestWeekday === isoWeekday(today) ? await runDigest(trx, today, at) : 0;
    await updateReminderRunCounts(trx, today, { notices, digests });
    return { ran: true, notices, digests };
  });
}

/** ISO weekday of a YYYY-MM-DD date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

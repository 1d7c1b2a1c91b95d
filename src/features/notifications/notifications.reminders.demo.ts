import { todayLocal } from '../../core/calendar';
import type { DemoContext } from '../demo-context';
import { DEFAULT_REMINDER_SETTINGS } from './notifications.preferences';
import { runReminders } from './notifications.reminders';
import { savePreferences, saveReminderSettings } from './notifications.settings.service';

/**
 * The model office's reminder rules (the defaults, saved by its admin), one person on the weekly digest (the
 * one-stop-shop clerk), and today's reminder run: the demo's open actions and feedback due within 7 working days or
 * overdue are in their owners' inboxes, and the overdue ones past 3 working days in their unit leaders'.
 */
export async function seedReminders(demo: DemoContext): Promise<void> {
  const { ctx } = demo;
  await saveReminderSettings(ctx, demo.byRole.admin, { ...DEFAULT_REMINDER_SETTINGS, daysBefore: [...DEFAULT_REMINDER_SETTINGS.daysBefore] }, 0);
  const clerk = demo.users.motcua?.id;
  if (clerk !== undefined) await savePreferences(ctx, clerk, { lang: 'vi', email_mode: 'digest', muted: [] }, 0);
  const today = todayLocal(demo.now, ctx.config.timeZone);
  const result = await runReminders(ctx.db, today, demo.now);
  demo.log(`Reminders: ${result.notices} due-soon, overdue and escalation notices for ${today}.`);
}

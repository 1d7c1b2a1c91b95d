import type { AppContext } from '../../core/context';
import { record } from '../../core/audit-log/audit-log';
import { organisationOf } from '../../core/db/scope';
import { Conflict } from '../../core/http/errors';
import type { Lang } from '../../core/i18n';
import { preferencesOf, reminderSettingsOf, type ReminderSettings } from './notifications.preferences';
import { savePreferencesRow, saveSettingsRow } from './notifications.settings.queries';
import type { EmailMode, NoticeKind } from './notifications.tables';

/** Saves a person's own notification choices with their audit entry; a stale version is a 409 that changes nothing. */
export async function savePreferences(
  ctx: AppContext,
  userId: number,
  values: { lang: Lang; email_mode: EmailMode; muted: NoticeKind[] },
  version: number,
): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await preferencesOf(trx, userId);
    if (!(await savePreferencesRow(trx, userId, values, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await record(trx, { userId, action: 'update', entity: 'notification_preferences', entityId: userId, old: before, new: values }, at);
  });
}

/** Saves the organisation's reminder rules with their audit entry; a stale version is a 409 that changes nothing. */
export async function saveReminderSettings(ctx: AppContext, userId: number, values: ReminderSettings, version: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await reminderSettingsOf(trx);
    const row = { days_before: values.daysBefore.join(','), escalate_after_days: values.escalateAfterDays, digest_weekday: values.digestWeekday };
    if (!(await saveSettingsRow(trx, row, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await record(trx, { userId, action: 'update', entity: 'notification_settings', entityId: organisationOf(trx), old: before, new: values }, at);
  });
}

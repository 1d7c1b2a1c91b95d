import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { Lang } from '../../core/i18n';
import { NOTICE_KINDS, type EmailMode, type NoticeKind } from './notifications.tables';

/** A person's choices for their notifications (the defaults until they save their own). */
export interface Preferences {
  lang: Lang;
  emailMode: EmailMode;
  /** Kinds not wanted by e-mail (the inbox shows every kind). */
  muted: NoticeKind[];
}

export const DEFAULT_PREFERENCES: Preferences = Object.freeze({ lang: 'vi', emailMode: 'immediate', muted: [] });

function kindsOf(json: string): NoticeKind[] {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((k): k is NoticeKind => (NOTICE_KINDS as readonly unknown[]).includes(k)) : [];
  } catch {
    return [];
  }
}

export async function preferencesOf(db: Db, userId: number): Promise<Preferences> {
  const row = await db
    .selectFrom('notification_preferences')
    .select(['lang', 'email_mode', 'muted_kinds'])
    .where('user_id', '=', userId)
    .where('organisation_id', '=', organisationOf(db))
    .executeTakeFirst();
  if (!row) return { ...DEFAULT_PREFERENCES, muted: [] };
  return { lang: row.lang, emailMode: row.email_mode, muted: kindsOf(row.muted_kinds) };
}

/** The organisation's reminder rules (the defaults until an admin saves them). */
export interface ReminderSettings {
  /** Days before a due date on which to remind, descending. */
  daysBefore: number[];
  /** Working days overdue after which the responsible unit's leader is told. */
  escalateAfterDays: number;
  /** ISO weekday of the weekly digest (1 = Monday). */
  digestWeekday: number;
}

export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = Object.freeze({ daysBefore: [7, 1], escalateAfterDays: 3, digestWeekday: 1 });

export async function reminderSettingsOf(db: Db): Promise<ReminderSettings> {
  const row = await db
    .selectFrom('notification_settings')
    .select(['days_before', 'escalate_after_days', 'digest_weekday'])
    .where('organisation_id', '=', organisationOf(db))
    .executeTakeFirst();
  if (!row) return { ...DEFAULT_REMINDER_SETTINGS, daysBefore: [...DEFAULT_REMINDER_SETTINGS.daysBefore] };
  const days = row.days_before
    .split(',')
    .map((d) => Number(d.trim()))
    .filter((d) => Number.isInteger(d) && d > 0)
    .sort((a, b) => b - a);
  return { daysBefore: days, escalateAfterDays: Number(row.escalate_after_days), digestWeekday: Number(row.digest_weekday) };
}

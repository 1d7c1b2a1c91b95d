import { z } from 'zod';
import type { Lang } from '../../core/i18n';
import { multiValue, requiredEnum, requiredInt } from '../../core/http/forms';
import { EMAIL_MODES, NOTICE_KINDS } from './notifications.tables';

/** A person's notification choices (/account/notifications): the kinds ticked are the ones wanted by e-mail. */
export const PreferencesForm = z
  .object({
    lang: requiredEnum<Lang>(['vi', 'en']),
    email_mode: requiredEnum(EMAIL_MODES),
    kinds: multiValue(z.enum(NOTICE_KINDS, { invalid_type_error: 'validation.invalid_choice' }), NOTICE_KINDS.length),
    version: requiredInt(0, Number.MAX_SAFE_INTEGER),
  })
  .strict();

/** `7,1`: one to four different whole numbers of days, 1–60, in any order; stored descending. */
export function parseDaysBefore(text: string): number[] | undefined {
  const parts = text
    .split(/[,;\s]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0 || parts.length > 4 || !parts.every((p) => /^\d{1,2}$/.test(p))) return undefined;
  const days = parts.map(Number);
  if (days.some((d) => d < 1 || d > 60) || new Set(days).size !== days.length) return undefined;
  return days.sort((a, b) => b - a);
}

export const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;

/** The organisation's reminder rules (/admin/notifications). */
export const ReminderSettingsForm = z
  .object({
    days_before: z.preprocess(
      (v) => (typeof v === 'string' ? v.trim() : v),
      z
        .string({ required_error: 'validation.required' })
        .min(1, 'validation.required')
        .max(40, 'validation.too_long|40')
        .refine((v) => parseDaysBefore(v) !== undefined, 'validation.notifications_days_before'),
    ),
    escalate_after_days: requiredInt(1, 60),
    digest_weekday: requiredEnum(WEEKDAYS),
    version: requiredInt(0, Number.MAX_SAFE_INTEGER),
  })
  .strict();

import type { Db } from '../../core/db/database';
import { organisationOf } from '../../core/db/scope';
import type { Lang } from '../../core/i18n';
import type { EmailMode, NoticeKind } from './notifications.tables';

/** The stored version of a person's preferences; 0 while they never saved any. */
export async function findPreferencesVersion(db: Db, userId: number): Promise<number> {
  const row = await db
    .selectFrom('notification_preferences')
    .select('version')
    .where('user_id', '=', userId)
    .where('organisation_id', '=', organisationOf(db))
    .executeTakeFirst();
  return row ? Number(row.version) : 0;
}

/**
 * Writes a person's preferences if the stored version is still `version` (0: none stored yet); false when someone
 * saved them in between (or the first save raced another).
 */
export async function savePreferencesRow(
  trx: Db,
  userId: number,
  values: { lang: Lang; email_mode: EmailMode; muted: NoticeKind[] },
  version: number,
  at: string,
): Promise<boolean> {
  const set = { lang: values.lang, email_mode: values.email_mode, muted_kinds: JSON.stringify(values.muted), updated_at: at };
  if (version === 0) {
    const row = await trx
      .insertInto('notification_preferences')
      .values({ user_id: userId, organisation_id: organisationOf(trx), ...set })
      .onConflict((oc) => oc.column('user_id').doNothing())
      .returning('user_id')
      .executeTakeFirst();
    return row !== undefined;
  }
  const result = await trx
    .updateTable('notification_preferences')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('user_id', '=', userId)
    .where('organisation_id', '=', organisationOf(trx))
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The stored version of the organisation's reminder rules; 0 while an admin never saved them. */
export async function findSettingsVersion(db: Db): Promise<number> {
  const row = await db.selectFrom('notification_settings').select('version').where('organisation_id', '=', organisationOf(db)).executeTakeFirst();
  return row ? Number(row.version) : 0;
}

/** Writes the organisation's reminder rules if still at `version` (0: none stored yet); false on a stale version. */
export async function saveSettingsRow(
  trx: Db,
  values: { days_before: string; escalate_after_days: number; digest_weekday: number },
  version: number,
  at: string,
): Promise<boolean> {
  if (version === 0) {
    const row = await trx
      .insertInto('notification_settings')
      .values({ organisation_id: organisationOf(trx), ...values, updated_at: at })
      .onConflict((oc) => oc.column('organisation_id').doNothing())
      .returning('organisation_id')
      .executeTakeFirst();
    return row !== undefined;
  }
  const result = await trx
    .updateTable('notification_settings')
    .set((eb) => ({ ...values, updated_at: at, version: eb('version', '+', 1) }))
    .where('organisation_id', '=', organisationOf(trx))
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

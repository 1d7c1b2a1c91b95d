import type { Request, Response } from 'express';
import type { AppContext } from '../../core/context';
import { failField, parseForm } from '../../core/http/forms';
import { ADMIN, SIGNED_IN } from '../../core/http/roles';
import { RouteTable } from '../../core/http/routes';
import { setFlash } from '../../core/http/session';
import { preferencesOf, reminderSettingsOf } from './notifications.preferences';
import { findPreferencesVersion, findSettingsVersion } from './notifications.settings.queries';
import { parseDaysBefore, PreferencesForm, ReminderSettingsForm, WEEKDAYS } from './notifications.settings.schemas';
import { savePreferences, saveReminderSettings } from './notifications.settings.service';
import { EMAIL_MODES, NOTICE_KINDS } from './notifications.tables';

const PREFERENCES_VIEW = 'notifications/preferences';
const SETTINGS_VIEW = 'notifications/settings';

const preferencesLocals = {
  pageTitle: 'notifications.preferences.title',
  langOptions: [{ value: 'vi' }, { value: 'en' }],
  modeOptions: EMAIL_MODES.map((value) => ({ value })),
};
const settingsLocals = { pageTitle: 'notifications.settings.title', weekdayOptions: WEEKDAYS.map((value) => ({ value })) };

/** The kinds as checkboxes: ticked when wanted by e-mail. */
const kindBoxes = (wanted: readonly string[]) => NOTICE_KINDS.map((kind) => ({ kind, checked: wanted.includes(kind) }));

/** Each person's notification choices (every role) and the organisation's reminder rules (admin). */
export function notificationSettingsRoutes(ctx: AppContext): RouteTable {
  return new RouteTable()
    .get('/account/notifications', SIGNED_IN, async (req: Request, res: Response) => {
      const userId = req.user!.id;
      const prefs = await preferencesOf(ctx.db, userId);
      const values = { lang: prefs.lang, email_mode: prefs.emailMode, version: await findPreferencesVersion(ctx.db, userId) };
      res.render(PREFERENCES_VIEW, { ...preferencesLocals, values, errors: {}, kinds: kindBoxes(NOTICE_KINDS.filter((k) => !prefs.muted.includes(k))) });
    })
    .post('/account/notifications', SIGNED_IN, async (req: Request, res: Response) => {
      const submitted = req.body as Record<string, unknown>;
      const ticked = ([] as unknown[]).concat(submitted.kinds ?? []).map(String);
      const form = parseForm(PreferencesForm, req.body, { view: PREFERENCES_VIEW, locals: { ...preferencesLocals, kinds: kindBoxes(ticked) } });
      const muted = NOTICE_KINDS.filter((k) => !form.kinds.includes(k));
      await savePreferences(ctx, req.user!.id, { lang: form.lang, email_mode: form.email_mode, muted }, form.version);
      await setFlash(ctx, req, { kind: 'success', key: 'flash.saved' });
      res.redirect(303, '/account/notifications');
    })
    .get('/admin/notifications', ADMIN, async (_req: Request, res: Response) => {
      const settings = await reminderSettingsOf(ctx.db);
      const values = {
        days_before: settings.daysBefore.join(', '),
        escalate_after_days: String(settings.escalateAfterDays),
        digest_weekday: String(settings.digestWeekday),
        version: await findSettingsVersion(ctx.db),
      };
      res.render(SETTINGS_VIEW, { ...settingsLocals, values, errors: {} });
    })
    .post('/admin/notifications', ADMIN, async (req: Request, res: Response) => {
      const view = { view: SETTINGS_VIEW, locals: settingsLocals };
      const form = parseForm(ReminderSettingsForm, req.body, view);
      const daysBefore = parseDaysBefore(form.days_before);
      if (!daysBefore) failField('days_before', 'validation.notifications_days_before', req.body as Record<string, unknown>, view);
      await saveReminderSettings(
        ctx,
        req.user!.id,
        { daysBefore, escalateAfterDays: form.escalate_after_days, digestWeekday: Number(form.digest_weekday) },
        form.version,
      );
      await setFlash(ctx, req, { kind: 'success', key: 'flash.saved' });
      res.redirect(303, '/admin/notifications');
    });
}

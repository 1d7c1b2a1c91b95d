import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preferencesOf, reminderSettingsOf } from '../../src/features/notifications/notifications.preferences';
import { NOTICE_KINDS } from '../../src/features/notifications/notifications.tables';
import { createTestApp, one, rows, type SignedIn, type TestApp } from '../support/app';
import { fieldsWithErrors, textOf } from '../support/html';

/**
 * The notification settings: each person's own (/account/notifications, every role that works in the office) and the
 * organisation's reminder rules (/admin/notifications, admins only): validated next to the fields, saved with a
 * version check and an audit entry, refused without the CSRF token.
 */
let t: TestApp;
let staff: SignedIn;
let admin: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  staff = await t.signIn('staff');
  admin = await t.signIn('admin');
});
afterAll(async () => t?.close());

describe('a person’s notification settings', () => {
  it('shows the defaults, with every kind ticked, in the navigation of every role', async () => {
    const page = await staff.get('/account/notifications');
    expect(page.status).toBe(200);
    expect(page.text).toContain('href="/account/notifications"');
    expect(textOf(page.text)).toContain('Thông báo của tôi');
    expect(textOf(page.text)).toContain('Sắp đến hạn');
    expect((page.text.match(/name="kinds"[^>]*checked/g) ?? []).length).toBe(NOTICE_KINDS.length);
  });

  it('saves the language, the mode and the kinds wanted by e-mail, with an audit entry, then refuses a stale version', async () => {
    const res = await staff.post('/account/notifications', { lang: 'en', email_mode: 'digest', kinds: ['overdue', 'escalation'], version: '0' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/account/notifications');
    const prefs = await preferencesOf(t.ctx.db, t.users.staff);
    expect(prefs.lang).toBe('en');
    expect(prefs.emailMode).toBe('digest');
    expect(prefs.muted).toHaveLength(NOTICE_KINDS.length - 2);
    expect(prefs.muted).not.toContain('overdue');
    expect(prefs.muted).toContain('due_soon');
    const audit = await one<{ user_id: number; new_values: string }>(
      t,
      `select user_id, new_values from audit_log where entity = 'notification_preferences' order by id desc`,
    );
    expect(audit!.user_id).toBe(t.users.staff);
    expect(JSON.parse(audit!.new_values)).toMatchObject({ lang: 'en', email_mode: 'digest' });
    const page = await staff.get('/account/notifications');
    expect(page.text).toMatch(/value="overdue" checked/);
    expect(page.text).not.toMatch(/value="due_soon" checked/);
    expect(page.text).toContain('name="version" value="1"');
    // Saved again from the first page (version 0): a conflict that changes nothing.
    const stale = await staff.post('/account/notifications', { lang: 'vi', email_mode: 'off', version: '0' });
    expect(stale.status).toBe(409);
    expect((await preferencesOf(t.ctx.db, t.users.staff)).emailMode).toBe('digest');
  });

  it('refuses bad input next to the field, keeping what was ticked, and a post without the CSRF token', async () => {
    const res = await staff.post('/account/notifications', { lang: 'fr', email_mode: 'sometimes', kinds: ['overdue', 'nonsense'], version: '1' });
    expect(res.status).toBe(422);
    expect(fieldsWithErrors(res.text).sort()).toEqual(['email_mode', 'kinds', 'lang']);
    expect(res.text).toMatch(/value="overdue" checked/);
    const noToken = await staff.agent.post('/account/notifications').type('form').send({ lang: 'vi', email_mode: 'off', version: '1' });
    expect(noToken.status).toBe(403);
    expect((await preferencesOf(t.ctx.db, t.users.staff)).lang).toBe('en');
  });
});

describe('the organisation’s reminder rules', () => {
  it('are for admins only', async () => {
    expect((await staff.get('/admin/notifications')).status).toBe(403);
    expect((await staff.post('/admin/notifications', { days_before: '3', escalate_after_days: '2', digest_weekday: '5', version: '0' })).status).toBe(403);
    const page = await admin.get('/admin/notifications');
    expect(page.status).toBe(200);
    expect(page.text).toContain('href="/admin/notifications"');
    expect(page.text).toContain('value="7, 1"');
  });

  it('validate the days before (1–60, at most four, different), the escalation (1–60) and the weekday', async () => {
    for (const bad of ['0', '61', '7,1,2,3,4', '7,7', 'bảy', '']) {
      const res = await admin.post('/admin/notifications', { days_before: bad, escalate_after_days: '3', digest_weekday: '1', version: '0' });
      expect(res.status, bad).toBe(422);
      expect(fieldsWithErrors(res.text), bad).toEqual(['days_before']);
    }
    const res = await admin.post('/admin/notifications', { days_before: '7', escalate_after_days: '61', digest_weekday: '8', version: '0' });
    expect(res.status).toBe(422);
    expect(fieldsWithErrors(res.text).sort()).toEqual(['digest_weekday', 'escalate_after_days']);
    expect(await rows(t, 'select organisation_id from notification_settings')).toEqual([]);
  });

  it('save with an audit entry and a version check', async () => {
    const res = await admin.post('/admin/notifications', { days_before: '1, 10, 3', escalate_after_days: '5', digest_weekday: '5', version: '0' });
    expect(res.status).toBe(303);
    expect(await reminderSettingsOf(t.ctx.db)).toEqual({ daysBefore: [10, 3, 1], escalateAfterDays: 5, digestWeekday: 5 });
    const audit = await one<{ user_id: number; old_values: string; new_values: string }>(
      t,
      `select user_id, old_values, new_values from audit_log where entity = 'notification_settings' order by id desc`,
    );
    expect(audit!.user_id).toBe(t.users.admin);
    expect(JSON.parse(audit!.old_values)).toEqual({ daysBefore: [7, 1], escalateAfterDays: 3, digestWeekday: 1 });
    expect(JSON.parse(audit!.new_values)).toEqual({ daysBefore: [10, 3, 1], escalateAfterDays: 5, digestWeekday: 5 });
    expect((await admin.post('/admin/notifications', { days_before: '2', escalate_after_days: '2', digest_weekday: '2', version: '0' })).status).toBe(409);
    expect((await admin.post('/admin/notifications', { days_before: '2', escalate_after_days: '2', digest_weekday: '2', version: '1' })).status).toBe(303);
    expect(await reminderSettingsOf(t.ctx.db)).toEqual({ daysBefore: [2], escalateAfterDays: 2, digestWeekday: 2 });
  });
});

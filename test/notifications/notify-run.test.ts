import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli';
import { runDigest } from '../../src/features/notifications/notifications.digest';
import { startScheduler } from '../../src/features/notifications/notifications.scheduler';
import { createTestApp, rows, run, type TestApp } from '../support/app';
import { ncIn, newAction } from '../nonconformities/helpers';
import { addOrganisation } from '../support/orgs';
import { TestSmtp } from './support/smtp';

/**
 * `npm run qms -- notify:run [--org CODE] [--date YYYY-MM-DD]`: the day's reminders once, for cron, on the database
 * the test app uses (either engine), printing what it did; a second run of the day does nothing.
 */
let t: TestApp;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  t = await createTestApp();
  env = {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_PATH: t.config.databasePath,
    DATABASE_URL: t.config.databaseUrl,
    AUDIT_KEY_FILE: t.config.auditKeyFile,
  };
});
afterAll(async () => t?.close());

describe('qms notify:run', () => {
  it('computes the reminders of the day given, once, and says so', async () => {
    const nc = await ncIn(t, 'action_plan');
    // Only the action below is open: the one the NC's set-up gave is cancelled.
    await run(t, `update nc_actions set status = 'cancelled', cancelled_on = '2026-11-26', cancel_reason = 'Thay thế' where id = ?`, nc.actionId);
    // Due Thursday 10/12/2026: 1 working day before is Wednesday 09/12.
    const action = await newAction(t, nc.id, { ownerId: t.users.staff, dueDate: '2026-12-10' });
    const first = await runCli(['notify:run', '--date', '2026-12-09'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim()).toBe('DV1 2026-12-09: reminders 1, digests 0');
    const again = await runCli(['notify:run', '--org', 'dv1', '--date', '2026-12-09'], env);
    expect(again.stdout.trim()).toBe('DV1 2026-12-09: already done');
    expect(
      await rows(t, `select user_id, kind, dedupe_key from notifications where entity = 'nc_action' and entity_id = ? and kind = 'due_soon'`, String(action)),
    ).toEqual([{ user_id: t.users.staff, kind: 'due_soon', dedupe_key: `due_soon:1:nc_action:${action}:2026-12-10` }]);
  });

  it('runs every active organisation without --org, and refuses a bad date or an unknown organisation with one line', async () => {
    await addOrganisation(t, 'XA-2');
    const both = await runCli(['notify:run', '--date', '2026-12-11'], env);
    expect(both.code, both.stderr).toBe(0);
    // Friday 11/12 is the first working day after the action's due date: it is overdue.
    expect(both.stdout.trim().split('\n')).toEqual(['DV1 2026-12-11: reminders 1, digests 0', 'XA-2 2026-12-11: reminders 0, digests 0']);
    expect(await rows(t, `select organisation_id from reminder_runs where run_on = '2026-12-11' order by organisation_id`)).toHaveLength(2);
    const bad = await runCli(['notify:run', '--date', '2026-02-30'], env);
    expect(bad).toMatchObject({ code: 1, stderr: 'qms notify:run: --date must be a date YYYY-MM-DD\n' });
    const unknown = await runCli(['notify:run', '--org', 'KHONG'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^qms notify:run: no organisation with code KHONG/);
  });

  it('queues no digest while e-mail is not configured', async () => {
    await run(t, 'update users set email = ? where id = ?', 'staff@example.vn', t.users.staff);
    await run(
      t,
      `insert into notification_preferences (user_id, organisation_id, email_mode, updated_at) values (?, 1, 'digest', ?)`,
      t.users.staff,
      t.clock.now().toISOString(),
    );
    expect(await t.ctx.db.transaction().execute((trx) => runDigest(trx, '2026-12-14', t.clock.now()))).toBe(0);
    expect(await rows(t, 'select id from outbox')).toEqual([]);
  });

  it('is what the server’s scheduler does after 07:00 local time, and only then', async () => {
    const ranOn = async (date: string) => (await rows(t, `select organisation_id from reminder_runs where run_on = ? order by organisation_id`, date)).length;
    // 06:59 in Hà Nội on Tuesday 15/12/2026 (23:59 UTC the day before): too early.
    t.clock.set('2026-12-14T23:59:00Z');
    const early = startScheduler(t.appCtx, () => {});
    await early.stop();
    expect(await ranOn('2026-12-15')).toBe(0);
    // 07:00: both organisations' runs of the day.
    t.clock.set('2026-12-15T00:00:00Z');
    const errors: unknown[] = [];
    const onTime = startScheduler(t.appCtx, (_m, err) => errors.push(err));
    await onTime.stop();
    expect(errors).toEqual([]);
    expect(await ranOn('2026-12-15')).toBe(2);
  });

  it('then sends the due e-mails once when SMTP_URL is set, and says what it sent', async () => {
    const smtp = await TestSmtp.start();
    try {
      await run(t, 'update users set email = ? where id = ?', 'staff@example.vn', t.users.staff);
      await run(t, `update notification_preferences set email_mode = 'immediate' where user_id = ?`, t.users.staff);
      const nc = await ncIn(t, 'action_plan');
      await run(t, `update nc_actions set status = 'cancelled', cancelled_on = '2026-11-26', cancel_reason = 'Thay thế' where id = ?`, nc.actionId);
      // Due Friday 18/12/2026: 1 working day before is Thursday 17/12 (its 7-day reminder, on 09/12, is past).
      const action = await newAction(t, nc.id, { ownerId: t.users.staff, dueDate: '2026-12-18' });
      const withMail = { ...env, SMTP_URL: smtp.url };
      const first = await runCli(['notify:run', '--org', 'DV1', '--date', '2026-12-17'], withMail);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout.trim().split('\n')).toEqual([
        'DV1 2026-12-17: reminders 1, digests 0',
        'e-mail: sent 1, retrying 0, failed 0, possibly sent twice 0',
      ]);
      expect(smtp.received.map((m) => m.to)).toEqual([['staff@example.vn']]);
      expect(smtp.received[0].text).toContain(`Mở hồ sơ: /actions/${action}`);
      expect(await rows(t, `select status from outbox where notification_id in (select id from notifications where entity_id = ?)`, String(action))).toEqual([
        { status: 'sent' },
      ]);
      const again = await runCli(['notify:run', '--org', 'DV1', '--date', '2026-12-17'], withMail);
      expect(again.stdout.trim().split('\n')).toEqual(['DV1 2026-12-17: already done', 'e-mail: sent 0, retrying 0, failed 0, possibly sent twice 0']);
      expect(smtp.received).toHaveLength(1);
    } finally {
      await smtp.stop();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/features/demo';
import { createTestApp, one, rows, type TestApp } from '../support/app';

/**
 * The demo's reminders (its "now" is the test clock's, Thursday 26/11/2026): the model office's rules saved, the
 * one-stop-shop clerk on the weekly digest, and today's run done, so that the owners of the demo's overdue and
 * nearly due items find them in their inboxes.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ withUsers: false });
  await runDemo(t.ctx, () => {}, { province: false });
}, 120_000);
afterAll(async () => t.close());

describe('demo reminders', () => {
  it('saves the office’s rules and puts one clerk on the weekly digest', async () => {
    expect(await one(t, 'select days_before, escalate_after_days, digest_weekday from notification_settings where organisation_id = 1')).toEqual({
      days_before: '7,1',
      escalate_after_days: 3,
      digest_weekday: 1,
    });
    expect(await rows(t, `select u.username from notification_preferences p join users u on u.id = p.user_id where p.email_mode = 'digest'`)).toEqual([
      { username: 'motcua' },
    ]);
  });

  it('runs today’s reminders: every open item overdue has its owner’s overdue notice, those due within 7 working days a due-soon one', async () => {
    expect(await one(t, `select run_on from reminder_runs where organisation_id = 1`)).toEqual({ run_on: '2026-11-26' });
    const overdueActions = await rows<{ id: number; owner_id: number }>(
      t,
      `select id, owner_id from nc_actions where organisation_id = 1 and status in ('planned', 'in_progress') and due_date < '2026-11-26' order by id`,
    );
    expect(overdueActions.length).toBeGreaterThan(0);
    const notices = await rows<{ user_id: number; entity_id: string; kind: string }>(
      t,
      `select user_id, entity_id, kind from notifications where entity = 'nc_action' and kind = 'overdue'`,
    );
    for (const a of overdueActions) expect(notices).toContainEqual({ user_id: a.owner_id, entity_id: String(a.id), kind: 'overdue' });
    const kinds = new Set((await rows<{ kind: string }>(t, `select distinct kind from notifications`)).map((r) => r.kind));
    expect(kinds).toContain('due_soon');
    expect(kinds).toContain('escalation');
  });
});

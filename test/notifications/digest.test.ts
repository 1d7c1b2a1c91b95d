import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notify, type Notice } from '../../src/features/notifications/notifications.notify';
import { runDueReminders } from '../../src/features/notifications/notifications.scheduler';
import { createTestApp, rows, run, type TestApp } from '../support/app';

/**
 * The weekly digest, on the organisation's digest weekday (Monday by default): one mail per person who chose it and
 * has an address, listing exactly their notifications not yet mailed (except the kinds they do not want by e-mail),
 * in their language; those notifications are then marked mailed. 07/06/2027 is a Monday.
 */
let t: TestApp;

async function runOn(date: string) {
  t.clock.set(`${date}T01:00:00Z`);
  return runDueReminders(t.appCtx);
}

let seq = 0;
async function give(userId: number, kind: Notice['kind'], code: string): Promise<number> {
  seq += 1;
  const id = await t.ctx.db.transaction().execute((trx) =>
    notify(
      trx,
      {
        userId,
        kind,
        entity: 'nc_action',
        entityId: seq,
        link: `/actions/${seq}`,
        params: { code, title: `Việc ${code}` },
        dueOn: '2027-06-30',
        dedupeKey: `test:${seq}`,
      },
      t.clock.now(),
    ),
  );
  return id!;
}

async function digests() {
  return rows<{ user_id: number; to_address: string; lang: string; subject: string; text_body: string; html_body: string; idempotency_key: string }>(
    t,
    `select user_id, to_address, lang, subject, text_body, html_body, idempotency_key from outbox where kind = 'digest' order by id`,
  );
}

beforeAll(async () => {
  t = await createTestApp({ config: { smtpUrl: 'smtp://127.0.0.1:1', publicUrl: 'https://qms.example.vn' } });
  const at = t.clock.now().toISOString();
  for (const [role, email, lang, mode, muted] of [
    ['staff', 'staff@example.vn', 'en', 'digest', '[]'],
    ['quality_officer', 'qo@example.vn', 'vi', 'digest', '["document_acknowledge"]'],
    ['leader', 'leader@example.vn', 'vi', 'immediate', '[]'],
    ['admin', null, 'vi', 'digest', '[]'],
  ] as const) {
    const id = t.users[role];
    await run(t, 'update users set email = ? where id = ?', email, id);
    await run(
      t,
      `insert into notification_preferences (user_id, organisation_id, lang, email_mode, muted_kinds, updated_at) values (?, 1, ?, ?, ?, ?)`,
      id,
      lang,
      mode,
      muted,
      at,
    );
  }
});
afterAll(async () => t?.close());

describe('the weekly digest', () => {
  it('is sent on the digest weekday only, one mail per person, listing exactly their unmailed items in their language', async () => {
    t.clock.set('2027-06-03T03:00:00Z');
    const s1 = await give(t.users.staff, 'action_assigned', 'NC-2027-001');
    const s2 = await give(t.users.staff, 'revision_review', 'QT-05');
    const q1 = await give(t.users.quality_officer, 'feedback_triage', 'PA-2027-004');
    const qMuted = await give(t.users.quality_officer, 'document_acknowledge', 'QT-07');
    await give(t.users.leader, 'action_assigned', 'NC-2027-002');
    await give(t.users.admin, 'action_assigned', 'NC-2027-003');
    // Immediate people got their mail at once; digest people none yet.
    expect((await rows(t, `select user_id from outbox where kind = 'notice'`)).map((r) => r.user_id)).toEqual([t.users.leader]);

    expect((await runOn('2027-06-06'))[0]).toMatchObject({ ran: true, digests: 0 });
    expect(await digests()).toEqual([]);

    expect((await runOn('2027-06-07'))[0]).toMatchObject({ ran: true, digests: 2 });
    const all = await digests();
    expect(all).toHaveLength(2);
    const staffMail = all.find((m) => m.user_id === t.users.staff)!;
    const qoMail = all.find((m) => m.user_id === t.users.quality_officer)!;
    expect(staffMail).toMatchObject({ user_id: t.users.staff, to_address: 'staff@example.vn', lang: 'en', subject: 'Your notifications this week (2)' });
    expect(staffMail.text_body).toContain('Action assigned to you: NC-2027-001 — Việc NC-2027-001 (due 30/06/2027)');
    expect(staffMail.text_body).toContain('Revision waiting for your review: QT-05');
    expect(staffMail.text_body).toContain(`https://qms.example.vn/actions/`);
    expect(staffMail.text_body).not.toContain('PA-2027-004');
    expect(staffMail.html_body).toContain('<li><a href="https://qms.example.vn/actions/');
    expect(qoMail).toMatchObject({ user_id: t.users.quality_officer, lang: 'vi', subject: 'Tổng hợp thông báo trong tuần (1)' });
    expect(qoMail.text_body).toContain('Phản ánh, kiến nghị chờ phân loại: PA-2027-004');
    expect(qoMail.text_body).not.toContain('QT-07');
    expect(staffMail.idempotency_key).toBe(`digest.1.${t.users.staff}.2027-06-07`);

    const mailed = await rows<{ id: number; mailed_at: string | null }>(
      t,
      'select id, mailed_at from notifications where id in (?, ?, ?, ?) order by id',
      s1,
      s2,
      q1,
      qMuted,
    );
    expect(mailed.map((n) => n.mailed_at !== null)).toEqual([true, true, true, false]);
  });

  it('lists next week only what came since, and sends nothing to whom nothing came', async () => {
    t.clock.set('2027-06-10T03:00:00Z');
    await give(t.users.staff, 'due_soon', 'NC-2027-009');
    await runOn('2027-06-14');
    const all = await digests();
    expect(all).toHaveLength(3);
    expect(all[2]).toMatchObject({ user_id: t.users.staff, subject: 'Your notifications this week (1)' });
    expect(all[2].text_body).toContain('Due soon: NC-2027-009');
    expect(all[2].text_body).not.toContain('NC-2027-001');
  });

  it('follows the organisation’s digest weekday', async () => {
    await run(
      t,
      `insert into notification_settings (organisation_id, days_before, escalate_after_days, digest_weekday, updated_at) values (1, '7,1', 3, 5, ?)`,
      t.clock.now().toISOString(),
    );
    await give(t.users.staff, 'overdue', 'NC-2027-010');
    await runOn('2027-06-21');
    expect(await digests()).toHaveLength(3);
    await runOn('2027-06-25');
    expect(await digests()).toHaveLength(4);
  });
});

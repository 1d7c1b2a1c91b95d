import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { notify } from '../../src/features/notifications/notifications.notify';
import { claimOutbox, findOutboxMessage } from '../../src/features/notifications/notifications.outbox.queries';
import { LEASE_MS, sendDue } from '../../src/features/notifications/notifications.sender';
import { mailTransportOf, type MailTransport } from '../../src/features/notifications/notifications.transport';
import { createTestApp, extractCsrf, one, rows, run, TEST_PASSWORD, type SignedIn, type TestApp } from '../support/app';
import { addOrganisation, type OtherOrganisation } from '../support/orgs';
import { TestSmtp } from './support/smtp';

/**
 * The admin's outbox (/admin/outbox, issue 26): counts and filters, a failed message with its reason and its resend
 * (once, audit-logged, CSRF-checked), a message possibly sent twice marked, the test message to oneself, the notice
 * when SMTP_URL is not set; admins only, each organisation its own messages. The clock says 2026-11-26 09:00 in
 * Asia/Ho_Chi_Minh.
 */
let t: TestApp;
let smtp: TestSmtp;
let transport: MailTransport;
let admin: SignedIn;
let b: OtherOrganisation;

beforeAll(async () => {
  smtp = await TestSmtp.start();
  t = await createTestApp({ config: { smtpUrl: smtp.url, publicUrl: 'https://qms.example.gov.vn' } });
  transport = mailTransportOf(t.config)!;
  b = await addOrganisation(t, 'XA-YT');
  await run(t, 'update users set email = ? where id = ?', 'lan.nguyen@nghiahung.gov.vn', t.users.leader);
  await run(t, 'update users set email = ? where id = ?', 'khong.ton.tai@nghiahung.gov.vn', t.users.staff);
  await run(t, 'update users set email = ? where id = ?', 'staff.b@yenthanh.gov.vn', b.users.staff);
  admin = await t.signIn('admin');
});

afterAll(async () => {
  transport?.close();
  await t?.close();
  await smtp?.stop();
});

/** A notice for a person of organisation A (or of `org`); its outbox id. */
async function queued(userId: number, n: number, org: { ctx: TestApp['ctx'] } = t): Promise<number> {
  const id = await org.ctx.db.transaction().execute((trx) =>
    notify(
      trx,
      {
        userId,
        kind: 'revision_review',
        entity: 'document_revision',
        entityId: n,
        link: `/documents/${n}`,
        params: { code: `QT-0${n}`, title: 'Quy trình tiếp nhận hồ sơ' },
        dedupeKey: `rr:${n}`,
      },
      t.clock.now(),
    ),
  );
  return (await one<{ id: number }>(t, 'select id from outbox where notification_id = ?', id))!.id;
}

const send = () => sendDue(t.ctx.db, { transport, clock: t.clock });
const rowOf = (html: string, id: number) => new RegExp(`<tr data-outbox="${id}"[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '';
const counts = (html: string) => /data-counts="([^"]+)"/.exec(html)?.[1];

describe('the outbox page', () => {
  it('is for admins only', async () => {
    for (const role of ['quality_officer', 'leader', 'staff'] as const) {
      const user = await t.signIn(role);
      expect((await user.get('/admin/outbox')).status, role).toBe(403);
      expect((await user.post('/admin/outbox/test')).status, role).toBe(403);
    }
    const page = await admin.get('/admin/outbox');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Hộp thư đi');
    expect(page.text).toContain('href="/admin/outbox"');
    expect(page.text).not.toContain('data-mail="off"');
  });

  it('shows a sent message with the SMTP answer and its time, and a refused one with its reason, resent once', async () => {
    const sent = await queued(t.users.leader, 1);
    const refused = await queued(t.users.staff, 2);
    const other = await queued(b.users.staff, 3, b);
    smtp.refuse.set('khong.ton.tai@nghiahung.gov.vn', { code: 550, message: 'Mailbox unavailable' });
    expect(await send()).toEqual({ sent: 2, retrying: 0, failed: 1, duplicates: 0 });
    smtp.refuse.clear();

    const page = (await admin.get('/admin/outbox')).text;
    expect(counts(page)).toBe('0,0,1,1,0'); // organisation B's message is not counted here
    expect(rowOf(page, sent)).toContain('lan.nguyen@nghiahung.gov.vn');
    expect(rowOf(page, sent)).toContain('Bản sửa đổi chờ bạn xem xét: QT-01 — Quy trình tiếp nhận hồ sơ');
    expect(rowOf(page, sent)).toMatch(/250 /);
    expect(rowOf(page, sent)).toContain('26/11/2026 09:00');
    expect(rowOf(page, sent)).not.toContain('/resend');
    expect(rowOf(page, refused)).toContain('550 Mailbox unavailable');
    expect(rowOf(page, refused)).toContain(`action="/admin/outbox/${refused}/resend"`);
    expect(rowOf(page, other)).toBe('');
    expect(page).not.toContain('staff.b@yenthanh.gov.vn');
    const failedOnly = (await admin.get('/admin/outbox?show=failed')).text;
    expect(rowOf(failedOnly, refused)).not.toBe('');
    expect(rowOf(failedOnly, sent)).toBe('');

    // without the CSRF token nothing changes
    const forged = await admin.agent.post(`/admin/outbox/${refused}/resend`).type('form').send({});
    expect(forged.status).toBe(403);
    expect((await one<{ status: string }>(t, 'select status from outbox where id = ?', refused))!.status).toBe('failed');

    t.clock.advance(60_000);
    const resent = await admin.post(`/admin/outbox/${refused}/resend`);
    expect(resent.status).toBe(303);
    expect(await one(t, 'select status, attempts, next_attempt_at from outbox where id = ?', refused)).toEqual({
      status: 'pending',
      attempts: 0,
      next_attempt_at: t.clock.now().toISOString(),
    });
    const audit = await rows<{ action: string; user_id: number }>(
      t,
      "select action, user_id from audit_log where entity = 'outbox' and entity_id = ?",
      String(refused),
    );
    expect(audit).toEqual([{ action: 'resend', user_id: t.users.admin }]);
    expect((await admin.post(`/admin/outbox/${refused}/resend`)).status).toBe(409); // waiting already: not twice
    // B's failed message cannot be resent from A
    expect((await admin.post(`/admin/outbox/${other}/resend`)).status).toBe(404);

    expect(await send()).toEqual({ sent: 1, retrying: 0, failed: 0, duplicates: 0 });
    const key = (await one<{ idempotency_key: string }>(t, 'select idempotency_key from outbox where id = ?', refused))!.idempotency_key;
    expect(smtp.withId(`<${key}@127.0.0.1>`)).toHaveLength(1);
    expect(counts((await admin.get('/admin/outbox')).text)).toBe('0,0,2,0,0');
    expect((await admin.post(`/admin/outbox/${refused}/resend`)).status).toBe(409); // sent: nothing to resend
  });

  it('marks a message sent again after its sender stopped between sending and recording', async () => {
    const id = await queued(t.users.leader, 4);
    // a sender claims it and sends it, then stops before recording (its process died)
    const now = t.clock.now();
    const scoped = t.ctx.db;
    expect(await claimOutbox(scoped, id, 'dead-sender', now.toISOString(), new Date(now.getTime() + LEASE_MS).toISOString())).toBe(true);
    const message = (await findOutboxMessage(scoped, id))!;
    await transport.send({
      to: message.to_address,
      subject: message.subject,
      text: message.text_body,
      html: message.html_body,
      messageId: `<${message.idempotency_key}@127.0.0.1>`,
    });
    // while its lease runs, nobody else sends it
    expect(await send()).toEqual({ sent: 0, retrying: 0, failed: 0, duplicates: 0 });
    t.clock.advance(LEASE_MS + 1000);
    expect(await send()).toEqual({ sent: 1, retrying: 0, failed: 0, duplicates: 1 });
    expect(smtp.withId(`<${message.idempotency_key}@127.0.0.1>`)).toHaveLength(2);
    expect(await one(t, 'select status, attempts, possible_duplicate from outbox where id = ?', id)).toEqual({
      status: 'sent',
      attempts: 2,
      possible_duplicate: 1,
    });
    const page = (await admin.get('/admin/outbox?show=duplicate')).text;
    expect(counts(page)).toBe('0,0,3,0,1');
    expect(rowOf(page, id)).toContain('Có thể đã gửi hai lần');
    expect(page.match(/<tr data-outbox=/g)).toHaveLength(1);
  });

  it('queues a test message to the admin’s own address', async () => {
    const none = await admin.post('/admin/outbox/test');
    expect(none.status).toBe(303);
    expect(await rows(t, "select id from outbox where kind = 'test'")).toEqual([]);
    expect((await admin.get('/admin/outbox')).text).toContain('Tài khoản của anh/chị chưa có địa chỉ thư điện tử.');
    await run(t, 'update users set email = ? where id = ?', 'quantri@nghiahung.gov.vn', t.users.admin);
    expect((await admin.post('/admin/outbox/test')).status).toBe(303);
    expect(await send()).toEqual({ sent: 1, retrying: 0, failed: 0, duplicates: 0 });
    const mail = smtp.received.filter((m) => m.to[0] === 'quantri@nghiahung.gov.vn');
    expect(mail).toHaveLength(1);
    expect(mail[0].subject).toBe('Thư thử của hệ thống quản lý chất lượng');
    expect(await rows(t, "select action from audit_log where entity = 'outbox' and action = 'create'")).toHaveLength(1);
  });

  it('shows each organisation its own messages', async () => {
    const bAdmin = await t.signIn(b.usernames.admin);
    const page = (await bAdmin.get('/admin/outbox')).text;
    expect(page).toContain('staff.b@yenthanh.gov.vn');
    expect(page).not.toContain('lan.nguyen@nghiahung.gov.vn');
    expect(counts(page)).toBe('0,0,1,0,0');
  });

  it('says so when SMTP_URL is not set', async () => {
    const app = createApp({ ...t.appCtx, config: { ...t.config, smtpUrl: undefined } });
    const agent = request.agent(app);
    const login = await agent.get('/login');
    await agent
      .post('/login')
      .type('form')
      .send({ username: 'admin', password: TEST_PASSWORD, _csrf: extractCsrf(login.text) });
    const page = await agent.get('/admin/outbox');
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-mail="off"');
    expect(page.text).toContain('Chưa cấu hình máy chủ thư (SMTP_URL)');
    expect(page.text).not.toContain('action="/admin/outbox/test"');
  });
});

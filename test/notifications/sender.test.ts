import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notify } from '../../src/features/notifications/notifications.notify';
import { BACKOFF_MINUTES, MAX_ATTEMPTS, sendDue, sendDueNow } from '../../src/features/notifications/notifications.sender';
import { mailTransportOf, sendErrorOf, type MailTransport } from '../../src/features/notifications/notifications.transport';
import { createTestApp, one, rows, run, type TestApp } from '../support/app';
import { TestSmtp } from './support/smtp';

/**
 * The sender against a real SMTP server in the test process (issue 26): a notice queued by notify() arrives once, in
 * the recipient's language, with the link to the record; the mail server down then up is retried with backoff on the
 * app's clock, nothing lost and nothing doubled; a 5xx answer fails at once; the last attempt fails for good.
 */
let t: TestApp;
let smtp: TestSmtp;
let transport: MailTransport;
const PUBLIC_URL = 'https://qms.example.gov.vn';

interface OutboxRow {
  id: number;
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  smtp_response: string | null;
  sent_at: string | null;
  idempotency_key: string;
  possible_duplicate: number;
}

beforeAll(async () => {
  smtp = await TestSmtp.start();
  t = await createTestApp({ config: { smtpUrl: smtp.url, publicUrl: PUBLIC_URL } });
  transport = mailTransportOf(t.config)!;
  await run(t, 'update users set email = ? where id = ?', 'lan.nguyen@nghiahung.gov.vn', t.users.leader);
  await run(t, 'update users set email = ? where id = ?', 'minh.tran@nghiahung.gov.vn', t.users.staff);
  await run(
    t,
    'insert into notification_preferences (user_id, organisation_id, lang, updated_at) values (?, 1, ?, ?)',
    t.users.staff,
    'en',
    t.clock.now().toISOString(),
  );
});

afterAll(async () => {
  transport?.close();
  await t?.close();
  await smtp?.stop();
});

/** Queues one notice for a person (as an event does, in a transaction); its outbox row. */
async function queued(userId: number, n: number): Promise<OutboxRow> {
  const id = await t.ctx.db.transaction().execute((trx) =>
    notify(
      trx,
      {
        userId,
        kind: 'action_assigned',
        entity: 'nc_action',
        entityId: n,
        link: `/nonconformities/${n}`,
        params: { code: `NC-2026-${String(n).padStart(3, '0')}`, title: 'Bổ sung phiếu kiểm soát' },
        dueOn: '2026-12-10',
        dedupeKey: `action_assigned:${n}`,
      },
      t.clock.now(),
    ),
  );
  return (await one<OutboxRow>(t, 'select * from outbox where notification_id = ?', id))!;
}

const row = async (id: number) => (await one<OutboxRow>(t, 'select * from outbox where id = ?', id))!;
const idOf = (r: OutboxRow) => `<${r.idempotency_key}@127.0.0.1>`;
const send = () => sendDue(t.ctx.db, { transport, clock: t.clock });

describe('the sender', () => {
  it('delivers a notice once, to the right person, in their language, with the link to the record', async () => {
    const vi = await queued(t.users.leader, 1);
    const en = await queued(t.users.staff, 2);
    expect(await send()).toEqual({ sent: 2, retrying: 0, failed: 0, duplicates: 0 });
    const [toLeader] = smtp.withId(idOf(vi));
    expect(smtp.withId(idOf(vi))).toHaveLength(1);
    expect(toLeader.to).toEqual(['lan.nguyen@nghiahung.gov.vn']);
    expect(toLeader.from).toBe('qms-tracker@127.0.0.1');
    expect(toLeader.subject).toBe('Hành động được giao cho bạn: NC-2026-001 — Bổ sung phiếu kiểm soát');
    expect(toLeader.text).toContain('Kính gửi Người dùng leader,');
    expect(toLeader.text).toContain('Hạn: 10/12/2026');
    expect(toLeader.text).toContain(`Mở hồ sơ: ${PUBLIC_URL}/nonconformities/1`);
    expect(toLeader.text).toContain(`${PUBLIC_URL}/account/notifications`);
    expect(toLeader.html).toContain(`<a href="${PUBLIC_URL}/nonconformities/1">Mở hồ sơ</a>`);
    expect(toLeader.html).not.toMatch(/<script|<img/i);
    const [toStaff] = smtp.withId(idOf(en));
    expect(toStaff.to).toEqual(['minh.tran@nghiahung.gov.vn']);
    expect(toStaff.subject).toBe('Action assigned to you: NC-2026-002 — Bổ sung phiếu kiểm soát');
    expect(toStaff.text).toContain('Due: 10/12/2026');
    expect(toStaff.text).toContain(`Open the record: ${PUBLIC_URL}/nonconformities/2`);
    const stored = await row(vi.id);
    expect(stored).toMatchObject({ status: 'sent', attempts: 1, last_error: null, sent_at: t.clock.now().toISOString(), possible_duplicate: 0 });
    expect(stored.smtp_response).toMatch(/^250 /);
    // a second round finds nothing to send
    expect(await send()).toEqual({ sent: 0, retrying: 0, failed: 0, duplicates: 0 });
    expect(smtp.withId(idOf(vi))).toHaveLength(1);
  });

  it('retries while the mail server is down, with growing delays on the app’s clock, and delivers once when it is back', async () => {
    await smtp.down();
    const r = await queued(t.users.leader, 3);
    const start = t.clock.now().getTime();
    expect(await send()).toEqual({ sent: 0, retrying: 1, failed: 0, duplicates: 0 });
    let stored = await row(r.id);
    expect(stored).toMatchObject({ status: 'pending', attempts: 1, next_attempt_at: new Date(start + BACKOFF_MINUTES[0] * 60_000).toISOString() });
    expect(stored.last_error).toMatch(/ECONNRESET/); // the host resets the connection: nothing answers there
    // not due yet: nothing is tried
    t.clock.advance(59_000);
    expect(await send()).toEqual({ sent: 0, retrying: 0, failed: 0, duplicates: 0 });
    t.clock.advance(1_000);
    expect(await send()).toEqual({ sent: 0, retrying: 1, failed: 0, duplicates: 0 });
    stored = await row(r.id);
    expect(stored).toMatchObject({ status: 'pending', attempts: 2, next_attempt_at: new Date(start + (1 + 5) * 60_000).toISOString() });
    await smtp.up();
    t.clock.advance(5 * 60_000);
    expect(await send()).toEqual({ sent: 1, retrying: 0, failed: 0, duplicates: 0 });
    stored = await row(r.id);
    expect(stored).toMatchObject({ status: 'sent', attempts: 3, last_error: null, possible_duplicate: 0 });
    expect(smtp.withId(idOf(r))).toHaveLength(1);
    expect(await send()).toEqual({ sent: 0, retrying: 0, failed: 0, duplicates: 0 });
    expect(smtp.withId(idOf(r))).toHaveLength(1);
  });

  it('fails at once on a 5xx answer, and after the last attempt otherwise', async () => {
    smtp.refuse.set('minh.tran@nghiahung.gov.vn', { code: 550, message: 'No such user here' });
    const refused = await queued(t.users.staff, 4);
    expect(await send()).toEqual({ sent: 0, retrying: 0, failed: 1, duplicates: 0 });
    const stored = await row(refused.id);
    expect(stored).toMatchObject({ status: 'failed', attempts: 1, sent_at: null });
    expect(stored.last_error).toContain('550 No such user here');
    smtp.refuse.clear();

    await smtp.down();
    const r = await queued(t.users.leader, 5);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const result = await send();
      expect(result).toEqual(attempt < MAX_ATTEMPTS ? { sent: 0, retrying: 1, failed: 0, duplicates: 0 } : { sent: 0, retrying: 0, failed: 1, duplicates: 0 });
      t.clock.advance(BACKOFF_MINUTES[Math.min(attempt, BACKOFF_MINUTES.length) - 1] * 60_000);
    }
    expect(await row(r.id)).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
    await smtp.up();
    t.clock.advance(24 * 3600_000);
    expect(await send()).toEqual({ sent: 0, retrying: 0, failed: 0, duplicates: 0 });
    expect(smtp.withId(idOf(r))).toHaveLength(0);
    expect((await rows(t, "select id from outbox where status = 'sending'")).length).toBe(0);
  });

  it('sends one round with the configured transport for one-off callers (notify:run), or nothing without SMTP_URL', async () => {
    const r = await queued(t.users.leader, 6);
    expect(await sendDueNow({ ...t.ctx, config: { ...t.config, smtpUrl: undefined } })).toBeUndefined();
    expect(await sendDueNow(t.ctx, { organisationId: 2 })).toEqual({ sent: 0, retrying: 0, failed: 0, duplicates: 0 });
    expect(await sendDueNow(t.ctx, { organisationId: 1 })).toEqual({ sent: 1, retrying: 0, failed: 0, duplicates: 0 });
    expect(smtp.withId(idOf(r))).toHaveLength(1);
  });

  it('counts as permanent only a refusal of the message or its recipient, not of the sign-in or the connection', () => {
    const err = (code: string, responseCode?: number, response?: string) => Object.assign(new Error(response ?? code), { code, responseCode, response });
    expect(sendErrorOf(err('EENVELOPE', 550, '550 5.1.1 User unknown'))).toMatchObject({ permanent: true, message: 'EENVELOPE: 550 5.1.1 User unknown' });
    expect(sendErrorOf(err('EMESSAGE', 552, '552 Message too large')).permanent).toBe(true);
    expect(sendErrorOf(err('EENVELOPE', 450, '450 Mailbox busy')).permanent).toBe(false);
    expect(sendErrorOf(err('EENVELOPE', 503, '503 Bad sequence')).permanent).toBe(false);
    expect(sendErrorOf(err('EENVELOPE')).permanent).toBe(true); // an address nodemailer cannot use
    expect(sendErrorOf(err('EAUTH', 535, '535 Authentication failed')).permanent).toBe(false);
    expect(sendErrorOf(err('ECONNECTION', 554, '554 No service')).permanent).toBe(false);
    expect(sendErrorOf(err('ESOCKET')).permanent).toBe(false);
  });
});

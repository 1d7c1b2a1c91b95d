import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDueNow } from '../../src/features/notifications/notifications.sender';
import { createTestApp, one, run, type TestApp } from '../support/app';
import { actionVersion, ncIn } from '../nonconformities/helpers';
import { TestSmtp } from './support/smtp';

/**
 * From the change to the mailbox (issue 26): a change made through its form queues the e-mail in its transaction,
 * and the sender delivers it through a real SMTP server, once, to the person it waits for, in their language, with
 * the address of the record under PUBLIC_URL.
 */
const PUBLIC_URL = 'https://qms.nghiahung.gov.vn';
let smtp: TestSmtp;
let t: TestApp;

beforeAll(async () => {
  smtp = await TestSmtp.start();
  t = await createTestApp({ config: { smtpUrl: smtp.url, publicUrl: PUBLIC_URL } });
});
afterAll(async () => {
  await t?.close();
  await smtp?.stop();
});

/** The people's addresses and languages, given after the NC's set-up (whose own action would be e-mailed too). */
async function addresses(): Promise<void> {
  await run(t, 'update users set email = ? where id = ?', 'can.bo@nghiahung.gov.vn', t.users.staff);
  await run(t, 'update users set email = ? where id = ?', 'lanh.dao@nghiahung.gov.vn', t.users.leader);
  await run(
    t,
    "insert into notification_preferences (user_id, organisation_id, lang, updated_at) values (?, 1, 'en', ?)",
    t.users.leader,
    t.clock.now().toISOString(),
  );
}

describe('an action assigned through the form', () => {
  it('reaches its owner’s mailbox once, in Vietnamese, then its new owner’s in English', async () => {
    const qo = await t.signIn('quality_officer');
    const nc = await ncIn(t, 'action_plan', { responsibleUserId: null });
    await addresses();
    const { code } = (await one<{ code: string }>(t, 'select code from nonconformities where id = ?', nc.id))!;
    const created = await qo.post(`/nonconformities/${nc.id}/actions`, {
      type: 'corrective',
      kind: 'general',
      description: 'Tập huấn lại',
      owner_id: String(t.users.staff),
      due_date: '2026-12-31',
    });
    expect(created.status).toBe(303);
    expect(smtp.received).toHaveLength(0); // queued, not sent inside the request
    expect(await sendDueNow(t.ctx)).toEqual({ sent: 1, retrying: 0, failed: 0, duplicates: 0 });
    expect(smtp.received.map((m) => m.to)).toEqual([['can.bo@nghiahung.gov.vn']]);
    const [toStaff] = smtp.received;
    expect(toStaff.subject).toMatch(new RegExp(`^Hành động được giao cho bạn: ${code}`));
    expect(toStaff.text).toContain(`${PUBLIC_URL}/nonconformities/${nc.id}`);
    expect(toStaff.text).toContain('31/12/2026');

    const action = Number((await one<{ id: number }>(t, 'select max(id) as id from nc_actions where nonconformity_id = ?', nc.id))!.id);
    const version = await actionVersion(t, action);
    const moved = await qo.post(`/actions/${action}`, { version, description: 'Tập huấn lại', owner_id: String(t.users.leader), due_date: '2026-12-31' });
    expect(moved.status).toBe(303);
    expect(await sendDueNow(t.ctx)).toEqual({ sent: 1, retrying: 0, failed: 0, duplicates: 0 });
    expect(smtp.received.map((m) => m.to)).toEqual([['can.bo@nghiahung.gov.vn'], ['lanh.dao@nghiahung.gov.vn']]);
    expect(smtp.received[1].subject).toMatch(new RegExp(`^Action assigned to you: ${code}`));
    // nothing is sent twice
    expect(await sendDueNow(t.ctx)).toEqual({ sent: 0, retrying: 0, failed: 0, duplicates: 0 });
    expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(2);
  });
});

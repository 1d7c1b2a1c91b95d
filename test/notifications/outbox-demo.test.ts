import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOutbox } from '../../src/features/notifications/notifications.outbox.demo';
import { sendDue } from '../../src/features/notifications/notifications.sender';
import { mailTransportOf } from '../../src/features/notifications/notifications.transport';
import { createTestApp, rows, type TestApp } from '../support/app';
import { TestSmtp } from './support/smtp';

/**
 * The demo's outbox (its seeder on the test app's people; the demo's "now" is the test clock's): six e-mails of the last week, gone through the sender's
 * steps: four sent with the SMTP server's answer, one refused for good with its reason, one possibly sent twice;
 * none waiting, so that configuring SMTP_URL on the demo database sends nothing by itself.
 */
let t: TestApp;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await TestSmtp.start();
  t = await createTestApp({ config: { smtpUrl: smtp.url } });
  // the demo's people, as the core demo seeder names them (the whole demo runs in test/foundation/demo.test.ts)
  const person = (id: number, fullName: string) => ({ id, role: 'staff' as const, unitId: t.units.main, fullName });
  const users = {
    admin: person(t.users.admin, 'Trần Quốc Huy'),
    thuky: person(t.users.quality_officer, 'Nguyễn Thị Lan'),
    lanhdao: person(t.users.leader, 'Phạm Văn Minh'),
    phophong: person(t.users.leader, 'Đỗ Thị Hạnh'),
    canbo: person(t.users.staff, 'Lê Văn Nam'),
    motcua: person(t.users.staff, 'Vũ Thị Mai'),
  };
  await seedOutbox({ ctx: t.ctx, now: t.clock.now(), users, byRole: t.users, units: t.units, procedures: {}, log: () => {} });
});
afterAll(async () => {
  await t?.close();
  await smtp?.stop();
});

describe('demo outbox', () => {
  it('holds sent, refused and possibly doubled e-mails, and none waiting', async () => {
    const all = await rows<{
      status: string;
      attempts: number;
      possible_duplicate: number;
      smtp_response: string | null;
      last_error: string | null;
      to_address: string;
    }>(t, 'select status, attempts, possible_duplicate, smtp_response, last_error, to_address from outbox where organisation_id = 1 order by id');
    expect(all.map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'failed', 'sent', 'sent']);
    expect(all.map((r) => r.possible_duplicate)).toEqual([0, 0, 1, 0, 0, 0]);
    expect(all.map((r) => r.attempts)).toEqual([1, 1, 2, 1, 1, 1]);
    expect(all.filter((r) => r.status === 'sent').every((r) => /^250 /.test(r.smtp_response ?? ''))).toBe(true);
    expect(all[3].last_error).toContain('550 5.1.1');
    expect(all.every((r) => r.to_address.endsWith('.example'))).toBe(true);
    // with SMTP_URL set, the sender finds nothing to send
    const transport = mailTransportOf(t.config)!;
    expect(await sendDue(t.ctx.db, { transport, clock: t.clock })).toEqual({ sent: 0, retrying: 0, failed: 0, duplicates: 0 });
    transport.close();
    expect(smtp.received).toEqual([]);
  });
});

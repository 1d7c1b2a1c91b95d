import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, one, rows, type SignedIn, type TestApp } from '../support/app';
import { fieldsWithErrors } from '../support/html';

/**
 * The organisation's settings keep the date it declared its QMS conforming to TCVN ISO 9001:2015
 * (migration 2026_12_11_1000_oversight): a real date not after today (the clock says 2026-11-26), or empty (none).
 * Every refusal is a 422 with the error next to the field and nothing stored; a change is audited.
 */
let t: TestApp;
let admin: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signIn('admin');
});
afterAll(async () => t?.close());

const declared = async () => (await one<{ qms_declared_on: string | null }>(t, 'select qms_declared_on from organisation where id = 1'))!.qms_declared_on;
const version = async () => String((await one<{ version: number }>(t, 'select version from organisation where id = 1'))!.version);
const base = async () => ({
  name: 'Phòng Lao động - Thương binh và Xã hội',
  time_zone: 'Asia/Ho_Chi_Minh',
  revision_signers: '3',
  version: await version(),
});

describe('the declaration date on the settings page', () => {
  it('is empty at first, shown as a date field with today as its maximum', async () => {
    expect(await declared()).toBe(null);
    const page = await admin.get('/admin/organisation');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Ngày công bố HTQLCL phù hợp TCVN ISO 9001:2015');
    expect(page.text).toMatch(/name="qms_declared_on" type="date" value="" max="2026-11-26"/);
  });

  it('stores a past date or today, with its audit entry, and shows it again', async () => {
    expect((await admin.post('/admin/organisation', { ...(await base()), qms_declared_on: '2026-03-15' })).status).toBe(303);
    expect(await declared()).toBe('2026-03-15');
    const entry = await rows<{ action: string; new_values: string }>(
      t,
      `select action, new_values from audit_log where entity = 'organisation' order by id desc limit 1`,
    );
    expect(entry[0].action).toBe('update');
    expect(JSON.parse(entry[0].new_values)).toMatchObject({ qms_declared_on: '2026-03-15' });
    expect((await admin.get('/admin/organisation')).text).toMatch(/name="qms_declared_on" type="date" value="2026-03-15"/);
    expect((await admin.post('/admin/organisation', { ...(await base()), qms_declared_on: '2026-11-26' })).status).toBe(303);
    expect(await declared()).toBe('2026-11-26');
  });

  it('refuses a date after today, a date that does not exist and text, next to the field (422), storing nothing', async () => {
    for (const [value, message] of [
      ['2026-11-27', 'Ngày công bố không được sau ngày hôm nay.'],
      ['2026-02-30', ''],
      ['15/03/2026', ''],
      ['hôm qua', ''],
    ] as const) {
      const res = await admin.post('/admin/organisation', { ...(await base()), qms_declared_on: value });
      expect(res.status, value).toBe(422);
      expect(fieldsWithErrors(res.text), value).toEqual(['qms_declared_on']);
      if (message) expect(res.text).toContain(message);
      expect(await declared(), value).toBe('2026-11-26');
    }
  });

  it('clears the date when emptied, and keeps it when a form without the field is posted', async () => {
    expect((await admin.post('/admin/organisation', { ...(await base()), qms_declared_on: '2025-12-01' })).status).toBe(303);
    expect((await admin.post('/admin/organisation', await base())).status).toBe(303);
    expect(await declared()).toBe('2025-12-01');
    expect((await admin.post('/admin/organisation', { ...(await base()), qms_declared_on: '' })).status).toBe(303);
    expect(await declared()).toBe(null);
  });
});

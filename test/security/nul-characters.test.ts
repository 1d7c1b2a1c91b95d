import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, one, type TestApp } from '../support/app';

/**
 * A NUL character in a query or form value is refused with 400 on both engines (PostgreSQL's text cannot hold one,
 * and no text of the app has one); nothing is stored, and the same request without it works.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('NUL characters in requests', () => {
  it('answers 400 to a query or a form value holding one, and stores nothing', async () => {
    const qo = await t.signIn('quality_officer');
    expect((await qo.get('/procedures?q=a%00b')).status).toBe(400);
    expect((await qo.get('/nonconformities?q=%00')).status).toBe(400);
    const refused = await qo.post('/procedures', { code: 'QT-NUL-01', title: 'Quy trình\u0000 có ký tự rỗng', online_level: 'none' });
    expect(refused.status).toBe(400);
    expect(await one(t, 'select id from procedures where code = ?', 'QT-NUL-01')).toBeUndefined();
    expect((await qo.get('/procedures?q=ab')).status).toBe(200);
    const accepted = await qo.post('/procedures', { code: 'QT-NUL-01', title: 'Quy trình không có ký tự rỗng', online_level: 'none' });
    expect(accepted.status).toBe(303);
  });

  it('answers 400 to an upload whose field or file name holds one, and stores nothing', async () => {
    const admin = await t.signIn('admin');
    const count = async () => (await one<{ n: number }>(t, 'select count(*) as n from holidays'))!.n;
    const before = await count();
    const csv = Buffer.from('date,kind\n2031-09-01,holiday\n');
    const upload = (name: string, extra?: [string, string]) => {
      const req = admin.agent.post('/admin/holidays/import').field('_csrf', admin.csrf);
      if (extra) void req.field(extra[0], extra[1]);
      return req.attach('file', csv, name);
    };
    expect((await upload('quoc\u0000khanh.csv')).status).toBe(400);
    expect((await upload('quoc-khanh.csv', ['note', 'a\u0000b'])).status).toBe(400);
    expect(await count()).toBe(before);
    // On disk (the dossier import streams its file to a temporary folder): refused the same way.
    const qo = await t.signIn('quality_officer');
    const dossiers = await qo.agent.post('/dossiers/import').field('_csrf', qo.csrf).attach('file', Buffer.from('x'), 'ho\u0000so.csv');
    expect(dossiers.status).toBe(400);
    expect((await one<{ n: number }>(t, 'select count(*) as n from dossier_imports'))!.n).toBe(0);
    expect((await upload('quoc-khanh.csv')).status).toBe(303);
    expect(await count()).toBe(before + 1);
  });
});

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
});

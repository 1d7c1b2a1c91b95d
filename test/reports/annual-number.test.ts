import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type SignedIn, type TestApp } from '../support/app';
import { textOf } from '../support/html';

/**
 * The annual report's number entered once (issue 25): typed with its symbol, as the registry writes it, the number
 * prints "Số: 215/BC-LĐTBXH" — before and after the leader signs — not the symbol twice. (Letterheads frozen before
 * with the whole number typed are read the same way: withNumber, test/reports/units.test.ts.)
 */
let t: TestApp;
let quality: SignedIn;
let leader: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  quality = await t.signIn('quality_officer');
  leader = await t.signIn('leader');
});
afterAll(async () => t?.close());

describe('the annual report’s number', () => {
  it('prints once with its symbol, in the draft and once issued', async () => {
    expect((await quality.post('/reports/annual/2026', { narrative_conclusion: 'Hệ thống vận hành hiệu lực.', number_text: '215/BC-LĐTBXH' })).status).toBe(
      303,
    );
    const draft = textOf((await quality.get('/reports/annual/2026')).text);
    expect(draft).toContain('Số: 215/BC-LĐTBXH');
    expect(draft).not.toContain('BC-LĐTBXH/BC-LĐTBXH');
    expect((await leader.post('/reports/annual/2026/issue', { password: TEST_PASSWORD, version: '1' })).status).toBe(303);
    const issued = textOf((await leader.get('/reports/annual/2026')).text);
    expect(issued).toContain('Số: 215/BC-LĐTBXH');
    expect(issued).not.toContain('BC-LĐTBXH/BC-LĐTBXH');
  });
});

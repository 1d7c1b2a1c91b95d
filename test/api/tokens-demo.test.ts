import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApiDemo } from '../../src/features/api/api.demo';
import { createTestApp, rows, type TestApp } from '../support/app';

/**
 * The demo's API tokens, seeded on the test app (its "now" is the test clock's, 2026-11-26T02:00Z, 09:00 local): the
 * one-stop system's token, the scoreboard's, and an old one revoked with its reason; with their logged uses.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  const now = t.clock.now();
  await loadApiDemo({ ctx: t.ctx, now, users: {}, byRole: t.users, units: {}, procedures: {}, log: () => {} });
});
afterAll(async () => t?.close());

describe('demo API tokens', () => {
  it('holds two tokens in use and a revoked one, with their uses, and the admin sees them', async () => {
    const tokens = await rows<{ id: number; name: string; scopes: string; expires_on: string; revoke_reason: string | null; created_at: string }>(
      t,
      'select id, name, scopes, expires_on, revoke_reason, created_at from api_tokens where organisation_id = 1 order by id',
    );
    expect(tokens.map((r) => [r.name, r.scopes, r.expires_on, r.revoke_reason])).toEqual([
      ['Hệ thống thông tin giải quyết TTHC tỉnh', 'dossiers:write', '2027-11-26', null],
      ['Bảng theo dõi của Sở KH&CN', 'registers:read reports:read', '2027-05-25', null],
      ['Thử nghiệm kết nối (cũ)', 'registers:read', '2026-12-26', 'Kết thúc thử nghiệm kết nối; hệ thống chính thức dùng mã riêng.'],
    ]);
    expect(tokens[0].created_at).toBe('2026-11-06T02:00:00.000Z');
    const uses = await rows<{ token_id: number; n: number | string }>(
      t,
      'select token_id, count(*) as n from api_token_uses group by token_id order by token_id',
    );
    expect(uses.map((u) => Number(u.n))).toEqual([3, 3, 1]);
    const audit = await rows<{ action: string }>(t, "select action from audit_log where entity = 'api_token' order by id");
    expect(audit.map((a) => a.action)).toEqual(['create', 'create', 'create', 'revoke']);

    const admin = await t.signIn('admin');
    const list = await admin.get('/admin/api-tokens');
    expect(list.status).toBe(200);
    const row = (id: number) => new RegExp(`<tr data-token="${id}">([\\s\\S]*?)</tr>`).exec(list.text)![1];
    // uses in the last 30 days: 3, 3 and none (the old token's one use was 58 days ago, 29/09/2026 09:00 local)
    expect(row(tokens[0].id)).toMatch(/data-status="valid"[\s\S]*<td>3<\/td>/);
    expect(row(tokens[2].id)).toMatch(/data-status="revoked"[\s\S]*29\/09\/2026 09:00[\s\S]*<td>0<\/td>/);
    const detail = await admin.get(`/admin/api-tokens/${tokens[1].id}`);
    expect(detail.text).toContain('GET /api/v1/reports/summary?from&#x3D;2026-01-01&amp;to&#x3D;2026-06-30');
    expect(detail.text).toContain('24/11/2026 09:01');
  });
});

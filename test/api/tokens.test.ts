import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestApp, one, rows, run, type SignedIn, type TestApp } from '../support/app';
import { onPostgres } from '../support/engine';
import { addOrganisation } from '../support/orgs';
import { newToken } from '../../src/features/api/api.tokens.model';

/**
 * API tokens through the admin's pages (issue 28): issued with a checked form and shown once, stored as their
 * SHA-256 only, used by the API (each use logged and shown), expired after the last local day, revoked with a reason.
 * The test app's clock starts at 2026-11-26T02:00Z: 09:00 on 26/11/2026 in Asia/Ho_Chi_Minh.
 */
let t: TestApp;
let admin: SignedIn;
const START = '2026-11-26T02:00:00Z';
const TOKEN = /qms_[A-Za-z0-9_-]{43}/g;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signIn('admin');
});
afterAll(async () => {
  await t?.close();
});

const good = (over: Record<string, string | string[]> = {}) => ({
  name: 'Cổng dịch vụ công tỉnh',
  scopes: ['reports:read', 'registers:read'],
  expires_on: '2026-12-31',
  rate_limit: '5',
  ...over,
});

/** The message shown beside a field of the re-rendered form ('' when none). */
function errorOf(html: string, field: string): string {
  const m = new RegExp(`<p class="field-error" id="e-${field}">([^<]*)</p>`).exec(html);
  return m ? m[1].trim() : '';
}

async function issue(over: Record<string, string | string[]> = {}) {
  const r = await admin.post('/admin/api-tokens', good(over));
  expect(r.status).toBe(200);
  const tokens = r.text.match(TOKEN) ?? [];
  expect(new Set(tokens).size).toBe(1);
  const token = tokens[0] ?? '';
  const row = (await one<{ id: number; version: number }>(t, 'select id, version from api_tokens where prefix = ?', token.slice(0, 12)))!;
  return { token, id: Number(row.id), page: r.text };
}

const api = (path: string, token?: string) => {
  const r = request(t.app).get(path);
  return token ? r.set('Authorization', `Bearer ${token}`) : r;
};

/** Every table and text column of the database: the token must be in none of them. */
async function textColumns(): Promise<{ table: string; column: string }[]> {
  if (onPostgres) {
    return rows<{ table: string; column: string }>(
      t,
      `select table_name as "table", column_name as "column" from information_schema.columns
       where table_schema = current_schema() and data_type in ('text', 'character varying')`,
    );
  }
  const tables = await rows<{ name: string }>(t, `select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`);
  const out: { table: string; column: string }[] = [];
  for (const { name } of tables) {
    for (const c of await rows<{ name: string; type: string }>(t, `select name, type from pragma_table_info('${name}')`)) {
      if (/text|char|clob|^$/i.test(c.type)) out.push({ table: name, column: c.name });
    }
  }
  return out;
}

describe('issuing a token', () => {
  it('refuses a bad form with each message beside its field, keeps the values and stores nothing', async () => {
    const page = await admin.get('/admin/api-tokens');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/name="rate_limit" type="number" value="600"/);
    const bad = await admin.post('/admin/api-tokens', { name: ' ', expires_on: '2026-11-25', rate_limit: '0' });
    expect(bad.status).toBe(422);
    expect(errorOf(bad.text, 'name')).toBe('Vui lòng nhập trường này.');
    expect(errorOf(bad.text, 'scopes')).toBe('Chọn ít nhất một phạm vi.');
    expect(errorOf(bad.text, 'expires_on')).toBe('Hạn dùng phải sau ngày hôm nay.');
    expect(errorOf(bad.text, 'rate_limit')).toBe('Giá trị nhỏ nhất là 1.');
    // today itself is not after today; two years and a day is too far; the values typed stay in the form
    const today = await admin.post('/admin/api-tokens', good({ name: 'Giữ tên này', expires_on: '2026-11-26' }));
    expect(today.status).toBe(422);
    expect(errorOf(today.text, 'expires_on')).toBe('Hạn dùng phải sau ngày hôm nay.');
    expect(errorOf(today.text, 'name')).toBe('');
    expect(today.text).toContain('value="Giữ tên này"');
    expect(today.text).toMatch(/value="reports:read" checked/);
    const far = await admin.post('/admin/api-tokens', good({ expires_on: '2028-11-27' }));
    expect(far.status).toBe(422);
    expect(errorOf(far.text, 'expires_on')).toBe('Hạn dùng tối đa 2 năm kể từ hôm nay.');
    const unknown = await admin.post('/admin/api-tokens', good({ scopes: ['admin:all'] }));
    expect(unknown.status).toBe(422);
    expect(errorOf(unknown.text, 'scopes')).toBe('Lựa chọn không hợp lệ.');
    expect(await rows(t, 'select id from api_tokens')).toEqual([]);
    expect(await rows(t, "select id from audit_log where entity = 'api_token'")).toEqual([]);
    expect(bad.text).not.toMatch(TOKEN);
  });

  it('shows the token once, stores only its SHA-256, and writes it nowhere in the database', async () => {
    const { token, id, page } = await issue({ expires_on: '2028-11-26' });
    expect(page).toContain('Mã chỉ hiển thị một lần này');
    expect(page).toContain(`curl -H "Authorization: Bearer ${token}"`);
    const row = (await one<Record<string, unknown>>(t, 'select * from api_tokens where id = ?', id))!;
    expect(row).toMatchObject({
      name: 'Cổng dịch vụ công tỉnh',
      prefix: token.slice(0, 12),
      token_hash: createHash('sha256').update(token).digest('hex'),
      scopes: 'registers:read reports:read',
      expires_on: '2028-11-26',
      created_by: t.users.admin,
      revoked_at: null,
    });
    expect(Number(row.rate_limit)).toBe(5);
    const columns = await textColumns();
    expect(columns.filter((c) => c.table === 'api_tokens').length).toBeGreaterThan(5);
    expect(columns.some((c) => c.table === 'audit_log' && c.column === 'new_values')).toBe(true);
    for (const { table, column } of columns) {
      const found = await rows(t, `select 1 as x from ${table} where ${column} like ?`, `%${token.slice(4)}%`);
      expect(found, `${table}.${column}`).toEqual([]);
    }
    const audit = (await one<{ user_id: number; action: string; new_values: string }>(
      t,
      "select user_id, action, new_values from audit_log where entity = 'api_token' and entity_id = ?",
      String(id),
    ))!;
    expect(audit.action).toBe('create');
    expect(Number(audit.user_id)).toBe(t.users.admin);
    expect(JSON.parse(audit.new_values)).toEqual({
      name: 'Cổng dịch vụ công tỉnh',
      prefix: token.slice(0, 12),
      scopes: ['registers:read', 'reports:read'],
      rate_limit: 5,
      expires_on: '2028-11-26',
    });
    expect(audit.new_values).not.toContain(String(row.token_hash));
    // never again: neither the list nor the details show it
    const list = await admin.get('/admin/api-tokens');
    expect(list.text).toContain(`${token.slice(0, 12)}…`);
    expect(list.text).not.toContain(token);
    const detail = await admin.get(`/admin/api-tokens/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.text).not.toContain(token);
    expect(detail.text).not.toMatch(TOKEN);
  });
});

describe('using, expiring and revoking a token', () => {
  it('authenticates the API with it, logs the use and shows it on the details page', async () => {
    const { token, id } = await issue();
    expect((await api('/api/v1/anything')).status).toBe(401);
    const r = await api('/api/v1/anything', token);
    expect(r.status).toBe(404);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    const uses = await rows<{ path: string; method: string; at: string }>(t, 'select path, method, at from api_token_uses where token_id = ?', id);
    expect(uses).toEqual([{ path: '/api/v1/anything', method: 'GET', at: '2026-11-26T02:00:00.000Z' }]);
    const detail = await admin.get(`/admin/api-tokens/${id}`);
    expect(detail.text).toContain('26/11/2026 09:00');
    expect(detail.text).toContain('GET /api/v1/anything');
    expect(detail.text).toContain('data-recent-uses="1"');
    const list = await admin.get('/admin/api-tokens');
    const rowHtml = new RegExp(`<tr data-token="${id}">([\\s\\S]*?)</tr>`).exec(list.text)![1];
    expect(rowHtml).toContain('26/11/2026 09:00');
    expect(rowHtml).toContain('data-status="valid"');
  });

  it('is valid through the last local day of its expiry and refused from the next local midnight', async () => {
    const { token, id } = await issue({ expires_on: '2026-12-31' });
    try {
      t.clock.set(new Date('2026-12-31T16:59:00Z')); // 23:59 on 31/12 in Hồ Chí Minh City
      expect((await api('/api/v1/anything', token)).status).toBe(404);
      t.clock.set(new Date('2026-12-31T17:00:00Z')); // 00:00 on 01/01/2027
      const r = await api('/api/v1/anything', token);
      expect(r.status).toBe(401);
      expect(r.body.type).toMatch(/#problem-token_expired$/);
      // a month on, the earlier session has run out: a new one
      const list = await (await t.signIn('admin')).get('/admin/api-tokens');
      expect(new RegExp(`<tr data-token="${id}">[\\s\\S]*?data-status="expired"`).test(list.text)).toBe(true);
    } finally {
      t.clock.set(new Date(START));
      admin = await t.signIn('admin');
    }
  });

  it('revokes with a reason (303, then 401 token_revoked); twice or with a stale version is 409', async () => {
    const { token, id } = await issue({ name: 'Sẽ thu hồi' });
    const noReason = await admin.post(`/admin/api-tokens/${id}/revoke`, { reason: ' ', version: '1' });
    expect(noReason.status).toBe(422);
    expect(errorOf(noReason.text, 'reason')).toBe('Vui lòng nhập trường này.');
    expect((await one(t, 'select revoked_at from api_tokens where id = ?', id))!.revoked_at).toBeNull();
    const ok = await admin.post(`/admin/api-tokens/${id}/revoke`, { reason: 'Hệ thống ngừng kết nối', version: '1' });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe(`/admin/api-tokens/${id}`);
    const shown = await admin.get(`/admin/api-tokens/${id}`);
    expect(shown.text).toContain('Đã thu hồi mã truy cập API “Sẽ thu hồi”.');
    expect(shown.text).toContain('Hệ thống ngừng kết nối');
    expect(shown.text).toContain('data-status="revoked"');
    expect(shown.text).not.toContain(`/admin/api-tokens/${id}/revoke`);
    const r = await api('/api/v1/anything', token);
    expect(r.status).toBe(401);
    expect(r.body.type).toMatch(/#problem-token_revoked$/);
    expect((await admin.post(`/admin/api-tokens/${id}/revoke`, { reason: 'Lần nữa', version: '2' })).status).toBe(409);
    const row = (await one<Record<string, unknown>>(t, 'select revoked_at, revoked_by, revoke_reason, version from api_tokens where id = ?', id))!;
    expect(row).toMatchObject({ revoked_at: '2026-11-26T02:00:00.000Z', revoked_by: t.users.admin, revoke_reason: 'Hệ thống ngừng kết nối' });
    expect(Number(row.version)).toBe(2);
    const audit = await rows<{ action: string; old_values: string; new_values: string; reason: string | null }>(
      t,
      "select action, old_values, new_values, reason from audit_log where entity = 'api_token' and entity_id = ? order by id",
      String(id),
    );
    expect(audit.map((a) => a.action)).toEqual(['create', 'revoke']);
    expect(audit[1].reason).toBe('Hệ thống ngừng kết nối');
    expect(JSON.parse(audit[1].old_values)).toMatchObject({ name: 'Sẽ thu hồi', revoked_at: null });
    expect(JSON.parse(audit[1].new_values)).toEqual({ revoked_at: '2026-11-26T02:00:00.000Z' });
    for (const a of audit) expect(`${a.old_values} ${a.new_values} ${a.reason}`).not.toContain(token.slice(4));
    const log = await admin.get('/admin/audit-log');
    expect(log.status).toBe(200);
    expect(log.text).toContain('thu hồi');
    expect(log.text).toContain('Hệ thống ngừng kết nối');
    // the entries name the token by its name, not its id
    expect(log.text).toContain('mã truy cập API “Sẽ thu hồi”');
    expect(log.text).not.toContain(`mã truy cập API #${id}`);
    expect(log.text).not.toContain(token.slice(4));

    const other = await issue({ name: 'Phiên bản cũ' });
    expect((await admin.post(`/admin/api-tokens/${other.id}/revoke`, { reason: 'x', version: '2' })).status).toBe(409);
    expect((await one(t, 'select revoked_at from api_tokens where id = ?', other.id))!.revoked_at).toBeNull();
    expect((await api('/api/v1/anything', other.token)).status).toBe(404);
  });
});

describe('who may', () => {
  it('lets only the admin reach every route, refuses a form without its CSRF token, and finds no other organisation’s token', async () => {
    const { id } = await issue({ name: 'Của cơ quan này' });
    const before = (await rows(t, 'select id from api_tokens')).length;
    for (const role of ['quality_officer', 'leader', 'staff'] as const) {
      const who = await t.signIn(role);
      expect((await who.get('/admin/api-tokens')).status, role).toBe(403);
      expect((await who.get(`/admin/api-tokens/${id}`)).status, role).toBe(403);
      expect((await who.post('/admin/api-tokens', good())).status, role).toBe(403);
      expect((await who.post(`/admin/api-tokens/${id}/revoke`, { reason: 'x', version: '1' })).status, role).toBe(403);
      expect((await who.get('/')).text).not.toContain('/admin/api-tokens');
    }
    expect((await request(t.app).get('/admin/api-tokens')).status).toBe(303);
    const noCsrf = await admin.agent.post('/admin/api-tokens').type('form').send(good());
    expect(noCsrf.status).toBe(403);
    const noCsrfRevoke = await admin.agent.post(`/admin/api-tokens/${id}/revoke`).type('form').send({ reason: 'x', version: '1' });
    expect(noCsrfRevoke.status).toBe(403);
    expect((await rows(t, 'select id from api_tokens')).length).toBe(before);
    expect((await one(t, 'select revoked_at from api_tokens where id = ?', id))!.revoked_at).toBeNull();
    expect((await admin.get('/')).text).toContain('href="/admin/api-tokens"');

    const other = await addOrganisation(t, 'KHCN');
    const made = newToken();
    await run(
      t,
      `insert into api_tokens (organisation_id, name, prefix, token_hash, scopes, rate_limit, expires_on, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)`,
      other.id,
      'Mã của cơ quan khác',
      made.prefix,
      made.hash,
      'registers:read',
      60,
      '2027-06-30',
      START,
    );
    const theirs = Number((await one<{ id: number }>(t, 'select id from api_tokens where organisation_id = ?', other.id))!.id);
    expect((await admin.get(`/admin/api-tokens/${theirs}`)).status).toBe(404);
    expect((await admin.post(`/admin/api-tokens/${theirs}/revoke`, { reason: 'x', version: '1' })).status).toBe(404);
    expect((await admin.get('/admin/api-tokens')).text).not.toContain('Mã của cơ quan khác');
    expect((await one(t, 'select revoked_at from api_tokens where id = ?', theirs))!.revoked_at).toBeNull();
    // their admin sees theirs only
    const theirAdmin = await t.signIn(other.usernames.admin);
    const theirList = await theirAdmin.get('/admin/api-tokens');
    expect(theirList.text).toContain('Mã của cơ quan khác');
    expect(theirList.text).not.toContain('Của cơ quan này');
    expect((await theirAdmin.get(`/admin/api-tokens/${id}`)).status).toBe(404);
  });
});

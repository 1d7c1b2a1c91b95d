import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, rows, TEST_PASSWORD, type TestApp } from '../support/app';
import request from 'supertest';
import { extractCsrf } from '../support/app';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t.close());

describe('users', () => {
  it('creates a user who can sign in, refuses a taken username, and never stores the password in the audit log', async () => {
    const admin = await t.signIn('admin');
    const body = {
      username: 'nguyenvana',
      full_name: 'Nguyễn Văn A',
      role: 'staff',
      unit_id: String(t.units.other),
      email: 'a@example.vn',
      position_title: 'Chuyên viên',
      password: 'mật khẩu mười ký tự',
    };
    expect((await admin.post('/admin/users', body)).status).toBe(303);
    const taken = await admin.post('/admin/users', { ...body, username: 'NguyenVanA' });
    expect(taken.status).toBe(422);
    expect(taken.text).toContain('Tên đăng nhập này đã có người dùng.');
    expect(taken.text).toContain('value="Nguyễn Văn A"');
    const log = await rows<{ new_values: string }>(t, "select new_values from audit_log where entity = 'user' and action = 'create'");
    expect(log).toHaveLength(1);
    expect(log[0].new_values).not.toContain('mật khẩu');
    expect(log[0].new_values).not.toContain('scrypt');
    const agent = request.agent(t.app);
    const csrf = extractCsrf((await agent.get('/login')).text);
    expect((await agent.post('/login').type('form').send({ username: 'nguyenvana', password: 'mật khẩu mười ký tự', _csrf: csrf })).status).toBe(303);
  });

  it('edits with a version check, keeps at least one active admin, resets passwords ending sessions', async () => {
    const admin = await t.signIn('admin');
    const staff = await t.signIn('staff');
    const edit = { full_name: 'Người dùng đã sửa', role: 'leader', unit_id: '', email: '', position_title: '', version: '1' };
    expect((await admin.post(`/admin/users/${t.users.staff}`, edit)).status).toBe(303);
    expect(await rows(t, 'select full_name, role, unit_id, version from users where id = ?', t.users.staff)).toEqual([
      { full_name: 'Người dùng đã sửa', role: 'leader', unit_id: null, version: 2 },
    ]);
    expect((await admin.post(`/admin/users/${t.users.staff}`, edit)).status).toBe(409);
    const demote = await admin.post(`/admin/users/${t.users.admin}`, { ...edit, role: 'staff', version: '1' });
    expect(demote.status).toBe(422);
    expect(demote.text).toContain('Phải còn ít nhất một quản trị hệ thống đang hoạt động.');
    const reset = await admin.post(`/admin/users/${t.users.staff}/password`, { password: 'mật khẩu mới dài', confirm_password: 'mật khẩu mới dài' });
    expect(reset.status).toBe(303);
    expect((await staff.get('/')).status).toBe(303);
    expect(await rows(t, "select action from audit_log where entity = 'user' and entity_id = ? order by id", String(t.users.staff))).toEqual([
      { action: 'update' },
      { action: 'reset_password' },
    ]);
  });

  it('is for admins only', async () => {
    for (const role of ['quality_officer', 'leader', 'staff'] as const) {
      const who = await t.signIn(role);
      expect((await who.get('/admin/users')).status).toBe(403);
      expect((await who.post('/admin/users', { username: 'x', full_name: 'x', role: 'admin', password: TEST_PASSWORD })).status).toBe(403);
    }
    expect(await rows(t, 'select count(*) as n from users')).toEqual([{ n: 4 }]);
  });
});

describe('units', () => {
  it('creates, renames, deactivates with a reason, never deletes', async () => {
    const admin = await t.signIn('admin');
    expect((await admin.post('/admin/units', { code: 'MOTCUA', name: 'Bộ phận Một cửa' })).status).toBe(303);
    const dup = await admin.post('/admin/units', { code: 'MOTCUA', name: 'Trùng' });
    expect(dup.status).toBe(422);
    expect(dup.text).toContain('Mã này đã được sử dụng.');
    const id = (await rows<{ id: number }>(t, "select id from units where code = 'MOTCUA'"))[0].id;
    expect((await admin.post(`/admin/units/${id}/status`, { version: '1' })).status).toBe(422);
    expect((await admin.post(`/admin/units/${id}/status`, { version: '1', reason: 'Sáp nhập' })).status).toBe(303);
    expect(await rows(t, 'select active from units where id = ?', id)).toEqual([{ active: 0 }]);
    const list = await admin.get('/admin/units');
    expect(list.text).toContain('MOTCUA');
    expect(list.text).toContain('Ngừng hoạt động');
    expect(await rows(t, "select action, reason from audit_log where entity = 'unit' and entity_id = ? order by id", String(id))).toEqual([
      { action: 'create', reason: null },
      { action: 'deactivate', reason: 'Sáp nhập' },
    ]);
  });
});

describe('organisation settings', () => {
  it('saves names and signer used on reports; refuses a bad time zone or clause', async () => {
    const admin = await t.signIn('admin');
    const base = {
      name: 'Phòng Lao động - Thương binh và Xã hội',
      parent_agency: 'UBND xã Nghĩa Hưng',
      place_name: 'Nghĩa Hưng',
      report_number_suffix: 'LĐTBXH',
      signer_title: 'KT. TRƯỞNG PHÒNG / PHÓ TRƯỞNG PHÒNG',
      signer_name: 'Đỗ Thị Hạnh',
      time_zone: 'Asia/Ho_Chi_Minh',
      recipients: 'Lưu: VT',
      not_applicable_clauses: '8.3',
      version: '1',
    };
    const badZone = await admin.post('/admin/organisation', { ...base, time_zone: 'Mars/Olympus' });
    expect(badZone.status).toBe(422);
    expect(badZone.text).toContain('Múi giờ không hợp lệ');
    const badClause = await admin.post('/admin/organisation', { ...base, not_applicable_clauses: '8.3, 99.9' });
    expect(badClause.status).toBe(422);
    expect((await admin.post('/admin/organisation', base)).status).toBe(303);
    expect(await rows(t, 'select parent_agency, signer_name, not_applicable_clauses, version from organisation')).toEqual([
      { parent_agency: 'UBND xã Nghĩa Hưng', signer_name: 'Đỗ Thị Hạnh', not_applicable_clauses: '["8.3"]', version: 2 },
    ]);
    expect((await admin.post('/admin/organisation', base)).status).toBe(409);
    expect(await rows(t, "select action from audit_log where entity = 'organisation'")).toEqual([{ action: 'update' }]);
    // Every page's header shows the new name at once.
    expect((await admin.get('/')).text).toContain('<span class="brand-org">Phòng Lao động - Thương binh và Xã hội</span>');
    expect((await admin.post('/admin/organisation', { ...base, name: 'Phòng Nội vụ', version: '2' })).status).toBe(303);
    expect((await admin.get('/')).text).toContain('<span class="brand-org">Phòng Nội vụ</span>');
  });
});

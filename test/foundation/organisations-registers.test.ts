import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRevisionSigners } from '../../src/features/organisation/organisation.queries';
import { createTestApp, one, rows, run, TEST_PASSWORD, type SignedIn, type TestApp } from '../support/app';
import { addOrganisation, type OtherOrganisation } from '../support/orgs';

/**
 * Organisations (issue 22): procedures, units, users, sign-in and the settings of organisation A (the test app's, 1)
 * and organisation B in one database. B's records are written through B's own users (the app's forms); A's users
 * neither see them nor reach them (404), and ids of B's rows in A's forms are refused.
 */
let t: TestApp;
let b: OtherOrganisation;
let a: { qo: SignedIn; admin: SignedIn };
let bq: { qo: SignedIn; admin: SignedIn };

const procedureForm = (code: string, title: string, unitId: number | string) => ({
  code,
  title,
  field: 'Bảo trợ xã hội',
  national_code: '1.001776',
  processing_days: '10',
  online_level: 'partial',
  kind: 'administrative',
  unit_id: String(unitId),
  on_time_target: '100',
});

beforeAll(async () => {
  t = await createTestApp();
  b = await addOrganisation(t, 'SOB');
  a = { qo: await t.signIn('quality_officer'), admin: await t.signIn('admin') };
  bq = { qo: await t.signIn(b.usernames.quality_officer), admin: await t.signIn(b.usernames.admin) };
});
afterAll(async () => t?.close());

describe('procedures of two organisations', () => {
  it('each registers its own, with the same code; lists, pages and forms of A never show or reach B’s', async () => {
    expect((await bq.qo.post('/procedures', procedureForm('QT-01', 'Thủ tục riêng của B', b.units.main))).status).toBe(303);
    expect((await a.qo.post('/procedures', procedureForm('QT-01', 'Thủ tục của A', t.units.main))).status).toBe(303);
    const stored = await rows<{ id: number; organisation_id: number; unit_id: number }>(
      t,
      "select id, organisation_id, unit_id from procedures where code = 'QT-01' order by organisation_id",
    );
    expect(stored.map((r) => [r.organisation_id, r.unit_id])).toEqual([
      [1, t.units.main],
      [b.id, b.units.main],
    ]);
    const ofB = stored[1].id;
    // The first terms row (trigger procedure_terms_first) belongs to the procedure's organisation.
    expect(await rows(t, 'select organisation_id from procedure_terms where procedure_id = ?', ofB)).toEqual([{ organisation_id: b.id }]);

    const listA = await a.qo.get('/procedures?status=all');
    expect(listA.status).toBe(200);
    expect(listA.text).toContain('Thủ tục của A');
    expect(listA.text).not.toContain('Thủ tục riêng của B');
    expect(listA.text).not.toContain('SOB-U');
    const listB = await bq.qo.get('/procedures?q=QT-01');
    expect(listB.text).toContain('Thủ tục riêng của B');
    expect(listB.text).not.toContain('Thủ tục của A');

    expect((await a.qo.get(`/procedures/${ofB}`)).status).toBe(404);
    expect((await a.qo.get(`/procedures/${ofB}/edit`)).status).toBe(404);
    expect((await a.qo.post(`/procedures/${ofB}`, { ...procedureForm('QT-01', 'Đổi tên', ''), version: '1' })).status).toBe(404);
    expect((await a.qo.post(`/procedures/${ofB}/status`, { version: '1', reason: 'Không còn áp dụng' })).status).toBe(404);
    expect((await bq.qo.get(`/procedures/${ofB}`)).status).toBe(200);

    // B's unit in A's form: refused next to the field, nothing stored.
    const foreignUnit = await a.qo.post('/procedures', procedureForm('QT-02', 'Thủ tục sai đơn vị', b.units.main));
    expect(foreignUnit.status).toBe(422);
    expect(await rows(t, "select id from procedures where code = 'QT-02'")).toEqual([]);
    // A code taken in A only is still refused in A; B's register is untouched by all this.
    expect((await a.qo.post('/procedures', procedureForm('QT-01', 'Trùng', ''))).status).toBe(422);
    expect(await one(t, 'select title, version from procedures where id = ?', ofB)).toEqual({ title: 'Thủ tục riêng của B', version: 1 });
  });

  it('an import reads codes and units within the organisation', async () => {
    const csv = (body: string) => Buffer.from(`code,title,unit\n${body}\n`);
    const foreign = await a.qo.agent.post('/procedures/import').field('_csrf', a.qo.csrf).attach('file', csv('QT-03,Thủ tục nhập,SOB-U'), 'qt.csv');
    expect(foreign.status).toBe(422);
    expect(foreign.text).toContain('SOB-U');
    const imported = await bq.qo.agent
      .post('/procedures/import')
      .field('_csrf', bq.qo.csrf)
      .attach('file', csv('QT-01,Tên mới của B,SOB-U\nQT-03,Thủ tục nhập của B,SOB-U'), 'qt.csv');
    expect(imported.status).toBe(303);
    expect(await rows(t, "select organisation_id, code, title from procedures where code in ('QT-01', 'QT-03') order by organisation_id, code")).toEqual([
      { organisation_id: 1, code: 'QT-01', title: 'Thủ tục của A' },
      { organisation_id: b.id, code: 'QT-01', title: 'Tên mới của B' },
      { organisation_id: b.id, code: 'QT-03', title: 'Thủ tục nhập của B' },
    ]);
    expect(await rows(t, "select organisation_id from audit_log where entity = 'procedure' and action = 'import' order by id")).toEqual([
      { organisation_id: b.id },
      { organisation_id: b.id },
    ]);
  });
});

describe('units and users of two organisations', () => {
  it("an admin lists and manages their own organisation's units only; codes are per organisation", async () => {
    const list = await a.admin.get('/admin/units');
    expect(list.text).not.toContain('SOB-U');
    expect((await a.admin.get(`/admin/units/${b.units.main}/edit`)).status).toBe(404);
    expect((await a.admin.post(`/admin/units/${b.units.main}`, { code: 'X', name: 'Chiếm', version: '1' })).status).toBe(404);
    expect((await a.admin.post(`/admin/units/${b.units.main}/status`, { version: '1', reason: 'Giải thể' })).status).toBe(404);
    expect((await a.admin.post('/admin/units', { code: 'SOB-U', name: 'Phòng cùng mã ở A' })).status).toBe(303);
    expect(await rows(t, "select organisation_id, name, version from units where code = 'SOB-U' order by organisation_id")).toEqual([
      { organisation_id: 1, name: 'Phòng cùng mã ở A', version: 1 },
      { organisation_id: b.id, name: 'Phòng SOB', version: 1 },
    ]);
    expect((await bq.admin.get('/admin/units')).text).not.toContain('Phòng cùng mã ở A');
  });

  it("an admin manages their own organisation's users only; usernames stay unique across the database", async () => {
    const list = await a.admin.get('/admin/users');
    expect(list.text).not.toContain(b.usernames.staff);
    expect(list.text).not.toContain('Người dùng staff SOB');
    const staffB = b.users.staff;
    expect((await a.admin.get(`/admin/users/${staffB}/edit`)).status).toBe(404);
    const edit = { full_name: 'Chiếm quyền', role: 'admin', unit_id: '', email: '', position_title: '', version: '1' };
    expect((await a.admin.post(`/admin/users/${staffB}`, edit)).status).toBe(404);
    expect((await a.admin.post(`/admin/users/${staffB}/status`, { version: '1', reason: 'Nghỉ việc' })).status).toBe(404);
    const password = { password: 'mật khẩu mới dài', confirm_password: 'mật khẩu mới dài' };
    expect((await a.admin.post(`/admin/users/${staffB}/password`, password)).status).toBe(404);
    expect(await one(t, 'select full_name, role, active, version from users where id = ?', staffB)).toEqual({
      full_name: 'Người dùng staff SOB',
      role: 'staff',
      active: 1,
      version: 1,
    });

    const user = { username: 'nguyenvana', full_name: 'Nguyễn Văn A', role: 'staff', email: '', position_title: '', password: 'mật khẩu mười ký tự' };
    // B's unit in A's form, and a username of B: refused.
    expect((await a.admin.post('/admin/users', { ...user, unit_id: String(b.units.main) })).status).toBe(422);
    const taken = await a.admin.post('/admin/users', { ...user, username: b.usernames.staff, unit_id: '' });
    expect(taken.status).toBe(422);
    expect(await rows(t, "select id from users where username = 'nguyenvana'")).toEqual([]);
    expect((await a.admin.post(`/admin/users/${t.users.staff}`, { ...edit, unit_id: String(b.units.main) })).status).toBe(422);

    expect((await bq.admin.post('/admin/users', { ...user, unit_id: String(b.units.main) })).status).toBe(303);
    expect(await one(t, "select organisation_id, unit_id from users where username = 'nguyenvana'")).toEqual({ organisation_id: b.id, unit_id: b.units.main });
    expect((await a.admin.get('/admin/users')).text).not.toContain('Nguyễn Văn A');
    expect((await bq.admin.get('/admin/users')).text).toContain('Nguyễn Văn A');
  });
});

describe('sign-in and settings of two organisations', () => {
  it("sign-in finds the user in any organisation; the audit entries of sign-in and password change carry the user's organisation", async () => {
    const staff = await t.signIn(b.usernames.staff);
    const login = await one<{ organisation_id: number }>(
      t,
      "select organisation_id from audit_log where entity = 'session' and action = 'login' and user_id = ? order by id desc limit 1",
      b.users.staff,
    );
    expect(login).toEqual({ organisation_id: b.id });
    const changed = await staff.post('/account/password', {
      current_password: TEST_PASSWORD,
      new_password: 'một mật khẩu mới rất dài',
      confirm_password: 'một mật khẩu mới rất dài',
    });
    expect(changed.status).toBe(303);
    expect(await rows(t, "select organisation_id from audit_log where action = 'change_password' and entity_id = ?", String(b.users.staff))).toEqual([
      { organisation_id: b.id },
    ]);
    await run(t, "update users set password_hash = (select password_hash from users where username = 'staff') where id = ?", b.users.staff);
  });

  it("the settings page edits the signed-in admin's own organisation", async () => {
    const page = await bq.admin.get('/admin/organisation');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Cơ quan SOB');
    expect(page.text).toContain('<span class="brand-org">Cơ quan SOB</span>');
    const form = {
      name: 'Sở Khoa học và Công nghệ',
      parent_agency: 'UBND tỉnh Ninh Bình',
      place_name: 'Ninh Bình',
      report_number_suffix: 'SKHCN',
      signer_title: 'GIÁM ĐỐC',
      signer_name: 'Lê Văn Khác',
      time_zone: 'Asia/Ho_Chi_Minh',
      recipients: 'Lưu: VT',
      not_applicable_clauses: '',
      revision_signers: '2',
      version: '1',
    };
    expect((await bq.admin.post('/admin/organisation', form)).status).toBe(303);
    expect(await rows(t, 'select id, name, revision_signers, version from organisation order by id')).toEqual([
      { id: 1, name: 'Phòng Lao động - Thương binh và Xã hội', revision_signers: 3, version: 1 },
      { id: b.id, name: 'Sở Khoa học và Công nghệ', revision_signers: 2, version: 2 },
    ]);
    expect(await rows(t, "select organisation_id, entity_id from audit_log where entity = 'organisation'")).toEqual([
      { organisation_id: b.id, entity_id: String(b.id) },
    ]);
    expect(await findRevisionSigners(b.ctx.db)).toBe(2);
    expect(await findRevisionSigners(t.ctx.db)).toBe(3);
    expect((await bq.admin.get('/')).text).toContain('<span class="brand-org">Sở Khoa học và Công nghệ</span>');
    expect((await a.admin.get('/admin/organisation')).text).not.toContain('Sở Khoa học và Công nghệ');
  });

  it('an organisation whose name is empty has no settings yet', async () => {
    await run(t, "update organisation set name = '' where id = ?", b.id);
    expect((await bq.admin.get('/admin/organisation')).status).toBe(404);
    expect((await a.admin.get('/admin/organisation')).status).toBe(200);
  });
});

import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisationsMenuShown } from '../../src/features/organisations/organisations.template.queries';
import { createTestApp, extractCsrf, one, rows, run, type SignedIn, type TestApp } from '../support/app';
import { addOrganisation, type OtherOrganisation } from '../support/orgs';

/**
 * Issue 22: /admin/organisations, the organisations under an administrator's own, and the form that adds one (with its
 * first administrator and, optionally, a template's register). The tree: DV1 (the test app's office, id 1) → CON1 →
 * CHAU, and DV1 → CON2; NGOAI stands alone; MAU is a template.
 */
let t: TestApp;
let con1: OtherOrganisation;
let con2: OtherOrganisation;
let chau: OtherOrganisation;
let ngoai: OtherOrganisation;
let mau: OtherOrganisation;
let admin: SignedIn;

/** The codes in the first column of the list, in order. */
const listed = (html: string) => [...html.matchAll(/<tr>\s*<td><code>([^<]+)<\/code>/g)].map((m) => m[1]);
/** The option values and labels of a select. */
const options = (html: string, name: string) => {
  const select = new RegExp(`<select id="f-${name}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1] ?? '';
  return [...select.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map((m) => [m[1], m[2].trim()]);
};
/** The message shown next to a field. */
const fieldError = (html: string, name: string) => new RegExp(`<p class="field-error" id="e-${name}">([^<]*)</p>`).exec(html)?.[1] ?? '';
const orgCount = async () => Number((await one<{ n: number }>(t, 'select count(*) as n from organisation'))!.n);

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signIn('admin');
}, 60_000);
afterAll(async () => t?.close());

describe('a single office', () => {
  it("shows no organisations link in its admin's menu, and the page by URL only its own row and the add link", async () => {
    const home = await admin.get('/admin/users');
    expect(home.status).toBe(200);
    expect(home.text).not.toContain('href="/admin/organisations"');
    expect(await organisationsMenuShown(t.ctx.db, { id: 1, kind: 'office' })).toBe(false);
    const page = await admin.get('/admin/organisations');
    expect(page.status).toBe(200);
    expect(listed(page.text)).toEqual(['DV1']);
    expect(page.text).toContain('Chưa có cơ quan nào trực thuộc cơ quan của bạn.');
    expect(page.text).toContain('href="/admin/organisations/new"');
    const en = await admin.get('/admin/organisations?lang=en');
    expect(en.text).toContain('Organisations under ours');
    expect(en.text).toContain('No organisation is under yours yet.');
    expect(en.text).not.toMatch(/organisations\.[a-z_]+/);
    // The language sticks to the session: back to Vietnamese for the tests below.
    expect((await admin.get('/admin/organisations?lang=vi')).text).toContain('Cơ quan trực thuộc');
  });
});

describe('the organisations under ours', () => {
  beforeAll(async () => {
    con1 = await addOrganisation(t, 'CON1', { parent: 1, name: 'Phòng Nội vụ' });
    con2 = await addOrganisation(t, 'CON2', { parent: 1, name: 'Phòng Tư pháp' });
    chau = await addOrganisation(t, 'CHAU', { parent: con1.id, name: 'Tổ một cửa' });
    ngoai = await addOrganisation(t, 'NGOAI', { name: 'Cơ quan ngoài' });
    mau = await addOrganisation(t, 'MAU', { name: 'Hệ thống mẫu cấp xã' });
    await run(t, "update organisation set kind = 'template' where id = ?", mau.id);
    await run(t, 'update users set active = 0 where id = ?', con2.users.staff);
    await run(
      t,
      `insert into procedures (code, title, field, national_code, processing_days, online_level, unit_id, on_time_target, kind, status, version, created_at, updated_at,
         organisation_id, search_text)
       values ('QT-M1', 'Chứng thực bản sao', 'Chứng thực', null, 1, 'partial', ?, 1, 'administrative', 'active', 1, 'now', 'now', ?, 'qt-m1')`,
      mau.units.main,
      mau.id,
    );
  });

  it('shows the menu link where there is a tree (children, or a province or department)', async () => {
    const page = await admin.get('/admin/users');
    expect(page.text).toContain('href="/admin/organisations"');
    expect(await organisationsMenuShown(t.ctx.db, { id: 1, kind: 'office' })).toBe(true);
    expect(await organisationsMenuShown(t.ctx.db, { id: con2.id, kind: 'office' })).toBe(false);
    expect(await organisationsMenuShown(t.ctx.db, { id: con2.id, kind: 'department' })).toBe(true);
  });

  it('lists exactly the subtree with kind, status, parent and active users', async () => {
    const page = await admin.get('/admin/organisations');
    expect(page.status).toBe(200);
    expect(listed(page.text)).toEqual(['DV1', 'CHAU', 'CON1', 'CON2']);
    expect(page.text).not.toContain('NGOAI');
    expect(page.text).not.toContain('MAU');
    const row = (code: string) => new RegExp(`<tr>\\s*<td><code>${code}</code>[\\s\\S]*?</tr>`).exec(page.text)![0].replace(/\s+/g, ' ');
    expect(row('CON2')).toContain('Phòng Tư pháp');
    expect(row('CON2')).toContain('Cơ quan, đơn vị');
    expect(row('CON2')).toContain('Đang hoạt động');
    expect(row('CON2')).toContain('<code>DV1</code>');
    expect(row('CON2')).toMatch(/<td class="num">3<\/td>/);
    expect(row('CHAU')).toContain('<code>CON1</code> Phòng Nội vụ');
    expect(row('CHAU')).toMatch(/<td class="num">4<\/td>/);
  });

  it("shows a child's admin its own subtree only, not its parent nor its siblings", async () => {
    const child = await t.signIn(con1.usernames.admin);
    const page = await child.get('/admin/organisations');
    expect(page.status).toBe(200);
    expect(listed(page.text)).toEqual(['CON1', 'CHAU']);
    expect(page.text).not.toContain('CON2');
    const form = await child.get('/admin/organisations/new');
    expect(options(form.text, 'parent_id').map(([, label]) => label)).toEqual(['CON1 — Phòng Nội vụ', 'CHAU — Tổ một cửa']);
    const leaf = await t.signIn(chau.usernames.admin);
    expect(listed((await leaf.get('/admin/organisations')).text)).toEqual(['CHAU']);
  });

  it('refuses the other roles (403)', async () => {
    for (const role of ['quality_officer', 'leader', 'staff'] as const) {
      const who = await t.signIn(role);
      expect((await who.get('/admin/organisations')).status, role).toBe(403);
      expect((await who.get('/admin/organisations/new')).status, role).toBe(403);
      expect((await who.post('/admin/organisations', { code: 'X1', name: 'X' })).status, role).toBe(403);
    }
  });

  it('offers the subtree as parents and the subtree and the templates as registers to start from', async () => {
    const form = await admin.get('/admin/organisations/new');
    expect(form.status).toBe(200);
    expect(options(form.text, 'parent_id').map(([, label]) => label)).toEqual([
      'DV1 — Phòng Lao động - Thương binh và Xã hội',
      'CHAU — Tổ một cửa',
      'CON1 — Phòng Nội vụ',
      'CON2 — Phòng Tư pháp',
    ]);
    expect(options(form.text, 'template_id').map(([, label]) => label)).toEqual([
      '— Không sao chép, bắt đầu trống —',
      'DV1 — Phòng Lao động - Thương binh và Xã hội',
      'CHAU — Tổ một cửa',
      'CON1 — Phòng Nội vụ',
      'CON2 — Phòng Tư pháp',
      'MAU — Hệ thống mẫu cấp xã',
    ]);
  });

  it('creates the organisation, its first admin and the copy; the admin signs in with the shown password and must change it', async () => {
    const before = await orgCount();
    const res = await admin.post('/admin/organisations', {
      code: 'XA-MOI',
      name: 'UBND xã Mới',
      kind: 'commune',
      parent_id: String(con1.id),
      template_id: String(mau.id),
      admin_username: 'Quantri.XaMoi',
      admin_full_name: 'Nguyễn Thị Mới',
    });
    expect(res.status, res.text.slice(0, 1500)).toBe(201);
    expect(await orgCount()).toBe(before + 1);
    const org = (await one<{ id: number; parent_id: number; kind: string }>(t, "select id, parent_id, kind from organisation where code = 'XA-MOI'"))!;
    expect(org).toMatchObject({ parent_id: con1.id, kind: 'commune' });
    expect(res.text).toContain('Đã tạo cơ quan XA-MOI – UBND xã Mới.');
    expect(res.text).toContain('Đã sao chép từ MAU — Hệ thống mẫu cấp xã: 1 quy trình và 0 tài liệu (bản dự thảo).');
    const password = /<dt>Mật khẩu dùng một lần<\/dt><dd><code>([^<]+)<\/code>/.exec(res.text)![1];
    expect(password).toMatch(/^[A-Za-z2-9]{4}(-[A-Za-z2-9]{4}){3}$/);
    expect(await rows(t, 'select username, full_name, role, must_change_password from users where organisation_id = ?', org.id)).toEqual([
      { username: 'quantri.xamoi', full_name: 'Nguyễn Thị Mới', role: 'admin', must_change_password: 1 },
    ]);
    expect(await rows(t, 'select code, unit_id from procedures where organisation_id = ?', org.id)).toEqual([{ code: 'QT-M1', unit_id: null }]);
    expect(
      (await rows<{ entity: string; user_id: number }>(t, 'select entity, user_id from audit_log where organisation_id = ? order by id', org.id)).map((r) => [
        r.entity,
        r.user_id,
      ]),
    ).toEqual([
      ['organisation', t.users.admin],
      ['user', t.users.admin],
      ['procedure', t.users.admin],
    ]);
    // The password is in no stored row (only its hash), so no later page can show it again.
    expect(await rows(t, 'select id from sessions where flash like ?', `%${password}%`)).toEqual([]);

    const agent = request.agent(t.app);
    const signIn = async (pw: string) => {
      const csrf = extractCsrf((await agent.get('/login')).text);
      return agent.post('/login').type('form').send({ username: 'quantri.xamoi', password: pw, _csrf: csrf });
    };
    expect((await signIn(password)).status).toBe(303);
    const home = await agent.get('/');
    expect([home.status, home.headers.location]).toEqual([303, '/account/password']);
    const csrf = extractCsrf((await agent.get('/account/password')).text);
    const changed = await agent
      .post('/account/password')
      .type('form')
      .send({ current_password: password, new_password: 'cánh đồng lúa chín vàng', confirm_password: 'cánh đồng lúa chín vàng', _csrf: csrf });
    expect([changed.status, changed.headers.location]).toEqual([303, '/login?changed=1']);
    expect((await signIn('cánh đồng lúa chín vàng')).status).toBe(303);
    const list = await agent.get('/admin/organisations');
    expect(list.status).toBe(200);
    expect(listed(list.text)).toEqual(['XA-MOI']);
  });

  it('answers 422 with a message next to each bad field, and adds nothing', async () => {
    const before = await orgCount();
    const good = {
      code: 'XA-HAI',
      name: 'UBND xã Hai',
      kind: 'commune',
      parent_id: String(con1.id),
      template_id: '',
      admin_username: 'quantri.xahai',
      admin_full_name: 'Lê Văn Hai',
    };
    const cases: [Record<string, string>, string, string][] = [
      [{ code: '' }, 'code', 'Vui lòng nhập trường này.'],
      [{ code: 'x' }, 'code', 'Mã cơ quan gồm 2–30 ký tự'],
      [{ code: 'XA HAI' }, 'code', 'Mã cơ quan gồm 2–30 ký tự'],
      [{ code: 'con2' }, 'code', 'Đã có cơ quan dùng mã này.'],
      [{ name: '  ' }, 'name', 'Vui lòng nhập trường này.'],
      [{ name: 'x'.repeat(201) }, 'name', 'Tối đa 200 ký tự.'],
      [{ kind: 'empire' }, 'kind', 'Lựa chọn không hợp lệ.'],
      [{ parent_id: '' }, 'parent_id', 'Vui lòng nhập trường này.'],
      [{ parent_id: 'abc' }, 'parent_id', 'Vui lòng nhập số nguyên.'],
      [{ parent_id: String(ngoai.id) }, 'parent_id', 'Cơ quan cấp trên phải là cơ quan của bạn hoặc một cơ quan trực thuộc.'],
      [{ parent_id: '999999' }, 'parent_id', 'Cơ quan cấp trên phải là cơ quan của bạn hoặc một cơ quan trực thuộc.'],
      [{ template_id: String(ngoai.id) }, 'template_id', 'Chỉ sao chép được từ một cơ quan mẫu hoặc một cơ quan trực thuộc cơ quan của bạn.'],
      [{ admin_username: '' }, 'admin_username', 'Vui lòng nhập trường này.'],
      [{ admin_username: 'Không Dấu!' }, 'admin_username', 'Tên đăng nhập gồm 2–64 ký tự'],
      [{ admin_username: 'admin' }, 'admin_username', 'Tên đăng nhập này đã có người dùng.'],
      [{ admin_full_name: '' }, 'admin_full_name', 'Vui lòng nhập trường này.'],
    ];
    for (const [change, field, message] of cases) {
      const res = await admin.post('/admin/organisations', { ...good, ...change });
      expect(res.status, JSON.stringify(change)).toBe(422);
      expect(fieldError(res.text, field), JSON.stringify(change)).toContain(message);
    }
    // An unknown field (mass assignment) is refused too.
    expect((await admin.post('/admin/organisations', { ...good, status: 'read_only' })).status).toBe(422);
    expect(await orgCount()).toBe(before);
    expect(await rows(t, "select id from users where username = 'quantri.xahai'")).toEqual([]);
  });

  it('adds one organisation when the same code, or the same first admin, is sent many times at once; the others get 422', async () => {
    const before = await orgCount();
    const form = (i: number, code: string, username: string) => ({
      code,
      name: `UBND xã Cùng Lúc ${i}`,
      kind: 'commune',
      parent_id: String(con1.id),
      template_id: '',
      admin_username: username,
      admin_full_name: `Người Quản Trị ${i}`,
    });
    const sameCode = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => admin.post('/admin/organisations', form(i, 'XA-CUNG-LUC', `quantri.cungluc${i}`))));
    expect(sameCode.map((r) => r.status).sort()).toEqual([201, 422, 422, 422, 422, 422]);
    for (const res of sameCode.filter((r) => r.status === 422)) expect(fieldError(res.text, 'code')).toContain('Đã có cơ quan dùng mã này.');
    const sameAdmin = await Promise.all([0, 1, 2, 3].map((i) => admin.post('/admin/organisations', form(i, `XA-CUNG-AD${i}`, 'quantri.cungad'))));
    expect(sameAdmin.map((r) => r.status).sort()).toEqual([201, 422, 422, 422]);
    for (const res of sameAdmin.filter((r) => r.status === 422))
      expect(fieldError(res.text, 'admin_username')).toContain('Tên đăng nhập này đã có người dùng.');
    expect(await orgCount()).toBe(before + 2);
    expect(Number((await one<{ n: number }>(t, "select count(*) as n from users where username like 'quantri.cung%'"))!.n)).toBe(2);
  });

  it('refuses a form without its CSRF token', async () => {
    const res = await admin.agent.post('/admin/organisations').type('form').send({ code: 'XA-BA', name: 'X' });
    expect(res.status).toBe(403);
  });
});

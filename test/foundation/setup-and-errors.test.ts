import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, extractCsrf, rows, run, type TestApp } from '../support/app';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('first-time setup', () => {
  it('sends every page to /setup while there is no user, creates the organisation and first admin once', async () => {
    t = await createTestApp({ withUsers: false });
    for (const path of ['/', '/login', '/procedures', '/admin/users']) {
      const res = await request(t.app).get(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.location, path).toBe('/setup');
    }
    const agent = request.agent(t.app);
    const page = await agent.get('/setup');
    expect(page.status).toBe(200);
    const csrf = extractCsrf(page.text);
    const bad = await agent
      .post('/setup')
      .type('form')
      .send({ _csrf: csrf, name: '', username: 'Admin!', full_name: 'A', password: 'short', confirm_password: 'x' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Vui lòng nhập trường này.');
    expect(bad.text).toContain('Mật khẩu phải có ít nhất 10 ký tự.');
    expect(await rows(t, 'select count(*) as n from users')).toEqual([{ n: 0 }]);
    const ok = await agent.post('/setup').type('form').send({
      _csrf: csrf,
      name: 'Phòng Lao động - Thương binh và Xã hội',
      parent_agency: 'UBND huyện Nghĩa Hưng',
      place_name: 'Nghĩa Hưng',
      username: 'quantri',
      full_name: 'Trần Quốc Huy',
      password: 'một mật khẩu dài',
      confirm_password: 'một mật khẩu dài',
    });
    expect(ok.status).toBe(303);
    expect(await rows(t, 'select username, role from users')).toEqual([{ username: 'quantri', role: 'admin' }]);
    expect(await rows(t, 'select name, place_name from organisation')).toEqual([{ name: 'Phòng Lao động - Thương binh và Xã hội', place_name: 'Nghĩa Hưng' }]);
    expect((await agent.get('/admin/organisation')).status).toBe(200);
    expect((await request(t.app).get('/setup')).status).toBe(404);
    expect((await request(t.app).get('/')).headers.location).toBe('/login?next=%2F');
  });
});

describe('headers and error pages', () => {
  it('sends the security headers on pages, 404s and errors', async () => {
    t = await createTestApp();
    const staff = await t.signIn('staff');
    for (const res of [await request(t.app).get('/login'), await staff.get('/'), await staff.get('/no/such/page'), await staff.get('/admin/users')]) {
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('same-origin');
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });

  it('renders 404 in the layout, in the chosen language, remembered across requests', async () => {
    t = await createTestApp();
    const staff = await t.signIn('staff');
    const vi = await staff.get('/nothing-here');
    expect(vi.status).toBe(404);
    expect(vi.text).toContain('Không tìm thấy trang');
    expect(vi.text).toContain('Bỏ qua, đến nội dung chính');
    const en = await staff.get('/nothing-here?lang=en');
    expect(en.text).toContain('Page not found');
    expect(en.text).toContain('<html lang="en">');
    expect((await staff.get('/procedures')).text).toContain('Procedure register');
    expect((await staff.get('/procedures?lang=vi')).text).toContain('Danh mục quy trình');
  });

  it('answers a failing handler with a 500 page with a reference and no stack, and keeps serving', async () => {
    for (const nodeEnv of ['development', 'production']) {
      t = await createTestApp({ env: { NODE_ENV: nodeEnv } });
      // Fail the way a bug would: the database refuses a query every page needs.
      await run(t, 'alter table organisation rename to organisation_gone');
      const res = await request(t.app).get('/login');
      expect(res.status).toBe(500);
      expect(res.text).toMatch(/Mã tham chiếu lỗi:\s*<code>[0-9a-f]{12}<\/code>/);
      expect(res.text).not.toMatch(/at \w+ \(|node_modules|\.ts:\d+|SqliteError|organisation_gone|select /i);
      await run(t, 'alter table organisation_gone rename to organisation');
      expect((await request(t.app).get('/login')).status).toBe(200);
      await t.close();
      t = undefined;
    }
  });

  it('answers malformed and oversized bodies with 4xx, never 500', async () => {
    t = await createTestApp();
    const qo = await t.signIn('quality_officer');
    const huge = await qo.agent
      .post('/procedures')
      .type('form')
      .send(`_csrf=${qo.csrf}&title=${'x'.repeat(3 * 1024 * 1024)}`);
    expect(huge.status).toBe(413);
    const badEncoding = await qo.agent.post('/procedures').type('form').send(`_csrf=${qo.csrf}&title=%E0%A4%A`);
    expect(badEncoding.status).toBeLessThan(500);
    const weirdId = await qo.get('/procedures/99999999999999999999');
    expect(weirdId.status).toBe(404);
  });

  it('does not serve files outside the static folder', async () => {
    t = await createTestApp();
    for (const path of [
      '/.env',
      '/.git/config',
      '/data/qms.sqlite',
      '/data/qms.sqlite-wal',
      '/static/../package.json',
      '/static/%2e%2e/package.json',
      '/static/.hidden',
    ]) {
      const res = await request(t.app).get(path);
      expect([303, 403, 404], path).toContain(res.status);
      expect(res.text ?? '', path).not.toContain('"dependencies"');
    }
    expect((await request(t.app).get('/static/app.css')).status).toBe(200);
  });
});

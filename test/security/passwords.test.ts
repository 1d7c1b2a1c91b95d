import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hashPassword, verifyPassword } from '../../src/core/security/passwords';
import { ESTIMATED_LENGTH, passwordWeakness } from '../../src/core/security/password-strength';
import { createTestApp, extractCsrf, rows, TEST_PASSWORD, type TestApp } from '../support/app';
import { signInWith } from '../support/agents';

/**
 * New passwords (issue 19, point 4): common and guessable ones are refused wherever a password is set (first setup,
 * an administrator creating an account or resetting a password, a user changing their own), with the reason next
 * to the field in both languages; and a password an administrator chose must be changed by its owner first.
 */
let t: TestApp;
afterEach(async () => t?.close());

/** The five accepted before, each with its reason: the last two are the account's username and ten spaces. */
const WEAK: { password: (username: string) => string; vi: string; en: string }[] = [
  {
    password: () => 'aaaaaaaaaa',
    vi: 'Mật khẩu lặp lại một ký tự hoặc một nhóm ký tự (như aaaa, abcabc) rất dễ đoán.',
    en: 'Repeated characters or groups (like aaaa or abcabc) are easy to guess.',
  },
  {
    password: () => '1234567890',
    vi: 'Mật khẩu này quá phổ biến: kẻ gian thử những mật khẩu như vậy đầu tiên. Hãy chọn một cụm từ của riêng bạn.',
    en: 'This password is too common: attackers try passwords like it first. Choose a phrase of your own.',
  },
  {
    password: () => 'password12',
    vi: 'Mật khẩu này quá phổ biến: kẻ gian thử những mật khẩu như vậy đầu tiên. Hãy chọn một cụm từ của riêng bạn.',
    en: 'This password is too common: attackers try passwords like it first. Choose a phrase of your own.',
  },
  {
    password: (username) => username,
    vi: 'Mật khẩu không được chứa tên đăng nhập hoặc họ tên của người dùng.',
    en: 'The password must not contain the username or the person’s full name.',
  },
  {
    password: () => ' '.repeat(10),
    vi: 'Mật khẩu lặp lại một ký tự hoặc một nhóm ký tự (như aaaa, abcabc) rất dễ đoán.',
    en: 'Repeated characters or groups (like aaaa or abcabc) are easy to guess.',
  },
];

/** The message shown under the field `name` of a re-rendered form (the field's error paragraph). */
function fieldError(html: string, name: string): string | undefined {
  const match = new RegExp(`<p class="field-error" id="e-${name}">([^<]*)</p>`).exec(html);
  return match?.[1].replace(/&#x27;/g, "'").replace(/&amp;/g, '&');
}

describe('the estimator', () => {
  it('refuses the common, repeated, sequential, dated and personal passwords, and accepts a phrase', () => {
    const who = { username: 'nguyenvana', fullName: 'Nguyễn Văn A' };
    expect(passwordWeakness('aaaaaaaaaa', who)).toBe('repeat');
    expect(passwordWeakness('1234567890', who)).toBe('common');
    expect(passwordWeakness('password12', who)).toBe('common');
    expect(passwordWeakness('nguyenvana', who)).toBe('contains_identity');
    expect(passwordWeakness('NguyenVanA@2026', who)).toBe('contains_identity');
    expect(passwordWeakness('Trần Thị Bích 1990', { username: 'bich', fullName: 'Trần Thị Bích' })).toBe('contains_identity');
    expect(passwordWeakness(' '.repeat(10), who)).toBe('repeat');
    expect(passwordWeakness('asdfghjkl;', who)).toBe('sequence');
    expect(passwordWeakness('abcdefghijk', who)).toBe('sequence');
    expect(passwordWeakness('1990-12-31!', who)).toBe('date');
    expect(passwordWeakness('matkhau123456', who)).not.toBeUndefined();
    expect(passwordWeakness('anhyeuem2026', who)).not.toBeUndefined();
    expect(passwordWeakness('Matkhau@2026', who)).toBe('guessable');
    for (const good of [TEST_PASSWORD, 'a brand new passphrase', 'mật khẩu mười ký tự', 'một mật khẩu dài', 'Bếp nhà tôi có ba con mèo']) {
      expect(passwordWeakness(good, who), good).toBeUndefined();
    }
  });

  // Its time is bounded by the length it estimates (the estimator's time grows fast with length): shown by the
  // verdict, which does not change past the first ESTIMATED_LENGTH characters. (Speed itself belongs to the benchmark.)
  it('estimates only the first characters, so the longest, most repetitive input costs no more than a short one', () => {
    for (const worst of ['ab1'.repeat(43).slice(0, 128), '1990-01-01'.repeat(13).slice(0, 128), 'p@ssw0rd'.repeat(16)])
      expect(passwordWeakness(worst, {})).toBe(passwordWeakness(worst.slice(0, ESTIMATED_LENGTH), {}));
    const strong = 'Tường-lửa 7 con-mèo ăn bánh chưng';
    expect(passwordWeakness(strong.padEnd(ESTIMATED_LENGTH, 'x') + 'a'.repeat(80), {})).toBeUndefined();
  });
});

describe('wherever a password is set', () => {
  it('first setup refuses the weak passwords, in Vietnamese and in English', async () => {
    t = await createTestApp({ withUsers: false });
    for (const lang of ['vi', 'en'] as const) {
      const agent = request.agent(t.app);
      const csrf = extractCsrf((await agent.get(`/setup?lang=${lang}`)).text);
      for (const weak of WEAK) {
        const password = weak.password('quantri2026');
        const res = await agent.post('/setup').type('form').send({
          _csrf: csrf,
          name: 'Phòng Lao động - Thương binh và Xã hội',
          username: 'quantri2026',
          full_name: 'Trần Quốc Huy',
          password,
          confirm_password: password,
        });
        expect(res.status, JSON.stringify(password)).toBe(422);
        expect(fieldError(res.text, 'password'), JSON.stringify(password)).toBe(weak[lang]);
      }
    }
    expect(await rows(t, 'select count(*) as n from users')).toEqual([{ n: 0 }]);
  });

  it('an administrator creating an account or resetting a password is refused the weak ones', async () => {
    t = await createTestApp();
    const admin = await t.signIn('admin');
    const account = { username: 'nguyenvana', full_name: 'Nguyễn Văn A', role: 'staff', unit_id: '', email: '', position_title: '' };
    for (const weak of WEAK) {
      const created = await admin.post('/admin/users', { ...account, password: weak.password('nguyenvana') });
      expect(created.status).toBe(422);
      expect(fieldError(created.text, 'password')).toBe(weak.vi);
      const password = weak.password('qualityofficer');
      const reset = await admin.post(`/admin/users/${t.users.quality_officer}/password`, { password, confirm_password: password });
      expect(reset.status).toBe(422);
      expect(fieldError(reset.text, 'password')).toBe(weak.vi);
    }
    const byName = await admin.post('/admin/users', { ...account, password: 'Nguyễn Văn A sinh năm 1990' });
    expect(fieldError(byName.text, 'password')).toBe('Mật khẩu không được chứa tên đăng nhập hoặc họ tên của người dùng.');
    expect(await rows(t, "select count(*) as n from users where username = 'nguyenvana'")).toEqual([{ n: 0 }]);
    // The test suites' own password is a fine one.
    expect((await admin.post('/admin/users', { ...account, password: TEST_PASSWORD })).status).toBe(303);
  });

  it('a user changing their own password is refused the weak ones, in both languages', async () => {
    t = await createTestApp();
    const staff = await t.signIn('quality_officer');
    for (const lang of ['vi', 'en'] as const) {
      await staff.get(`/account/password?lang=${lang}`);
      for (const weak of WEAK) {
        const password = weak.password('qualityofficer');
        const res = await staff.post('/account/password', { current_password: TEST_PASSWORD, new_password: password, confirm_password: password });
        expect(res.status).toBe(422);
        expect(fieldError(res.text, 'new_password'), JSON.stringify(password)).toBe(weak[lang]);
      }
    }
    const withName = await staff.post('/account/password', {
      current_password: TEST_PASSWORD,
      new_password: 'người dùng qualityofficer đây',
      confirm_password: 'người dùng qualityofficer đây',
    });
    expect(fieldError(withName.text, 'new_password')).toBe('The password must not contain the username or the person’s full name.');
    expect(await rows(t, "select action from audit_log where action = 'change_password'")).toEqual([]);
  });
});

describe('a password an administrator chose', () => {
  const NEW_ACCOUNT = { username: 'tranthib', full_name: 'Trần Thị B', role: 'staff', unit_id: '', email: '', position_title: '' };
  const GIVEN = 'mật khẩu ban đầu của B';
  const OWN = 'vườn cau sau nhà bà ngoại';

  it('must be changed at first sign-in: until then every page leads to the change-password page', async () => {
    t = await createTestApp();
    const admin = await t.signIn('admin');
    expect((await admin.post('/admin/users', { ...NEW_ACCOUNT, password: GIVEN })).status).toBe(303);
    expect(await rows(t, "select must_change_password from users where username = 'tranthib'")).toEqual([{ must_change_password: 1 }]);
    expect((await admin.get('/admin/users')).text).toContain('Chờ đổi mật khẩu');

    const b = await signInWith(t.app, 'tranthib', GIVEN);
    for (const path of ['/', '/procedures', '/documents', '/admin/users', '/no/such/page', '/reports/procedures/X.json']) {
      const res = await b.get(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.location, path).toBe('/account/password');
    }
    const blockedPost = await b.post('/nonconformities', { title: 'x' });
    expect(blockedPost.status).toBe(303);
    expect(blockedPost.headers.location).toBe('/account/password');
    expect((await b.get('/static/app.css')).status).toBe(200);
    const page = await b.get('/account/password');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Mật khẩu của bạn do quản trị hệ thống đặt.');

    const same = await b.post('/account/password', { current_password: GIVEN, new_password: GIVEN, confirm_password: GIVEN });
    expect(same.status).toBe(422);
    expect(fieldError(same.text, 'new_password')).toBe('Mật khẩu mới phải khác mật khẩu hiện tại.');
    const changed = await b.post('/account/password', { current_password: GIVEN, new_password: OWN, confirm_password: OWN });
    expect(changed.status).toBe(303);
    expect(changed.headers.location).toBe('/login?changed=1');
    expect(await rows(t, "select must_change_password from users where username = 'tranthib'")).toEqual([{ must_change_password: 0 }]);

    const again = await signInWith(t.app, 'tranthib', OWN);
    expect((await again.get('/')).status).toBe(200);
  });

  it('can be left by signing out', async () => {
    t = await createTestApp();
    const admin = await t.signIn('admin');
    await admin.post('/admin/users', { ...NEW_ACCOUNT, password: GIVEN });
    const b = await signInWith(t.app, 'tranthib', GIVEN);
    const out = await b.post('/logout');
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/login');
    expect(await rows(t, 'select count(*) as n from sessions')).toEqual([{ n: 1 }]);
  });

  it('a reset by an administrator must be changed too; a user’s own change or an administrator’s reset of their own is not', async () => {
    t = await createTestApp();
    const admin = await t.signIn('admin');
    expect((await admin.post(`/admin/users/${t.users.staff}/password`, { password: GIVEN, confirm_password: GIVEN })).status).toBe(303);
    const staff = await signInWith(t.app, 'staff', GIVEN);
    expect((await staff.get('/')).headers.location).toBe('/account/password');
    expect((await staff.post('/account/password', { current_password: GIVEN, new_password: OWN, confirm_password: OWN })).status).toBe(303);
    expect((await (await signInWith(t.app, 'staff', OWN)).get('/')).status).toBe(200);

    expect((await admin.post(`/admin/users/${t.users.admin}/password`, { password: OWN, confirm_password: OWN })).status).toBe(303);
    expect(await rows(t, 'select must_change_password from users where id = ?', t.users.admin)).toEqual([{ must_change_password: 0 }]);
  });

  it('the first administrator, made by the first-run setup, is not asked to change it', async () => {
    t = await createTestApp({ withUsers: false });
    const agent = request.agent(t.app);
    const csrf = extractCsrf((await agent.get('/setup')).text);
    const res = await agent.post('/setup').type('form').send({
      _csrf: csrf,
      name: 'Phòng Lao động - Thương binh và Xã hội',
      username: 'quantri',
      full_name: 'Trần Quốc Huy',
      password: TEST_PASSWORD,
      confirm_password: TEST_PASSWORD,
    });
    expect(res.status).toBe(303);
    expect((await agent.get('/admin/organisation')).status).toBe(200);
    expect(await rows(t, 'select must_change_password from users')).toEqual([{ must_change_password: 0 }]);
  });
});

describe('the work factor of password hashes', () => {
  afterEach(() => vi.unstubAllEnvs());
  const nOf = (hash: string) => hash.split('$').slice(0, 4).join('$');

  it('is scrypt N = 2^15, r 8, p 1 wherever the lowering for the test suite does not apply', async () => {
    // the suite runs with QMS_TEST_SCRYPT_LOG2_N=10 (vitest.config.ts)
    expect(process.env.QMS_TEST_SCRYPT_LOG2_N).toBe('10');
    expect(nOf(await hashPassword('một cụm từ riêng'))).toBe('scrypt$1024$8$1');
    vi.stubEnv('NODE_ENV', 'production');
    const production = await hashPassword('một cụm từ riêng');
    expect(nOf(production)).toBe('scrypt$32768$8$1');
    vi.stubEnv('NODE_ENV', 'test');
    vi.stubEnv('QMS_TEST_SCRYPT_LOG2_N', '');
    expect(nOf(await hashPassword('một cụm từ riêng'))).toBe('scrypt$32768$8$1');
    for (const outside of ['4', '9', '15', '20', '12.5', 'x']) {
      vi.stubEnv('QMS_TEST_SCRYPT_LOG2_N', outside);
      expect(nOf(await hashPassword('một cụm từ riêng')), `QMS_TEST_SCRYPT_LOG2_N=${outside}`).toBe('scrypt$32768$8$1');
    }
    // each hash carries its parameters: the production hash verifies under the test setting and back
    vi.stubEnv('QMS_TEST_SCRYPT_LOG2_N', '10');
    expect(await verifyPassword('một cụm từ riêng', production)).toBe(true);
    expect(await verifyPassword('một cụm từ khác', production)).toBe(false);
  });
});

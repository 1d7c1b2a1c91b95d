import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app';
import { addCatalogs, catalogs, translate } from '../../src/core/i18n';

/**
 * Core's catalogs hold only core keys; the features' keys are added by the features' wiring (src/features/catalogs.ts),
 * which createApp loads. A key missing here would show as the key itself, silently.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('feature catalogs', () => {
  it('translate feature keys in both languages once the app is created', () => {
    expect(translate('vi', 'auth.sign_in')).toBe('Đăng nhập');
    expect(translate('en', 'auth.sign_in')).toBe('Sign in');
    expect(translate('vi', 'nonconformities.title')).toBe('Sổ theo dõi sự không phù hợp');
    expect(translate('en', 'nonconformities.title')).toBe('Nonconformity register');
  });

  it('show a feature text on a page, in the language asked for', async () => {
    expect((await request(t.app).get('/login')).text).toContain('Đăng nhập');
    const en = await request(t.app).get('/login?lang=en');
    expect(en.text).toContain('Sign in');
    expect(en.text).not.toContain('auth.sign_in');
  });

  it('refuse a key defined twice, and change neither language then', () => {
    const before = { vi: catalogs.vi, en: catalogs.en };
    expect(() => addCatalogs([{ vi: { 'test.only_once': 'x' }, en: { 'auth.sign_in': 'Again' } }])).toThrow('i18n key defined twice in en: auth.sign_in');
    expect(catalogs.vi).toBe(before.vi);
    expect(catalogs.en).toBe(before.en);
    expect(translate('vi', 'test.only_once')).toBe('test.only_once');
  });
});

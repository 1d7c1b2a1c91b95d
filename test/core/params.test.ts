import { describe, expect, it } from 'vitest';
import { withQueryParam } from '../../src/core/http/params';
import { createTestApp } from '../support/app';

describe('the language switch link (withQueryParam)', () => {
  it('keeps the path and the other parameters, and sets or replaces the one asked', () => {
    expect(withQueryParam('/', 'lang', 'en')).toBe('/?lang=en');
    expect(withQueryParam('/nonconformities?status=active&severity=major', 'lang', 'en')).toBe('/nonconformities?status=active&severity=major&lang=en');
    expect(withQueryParam('/documents?lang=vi&q=h%E1%BB%93+s%C6%A1', 'lang', 'en')).toBe('/documents?lang=en&q=h%E1%BB%93+s%C6%A1');
    expect(withQueryParam('/reports/summary?', 'lang', 'vi')).toBe('/reports/summary?lang=vi');
  });

  it('always stays on this site: leading slashes and backslashes collapse to one', () => {
    expect(withQueryParam('//evil.example/x?a=1', 'lang', 'en')).toBe('/evil.example/x?a=1&lang=en');
    expect(withQueryParam('/\\evil.example', 'lang', 'en')).toBe('/evil.example?lang=en');
    expect(withQueryParam('\\\\evil.example', 'lang', 'en')).toBe('/evil.example?lang=en');
  });

  it('is the link every page shows', async () => {
    const t = await createTestApp();
    try {
      const staff = await t.signIn('staff');
      const page = await staff.get('/procedures?q=dang+ky');
      expect(page.text).toContain('class="lang-switch" href="/procedures?q&#x3D;dang+ky&amp;lang&#x3D;en"');
      const english = await staff.get('/procedures?q=dang+ky&lang=en');
      expect(english.text).toContain('class="lang-switch" href="/procedures?q&#x3D;dang+ky&amp;lang&#x3D;vi"');
    } finally {
      await t.close();
    }
  });
});

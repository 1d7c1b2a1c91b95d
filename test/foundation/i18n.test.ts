import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { describe, expect, it } from 'vitest';
import { catalogs, translate } from '../../src/core/i18n';
// The catalogs as the app has them: core's keys plus every feature's.
import '../../src/features/catalogs';
import { formatDate, formatDateTime, formatNumber, formatPercent } from '../../src/core/views/format';

describe('i18n catalogs', () => {
  it('vi and en have exactly the same keys', () => {
    const vi = Object.keys(catalogs.vi).sort();
    const en = Object.keys(catalogs.en).sort();
    expect(vi.filter((k) => !en.includes(k))).toEqual([]);
    expect(en.filter((k) => !vi.includes(k))).toEqual([]);
  });

  it('has no empty values and the same {placeholders} in both languages', () => {
    for (const [key, value] of Object.entries(catalogs.vi)) {
      expect(value.trim(), `vi ${key}`).not.toBe('');
      expect(catalogs.en[key].trim(), `en ${key}`).not.toBe('');
      const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(params(catalogs.en[key]), key).toEqual(params(value));
    }
  });

  it('writes Vietnamese with its diacritics', () => {
    expect(translate('vi', 'nav.audit_log')).toBe('Nhật ký hệ thống');
    expect(translate('vi', 'role.staff')).toBe('Cán bộ, công chức');
    expect(translate('en', 'nav.audit_log')).toBe('Audit trail');
    expect(translate('vi', 'validation.too_long', { n: 20 })).toBe('Tối đa 20 ký tự.');
  });

  it('fills every placeholder of every message as a plain replace does, leaving unknown or empty ones as written', () => {
    const replace = (message: string, params: Record<string, unknown>) =>
      message.replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined || params[name] === null ? whole : String(params[name])));
    let checked = 0;
    for (const lang of ['vi', 'en'] as const) {
      for (const [key, message] of Object.entries(catalogs[lang])) {
        const names = [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        if (names.length === 0) continue;
        // The first placeholder filled with a value holding braces and a $, the second null, the others missing.
        const params: Record<string, unknown> = { [names[0]]: '{x} $& 1.234', ...(names[1] ? { [names[1]]: null } : {}) };
        expect(translate(lang, key, params), `${lang} ${key}`).toBe(replace(message, params));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(translate('vi', 'no.such.key {n}', { n: 3 })).toBe('no.such.key 3');
  });
});

describe('formats', () => {
  it('shows dates as dd/MM/yyyy and times in the organisation time zone', () => {
    expect(formatDate('2026-03-05', 'Asia/Ho_Chi_Minh')).toBe('05/03/2026');
    expect(formatDate('2026-03-04T17:30:00Z', 'Asia/Ho_Chi_Minh')).toBe('05/03/2026');
    expect(formatDateTime('2026-03-04T17:30:00Z', 'Asia/Ho_Chi_Minh')).toBe('05/03/2026 00:30');
    // Midnight is 00, never 24; a zone with a half-hour daylight shift and one at +05:45.
    expect(formatDateTime('2026-11-26T17:00:00Z', 'Asia/Ho_Chi_Minh')).toBe('27/11/2026 00:00');
    expect(formatDateTime('2026-01-01T00:00:00Z', 'Australia/Lord_Howe')).toBe('01/01/2026 11:00');
    expect(formatDateTime('2026-07-01T00:00:00Z', 'Australia/Lord_Howe')).toBe('01/07/2026 10:30');
    expect(formatDateTime('2026-03-04T17:30:00Z', 'Asia/Kathmandu')).toBe('04/03/2026 23:15');
    expect(formatDateTime('not a time', 'Asia/Ho_Chi_Minh')).toBe('not a time');
  });

  it('formats instants exactly as date-fns with a TZDate does, in every zone, across daylight-saving changes', () => {
    let seed = 20261127;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const zones = ['Asia/Ho_Chi_Minh', 'UTC', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham'];
    for (let i = 0; i < 3000; i++) {
      const ms = Math.floor(Date.UTC(1971, 0, 1) + random() * (Date.UTC(2099, 0, 1) - Date.UTC(1971, 0, 1)));
      const iso = new Date(ms).toISOString();
      const zone = zones[i % zones.length];
      expect(formatDateTime(iso, zone), `${iso} ${zone}`).toBe(format(new TZDate(ms, zone), 'dd/MM/yyyy HH:mm'));
      expect(formatDate(iso, zone), `${iso} ${zone}`).toBe(format(new TZDate(ms, zone), 'dd/MM/yyyy'));
    }
  });

  it('groups digits the Vietnamese way', () => {
    expect(formatNumber(2000, 'vi')).toBe('2.000');
    expect(formatNumber(2000, 'en')).toBe('2,000');
    // 0.9864 × 100 = 98.64 → "98,64", then a no-break space (U+00A0) and the sign, so "%" never wraps alone.
    expect(formatPercent(0.9864, 'vi')).toBe('98,64\u00a0%');
    expect(formatPercent(0.9975, 'vi')).toBe('99,75\u00a0%');
    expect(formatPercent(0.75, 'vi')).toBe('75\u00a0%');
    expect(formatPercent(0.9975, 'en')).toBe('99.75%');
    expect(formatPercent(null, 'vi')).toBe('—');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNumber } from '../../src/core/views/format';

/** formatNumber groups whole numbers by hand (Intl.NumberFormat is slow on 2,000-row pages); it must print exactly what Intl prints. */
const intl = {
  vi: new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 }),
  en: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }),
};

describe('formatNumber fast path for whole numbers', () => {
  it('prints every safe integer as Intl.NumberFormat does, in both languages', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.integer({ min: -999_999, max: 999_999 })),
        fc.constantFrom('vi' as const, 'en' as const),
        (n, lang) => {
          expect(formatNumber(n, lang)).toBe(intl[lang].format(n));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('keeps the known forms, and leaves fractions, -0 and text to Intl', () => {
    expect(formatNumber(1234567, 'vi')).toBe('1.234.567');
    expect(formatNumber(1234567, 'en')).toBe('1,234,567');
    expect(formatNumber('2000', 'vi')).toBe('2.000');
    expect(formatNumber(-1000, 'vi')).toBe(intl.vi.format(-1000));
    expect(formatNumber(-0, 'vi')).toBe(intl.vi.format(-0));
    expect(formatNumber(1234.5, 'vi')).toBe('1.234,5');
    expect(formatNumber('abc', 'vi')).toBe('abc');
    expect(formatNumber(null, 'vi')).toBe('');
  });
});

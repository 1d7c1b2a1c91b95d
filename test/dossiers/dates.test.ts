import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseDateOrDateTime } from '../../src/core/calendar';
import { fastParseLocal } from '../../src/features/dossiers/dossiers.dates';

/** The import's fast date path must agree with parseDateOrDateTime wherever it answers. */
const asCore = (text: string, tz: string) => {
  const r = parseDateOrDateTime(text, tz);
  return r.ok ? { day: Date.parse(`${r.value.date}T00:00:00Z`) / 86_400_000, ms: r.value.utc ? Date.parse(r.value.utc) : NaN } : null;
};
const two = fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, '0'));
const year = fc.oneof(fc.integer({ min: 1890, max: 3010 }), fc.constantFrom(2024, 2025, 2026, 2100)).map(String);
const candidates = fc.oneof(
  fc.tuple(year, two, two).map(([y, m, d]) => `${y}-${m}-${d}`),
  fc.tuple(year, two, two, two, two).map(([y, m, d, h, mi]) => `${y}-${m}-${d}T${h}:${mi}`),
  fc.tuple(year, two, two, two, two, two).map(([y, m, d, h, mi, s]) => `${y}-${m}-${d}T${h}:${mi}:${s}`),
  fc.tuple(year, two, two).map(([y, m, d]) => `${d}/${m}/${y}`),
  fc.tuple(year, two, two, two, two).map(([y, m, d, h, mi]) => `${d}/${m}/${y} ${h}:${mi}`),
  fc.tuple(year, two, two, two, two, two).map(([y, m, d, h, mi, s]) => `${d}/${m}/${y} ${h}:${mi}:${s}`),
  fc
    .tuple(
      year,
      two,
      two,
      two,
      two,
      fc.constantFrom('', ':00', ':59', ':60'),
      fc.constantFrom('Z', '+07:00', '-05:30', '+14:00', '+14:01', '-00:60', '+7:00', 'z', ''),
    )
    .map(([y, m, d, h, mi, s, off]) => `${y}-${m}-${d}T${h}:${mi}${s}${off}`),
  fc.string({ maxLength: 20 }),
);

describe('fastParseLocal', () => {
  for (const tz of ['Asia/Ho_Chi_Minh', 'Europe/London', 'America/New_York', 'UTC']) {
    it(`agrees with parseDateOrDateTime in ${tz}`, () => {
      fc.assert(
        fc.property(candidates, (text) => {
          const fast = fastParseLocal(text, tz);
          if (fast !== null) expect(fast).toEqual(asCore(text, tz));
        }),
        { numRuns: 3000 },
      );
    });
  }

  it('answers the common forms and leaves the rest to the full parser', () => {
    const tz = 'Asia/Ho_Chi_Minh';
    expect(fastParseLocal('2026-03-31', tz)).toEqual({ day: Date.UTC(2026, 2, 31) / 86_400_000, ms: NaN });
    expect(fastParseLocal('01/04/2026 00:30', tz)).toEqual({ day: Date.UTC(2026, 3, 1) / 86_400_000, ms: Date.parse('2026-03-31T17:30:00Z') });
    expect(fastParseLocal('2026-04-01T00:30:00', tz)).toEqual(fastParseLocal('01/04/2026 00:30', tz));
    expect(fastParseLocal('2026-03-31T17:30:00Z', tz)).toEqual(fastParseLocal('2026-04-01T00:30:00+07:00', tz));
    for (const other of [
      '01/04/2026 00:30+07:00',
      '2026-04-01T00:30:00+15:00',
      '1/4/2026',
      '2026-02-29',
      '2026-04-01T24:00',
      '31/04/2026',
      '2026-04-01T08:15:00.5',
      '',
    ]) {
      expect(fastParseLocal(other, tz), other).toBeNull();
    }
  });
});

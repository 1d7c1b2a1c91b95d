import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WorkCalendar, computeDueDate, parseDateOrDateTime } from '../../src/core/calendar';
import { fastParseLocal } from '../../src/features/dossiers/dossiers.dates';
import { createTestApp, rows, type TestApp } from '../support/app';
import { createProcedure } from '../../src/features/procedures/procedures.service';
import { createHoliday } from '../../src/features/holidays/holidays.service';
import { importDossiers } from '../../src/features/dossiers/dossiers.import.service';
import { dossierFigures } from '../../src/features/dossiers/dossiers.figures';

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

/**
 * Issue 20 point 5: a same-day procedure (0 processing days) is due on the receipt date when that is a working day,
 * else on the next working day; receipt outside working days starts counting at the next working day for every
 * procedure. March 2026: Fri 6, Sat 7, Sun 8, Mon 9, Tue 10. September 2026: Tue 1 and Wed 2 declared holidays,
 * Thu 3. Sat 10/01/2026 a declared make-up working day.
 */
describe('computeDueDate for same-day procedures', () => {
  const cal = new WorkCalendar({ holidays: ['2026-09-01', '2026-09-02'], workdays: ['2026-01-10'] });
  it('is the receipt date on a working day, else the next working day', () => {
    expect(computeDueDate('2026-03-10', 0, cal)).toBe('2026-03-10'); // Tue: same day
    expect(computeDueDate('2026-03-07', 0, cal)).toBe('2026-03-09'); // Sat → Mon, not the Saturday
    expect(computeDueDate('2026-03-08', 0, cal)).toBe('2026-03-09'); // Sun → Mon
    expect(computeDueDate('2026-09-01', 0, cal)).toBe('2026-09-03'); // holiday Tue → (Wed holiday) → Thu
    expect(computeDueDate('2026-01-10', 0, cal)).toBe('2026-01-10'); // make-up Saturday is a working day
    expect(computeDueDate('2026-01-17', 0, cal)).toBe('2026-01-19'); // ordinary Saturday → Mon
  });
  it('counts from the next working day for N >= 1 too', () => {
    expect(computeDueDate('2026-03-07', 1, cal)).toBe('2026-03-09'); // Sat: Mon is day 1
    expect(computeDueDate('2026-03-07', 2, cal)).toBe('2026-03-10');
    expect(computeDueDate('2026-08-29', 1, cal)).toBe('2026-08-31'); // Sat → Mon 31/08
    expect(computeDueDate('2026-08-31', 1, cal)).toBe('2026-09-03'); // Mon → (1, 2 holidays) Thu
  });
});

describe('the import computes same-day due dates the same way (known answers)', () => {
  let t: TestApp;
  let p0: number;
  /**
   * S1 Sat 07/03 returned Mon 09/03: due Mon 09 → on time (was due Sat 07 and counted late before the fix).
   * S2 Tue 10/03 returned the same day: due 10 → on time. S3 Sun 08/03 returned Tue 10/03: due Mon 09 → late.
   * S4 received 23:30 local on Fri 06/03 (16:30Z): Fri is a working day → due 06, returned Mon 09 → late.
   * S5 received 00:30 local on Sat 07/03 (Fri 17:30Z): due Mon 09, returned Mon 09 → on time.
   * S6 received on the holiday Tue 01/09/2026, returned Thu 03/09: due Thu 03 (Wed 02 a holiday too) → on time.
   * March: resolved 5, early 0, on time 3 (S1 S2 S5), late 2 (S3 S4).
   */
  const CSV = `code,procedure_code,received_at,due_date,returned_at,outcome,channel
S1,QT-0,2026-03-07,,2026-03-09,returned,direct
S2,QT-0,2026-03-10,,2026-03-10,returned,direct
S3,QT-0,2026-03-08,,2026-03-10,returned,online
S4,QT-0,2026-03-06T16:30:00Z,,2026-03-09,returned,direct
S5,QT-0,2026-03-06T17:30:00Z,,2026-03-09,returned,direct
S6,QT-0,2026-09-01,,2026-09-03,returned,direct
`;
  beforeAll(async () => {
    t = await createTestApp();
    const base = { field: '', online_level: 'none' as const, unit_id: null, on_time_target: 1, national_code: null };
    p0 = await createProcedure(t.ctx, { ...base, code: 'QT-0', title: 'Thủ tục trong ngày', processing_days: 0 }, null);
    await createHoliday(t.ctx, { date: '2026-09-01', kind: 'holiday', name: 'Quốc khánh (ngày liền kề)' }, null);
    await createHoliday(t.ctx, { date: '2026-09-02', kind: 'holiday', name: 'Quốc khánh' }, null);
    expect(await importDossiers(t.ctx, { buffer: Buffer.from(CSV) }, { fileName: 'trong-ngay.csv', actorId: null, via: 'cli' })).toMatchObject({ added: 6 });
  });
  afterAll(async () => t.close());

  it('stores the due dates', async () => {
    const due = await rows<{ code: string; received_on: string; due_on: string }>(t, 'select code, received_on, due_on from dossiers order by code');
    expect(due).toEqual([
      { code: 'S1', received_on: '2026-03-07', due_on: '2026-03-09' },
      { code: 'S2', received_on: '2026-03-10', due_on: '2026-03-10' },
      { code: 'S3', received_on: '2026-03-08', due_on: '2026-03-09' },
      { code: 'S4', received_on: '2026-03-06', due_on: '2026-03-06' },
      { code: 'S5', received_on: '2026-03-07', due_on: '2026-03-09' },
      { code: 'S6', received_on: '2026-09-01', due_on: '2026-09-03' },
    ]);
  });

  it('counts a Monday return of a Saturday receipt on time', async () => {
    expect(await dossierFigures(t.ctx.db, p0, '2026-03-01', '2026-03-31')).toMatchObject({ resolved: 5, early: 0, onTime: 3, late: 2 });
    expect(await dossierFigures(t.ctx.db, p0, '2026-09-01', '2026-09-30')).toMatchObject({ resolved: 1, onTime: 1, late: 0 });
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WorkCalendar, addDays, computeDueDate, isIsoDate, localDateOf, parseDateOrDateTime, todayLocal } from '../../src/core/calendar';
import { nextLocalMidnight } from '../../src/core/calendar/zone';

const VN = 'Asia/Ho_Chi_Minh';

/**
 * Test calendar in the style of Vietnam's 2026 public holidays (not an official list):
 * Thu 1 Jan + bridge Fri 2 Jan made up on Saturday 10 Jan; Tết Mon 16 – Fri 20 Feb; Giỗ Tổ moved to Mon 27 Apr;
 * Thu 30 Apr, Fri 1 May; Tue 1 and Wed 2 Sep.
 */
const cal2026 = new WorkCalendar({
  holidays: [
    '2026-01-01',
    '2026-01-02',
    '2026-02-16',
    '2026-02-17',
    '2026-02-18',
    '2026-02-19',
    '2026-02-20',
    '2026-04-27',
    '2026-04-30',
    '2026-05-01',
    '2026-09-01',
    '2026-09-02',
  ],
  workdays: ['2026-01-10'],
});
const plain = new WorkCalendar({ holidays: [], workdays: [] });

describe('isIsoDate', () => {
  it.each(['2026-03-10', '2028-02-29', '2026-12-31', '2000-02-29'])('accepts %s', (s) => expect(isIsoDate(s)).toBe(true));
  it.each([
    '2026-02-29',
    '1900-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-03-00',
    '2026-3-10',
    '26-03-10',
    '2026-03-10T00:00',
    ' 2026-03-10',
    '10/03/2026',
    '',
    'abc',
  ])('rejects %j', (s) => expect(isIsoDate(s)).toBe(false));
  it('rejects non-strings', () => {
    expect(isIsoDate(undefined)).toBe(false);
    expect(isIsoDate(20260310)).toBe(false);
  });
});

describe('addDays', () => {
  it('crosses month, leap-day and year boundaries', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });
});

describe('localDateOf / todayLocal', () => {
  it('gives the local calendar date of a UTC instant', () => {
    expect(localDateOf('2026-03-09T23:30:00Z', VN)).toBe('2026-03-10');
    expect(localDateOf('2026-03-10T16:59:59Z', VN)).toBe('2026-03-10');
    expect(localDateOf('2026-03-10T17:00:00Z', VN)).toBe('2026-03-11');
    expect(localDateOf('2026-03-10T17:00:00.000Z', VN)).toBe('2026-03-11');
    expect(localDateOf('2026-03-11T00:30:00+07:00', VN)).toBe('2026-03-11');
    expect(localDateOf('2026-12-31T17:00:00Z', VN)).toBe('2027-01-01');
  });
  it('works in other zones, including across DST', () => {
    expect(localDateOf('2026-03-10T03:59:00Z', 'America/New_York')).toBe('2026-03-09'); // EDT, UTC-4
    expect(localDateOf('2026-03-10T04:00:00Z', 'America/New_York')).toBe('2026-03-10');
    expect(localDateOf('2026-01-10T04:30:00Z', 'America/New_York')).toBe('2026-01-09'); // EST, UTC-5
    expect(localDateOf('2026-03-10T23:30:00Z', 'UTC')).toBe('2026-03-10');
  });
  it('refuses instants without offset, junk and unknown zones', () => {
    expect(() => localDateOf('2026-03-10T08:00:00', VN)).toThrow(RangeError);
    expect(() => localDateOf('yesterday', VN)).toThrow(RangeError);
    expect(() => localDateOf('2026-03-10T08:00:00Z', 'Mars/Olympus')).toThrow(RangeError);
  });
  it('todayLocal uses the zone, not the machine', () => {
    expect(todayLocal(new Date('2026-03-09T17:00:00Z'), VN)).toBe('2026-03-10');
    expect(todayLocal(new Date('2026-03-09T16:59:59.999Z'), VN)).toBe('2026-03-09');
    expect(todayLocal(new Date('2026-03-10T02:00:00Z'), 'America/Los_Angeles')).toBe('2026-03-09');
  });
});

describe('nextLocalMidnight', () => {
  it('is the start of the zone’s next day: one second after 23:59:59, a whole day after 00:00, a 23-hour day in spring', () => {
    expect(nextLocalMidnight(new Date('2026-11-30T16:59:59Z'), VN).toISOString()).toBe('2026-11-30T17:00:00.000Z');
    expect(nextLocalMidnight(new Date('2026-11-30T17:00:00Z'), VN).toISOString()).toBe('2026-12-01T17:00:00.000Z');
    expect(nextLocalMidnight(new Date('2026-11-26T02:00:00Z'), VN).toISOString()).toBe('2026-11-26T17:00:00.000Z');
    // Paris moves to summer time on 29/03/2026: that day has 23 hours
    expect(nextLocalMidnight(new Date('2026-03-28T23:00:00Z'), 'Europe/Paris').toISOString()).toBe('2026-03-29T22:00:00.000Z');
  });
});

describe('parseDateOrDateTime', () => {
  const ok = (text: string, tz = VN) => {
    const r = parseDateOrDateTime(text, tz);
    if (!r.ok) throw new Error(`expected ${text} to parse, got ${r.code}`);
    return r.value;
  };

  it.each([
    ['2026-03-10', '2026-03-10', null],
    ['2026-03-10T08:15', '2026-03-10', '2026-03-10T01:15:00.000Z'],
    ['2026-03-10T08:15:00', '2026-03-10', '2026-03-10T01:15:00.000Z'],
    ['2026-03-10T08:15:00+07:00', '2026-03-10', '2026-03-10T01:15:00.000Z'],
    ['2026-03-10T08:15:00Z', '2026-03-10', '2026-03-10T08:15:00.000Z'],
    ['2026-03-10T08:15:00.250Z', '2026-03-10', '2026-03-10T08:15:00.250Z'],
    ['2026-03-10T06:30:00+09:00', '2026-03-10', '2026-03-09T21:30:00.000Z'],
    ['2026-03-10T08:15-05:00', '2026-03-10', '2026-03-10T13:15:00.000Z'],
    ['10/03/2026', '2026-03-10', null],
    ['10/03/2026 08:15', '2026-03-10', '2026-03-10T01:15:00.000Z'],
    ['10/03/2026 08:15:30', '2026-03-10', '2026-03-10T01:15:30.000Z'],
    ['1/3/2026', '2026-03-01', null],
    ['1/3/2026 7:05', '2026-03-01', '2026-03-01T00:05:00.000Z'],
    ['  2026-03-10  ', '2026-03-10', null],
    ['29/02/2028', '2028-02-29', null],
  ])('accepts %j', (text, date, utc) => {
    expect(ok(text)).toEqual({ date, utc });
  });

  it('gives the local date of a time with offset (23:30 UTC is the next local day)', () => {
    expect(ok('2026-03-09T23:30:00Z')).toEqual({ date: '2026-03-10', utc: '2026-03-09T23:30:00.000Z' });
    expect(ok('2026-03-09T16:59:59Z').date).toBe('2026-03-09');
    expect(ok('2026-03-09T17:00:00Z').date).toBe('2026-03-10');
  });

  it('reads a time without offset as local time in the given zone', () => {
    expect(ok('2026-03-10T00:30')).toEqual({ date: '2026-03-10', utc: '2026-03-09T17:30:00.000Z' });
    expect(ok('2026-01-01T00:00:00')).toEqual({ date: '2026-01-01', utc: '2025-12-31T17:00:00.000Z' });
    expect(ok('2026-03-10T08:15', 'America/New_York').utc).toBe('2026-03-10T12:15:00.000Z'); // EDT
    expect(ok('2026-01-10T08:15', 'America/New_York').utc).toBe('2026-01-10T13:15:00.000Z'); // EST
    expect(ok('2026-03-10T08:15', 'UTC').utc).toBe('2026-03-10T08:15:00.000Z');
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['31/02/2026', 'invalid_date'],
    ['29/02/2026', 'invalid_date'],
    ['2026-02-29', 'invalid_date'],
    ['2026-04-31', 'invalid_date'],
    ['2026-13-01', 'invalid_date'],
    ['00/01/2026', 'invalid_date'],
    ['10/03/0026', 'invalid_date'],
    ['3026-03-10', 'invalid_date'],
    ['2026-03-10T24:00', 'invalid_time'],
    ['2026-03-10T08:60', 'invalid_time'],
    ['2026-03-10T08:15:60', 'invalid_time'],
    ['10/03/2026 25:00', 'invalid_time'],
    ['10/03/2026 08:75', 'invalid_time'],
    ['2026-03-10T08:15:00+25:00', 'invalid_offset'],
    ['2026-03-10T08:15:00+07:60', 'invalid_offset'],
    ['abc', 'invalid_format'],
    ['2026/03/10', 'invalid_format'],
    ['10-03-2026', 'invalid_format'],
    ['2026-3-10', 'invalid_format'],
    ['20260310', 'invalid_format'],
    ['2026-03-10 08:15', 'invalid_format'],
    ['2026-03-10T08', 'invalid_format'],
    ['2026-03-10T08:15:00+0700', 'invalid_format'],
    ['2026-03-10t08:15', 'invalid_format'],
    ['10/03/26', 'invalid_format'],
    ['March 10, 2026', 'invalid_format'],
    ['10/03/2026T08:15', 'invalid_format'],
    ['46091', 'invalid_format'],
  ])('rejects %j as %s', (text, code) => {
    const r = parseDateOrDateTime(text, VN);
    expect(r).toMatchObject({ ok: false, code });
    if (!r.ok) expect(r.reason).toMatch(/^[a-z].{5,}/);
  });
});

describe('WorkCalendar', () => {
  it('knows weekends, holidays and make-up days', () => {
    expect(plain.isWorkingDay('2026-03-06')).toBe(true); // Friday
    expect(plain.isWorkingDay('2026-03-07')).toBe(false); // Saturday
    expect(plain.isWorkingDay('2026-03-08')).toBe(false); // Sunday
    expect(cal2026.isWorkingDay('2026-02-17')).toBe(false); // Tết
    expect(cal2026.isWorkingDay('2026-01-10')).toBe(true); // make-up Saturday
    expect(cal2026.isWorkingDay('2026-01-17')).toBe(false); // ordinary Saturday
  });

  it('counts a make-up day that is also declared a holiday as working', () => {
    const cal = new WorkCalendar({ holidays: ['2026-03-10'], workdays: ['2026-03-10'] });
    expect(cal.isWorkingDay('2026-03-10')).toBe(true);
    expect(cal.countWorkingDaysBetween('2026-03-09', '2026-03-11')).toBe(2);
  });

  it('addWorkingDays skips weekends and does not count the start date', () => {
    expect(plain.addWorkingDays('2026-03-06', 1)).toBe('2026-03-09'); // Fri → Mon
    expect(plain.addWorkingDays('2026-03-06', 3)).toBe('2026-03-11');
    expect(plain.addWorkingDays('2026-03-02', 5)).toBe('2026-03-09'); // Mon + 5 → next Mon
    expect(plain.addWorkingDays('2026-03-07', 1)).toBe('2026-03-09'); // Saturday
  });

  it('n = 0 returns the date itself, even on a weekend or holiday', () => {
    expect(plain.addWorkingDays('2026-03-10', 0)).toBe('2026-03-10');
    expect(plain.addWorkingDays('2026-03-08', 0)).toBe('2026-03-08');
    expect(cal2026.addWorkingDays('2026-02-17', 0)).toBe('2026-02-17');
  });

  it('skips Tết, 30-4/1-5 and 2-9', () => {
    expect(cal2026.addWorkingDays('2026-02-13', 1)).toBe('2026-02-23'); // Fri before Tết → Mon after
    expect(cal2026.addWorkingDays('2026-02-13', 3)).toBe('2026-02-25');
    expect(cal2026.addWorkingDays('2026-04-29', 2)).toBe('2026-05-05'); // Wed; Thu 30, Fri 1 off
    expect(cal2026.addWorkingDays('2026-04-24', 1)).toBe('2026-04-28'); // Fri; Mon 27 (Giỗ Tổ) off
    expect(cal2026.addWorkingDays('2026-08-31', 1)).toBe('2026-09-03'); // Mon; Tue 1, Wed 2 off
  });

  it('counts a make-up Saturday', () => {
    expect(cal2026.addWorkingDays('2026-01-08', 2)).toBe('2026-01-10'); // Thu → Fri 9, Sat 10
    expect(plain.addWorkingDays('2026-01-08', 2)).toBe('2026-01-12');
    expect(cal2026.nextWorkingDay('2026-01-09')).toBe('2026-01-10');
  });

  it('crosses the year boundary', () => {
    expect(cal2026.addWorkingDays('2025-12-31', 1)).toBe('2026-01-05'); // 1, 2 Jan off, weekend
    expect(cal2026.addWorkingDays('2025-12-29', 5)).toBe('2026-01-07'); // 30, 31 Dec, 5, 6, 7 Jan
    expect(plain.addWorkingDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('nextWorkingDay', () => {
    expect(plain.nextWorkingDay('2026-03-06')).toBe('2026-03-09');
    expect(plain.nextWorkingDay('2026-03-09')).toBe('2026-03-10');
    expect(cal2026.nextWorkingDay('2026-02-14')).toBe('2026-02-23');
  });

  it('countWorkingDaysBetween counts (from, to]', () => {
    expect(plain.countWorkingDaysBetween('2026-03-06', '2026-03-09')).toBe(1);
    expect(plain.countWorkingDaysBetween('2026-03-09', '2026-03-13')).toBe(4);
    expect(plain.countWorkingDaysBetween('2026-03-07', '2026-03-08')).toBe(0);
    expect(cal2026.countWorkingDaysBetween('2026-02-13', '2026-02-23')).toBe(1);
    expect(cal2026.countWorkingDaysBetween('2026-01-08', '2026-01-12')).toBe(3); // Fri 9, Sat 10 (make-up), Mon 12
    expect(cal2026.countWorkingDaysBetween('2025-12-31', '2026-01-05')).toBe(1);
    // 2026: 261 weekdays − 12 weekday holidays + 1 make-up Saturday
    expect(cal2026.countWorkingDaysBetween('2025-12-31', '2026-12-31')).toBe(250);
  });

  it('countWorkingDaysBetween is 0 when to <= from', () => {
    expect(plain.countWorkingDaysBetween('2026-03-10', '2026-03-10')).toBe(0);
    expect(plain.countWorkingDaysBetween('2026-03-10', '2026-03-02')).toBe(0);
  });

  it('rejects bad input', () => {
    expect(() => plain.addWorkingDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => plain.addWorkingDays('2026-03-10', -1)).toThrow(RangeError);
    expect(() => plain.addWorkingDays('2026-03-10', 1.5)).toThrow(RangeError);
    expect(() => plain.isWorkingDay('10/03/2026')).toThrow(RangeError);
    expect(() => new WorkCalendar({ holidays: ['2026-02-30'], workdays: [] })).toThrow(RangeError);
  });

  it('agrees with a day-by-day count, and addWorkingDays inverts countWorkingDaysBetween', () => {
    const day = fc.integer({ min: 0, max: 800 }).map((n) => addDays('2025-06-01', n));
    fc.assert(
      fc.property(
        fc.array(day, { maxLength: 40 }),
        fc.array(day, { maxLength: 15 }),
        day,
        fc.integer({ min: 0, max: 120 }),
        (holidays, workdays, from, span) => {
          const cal = new WorkCalendar({ holidays, workdays });
          const to = addDays(from, span);
          let brute = 0;
          for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (cal.isWorkingDay(d)) brute++;
          expect(cal.countWorkingDaysBetween(from, to)).toBe(brute);
          const due = cal.addWorkingDays(from, span % 30);
          expect(cal.countWorkingDaysBetween(from, due)).toBe(span % 30);
          if (span % 30 > 0) expect(cal.isWorkingDay(due)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('computeDueDate', () => {
  it('is the N-th working day after the receipt date', () => {
    expect(computeDueDate('2026-03-10', 5, plain)).toBe('2026-03-17'); // Tue → next Tue
    expect(computeDueDate('2026-02-12', 3, cal2026)).toBe('2026-02-24'); // Thu: Fri 13, Mon 23, Tue 24
    expect(computeDueDate('2026-03-10', 0, plain)).toBe('2026-03-10');
  });

  it('counts a Sunday receipt from Monday', () => {
    expect(computeDueDate('2026-03-08', 1, plain)).toBe('2026-03-09');
    expect(computeDueDate('2026-03-08', 5, plain)).toBe('2026-03-13');
    expect(computeDueDate('2026-03-07', 5, plain)).toBe('2026-03-13'); // Saturday too
  });

  it('depends on the local receipt date (16:59:59Z vs 17:00:00Z in Vietnam)', () => {
    const before = localDateOf('2026-03-05T16:59:59Z', VN); // Thu 23:59:59 local
    const after = localDateOf('2026-03-05T17:00:00Z', VN); // Fri 00:00:00 local
    expect([before, after]).toEqual(['2026-03-05', '2026-03-06']);
    expect(computeDueDate(before, 1, plain)).toBe('2026-03-06');
    expect(computeDueDate(after, 1, plain)).toBe('2026-03-09');
  });

  it('rejects negative or fractional processing days', () => {
    expect(() => computeDueDate('2026-03-10', -1, plain)).toThrow(RangeError);
    expect(() => computeDueDate('2026-03-10', Number.NaN, plain)).toThrow(RangeError);
  });
});

/**
 * Vietnam's public holidays on fixed solar dates (Bộ luật Lao động 2019, Điều 112): Tết Dương lịch 01/01, Ngày
 * Chiến thắng 30/04, Ngày Quốc tế Lao động 01/05, Quốc khánh 02/09 plus one adjacent day, 01/09 or 03/09, chosen
 * each year. Tết Nguyên đán and Giỗ Tổ Hùng Vương follow the lunar calendar, and days off in lieu and swapped days
 * follow the government's yearly notice: the admin enters those.
 */
export type FixedHolidayKey = 'new_year' | 'victory' | 'labour' | 'national' | 'national_adjacent';

export interface FixedHoliday {
  date: string;
  key: FixedHolidayKey;
}

/** The adjacent day of Quốc khánh: the day before (01/09) or after (03/09). */
export const ADJACENT_DAYS = ['09-01', '09-03'] as const;
export type AdjacentDay = (typeof ADJACENT_DAYS)[number];

/** Month and day of the four fixed dates, in date order. */
export const FIXED_DAYS = ['01-01', '04-30', '05-01', '09-02'] as const;
export type FixedDay = (typeof FIXED_DAYS)[number];

const FIXED: readonly { monthDay: FixedDay; key: FixedHolidayKey }[] = [
  { monthDay: '01-01', key: 'new_year' },
  { monthDay: '04-30', key: 'victory' },
  { monthDay: '05-01', key: 'labour' },
  { monthDay: '09-02', key: 'national' },
];

const yearText = (year: number) => String(year).padStart(4, '0');

/** The four fixed dates of a year, by date. */
export function fixedHolidaysOf(year: number): FixedHoliday[] {
  return FIXED.map(({ monthDay, key }) => ({ date: `${yearText(year)}-${monthDay}`, key }));
}

/** The two candidates for Quốc khánh's adjacent day of a year. */
export function adjacentDaysOf(year: number): FixedHoliday[] {
  return ADJACENT_DAYS.map((md) => ({ date: `${yearText(year)}-${md}`, key: 'national_adjacent' as const }));
}

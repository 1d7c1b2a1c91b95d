import { z } from 'zod';
import { multiValue, optionalEnum, optionalText, requiredEnum, requiredInt, requiredText } from '../../core/http/forms';
import { requiredDate } from '../../core/calendar/date-schema';
import { toDayNumber, weekdayOf } from '../../core/calendar/dates';
import { ADJACENT_DAYS, FIXED_DAYS } from './holidays.model';
import type { HolidayKind } from './holidays.tables';

export const HOLIDAY_KINDS = ['holiday', 'workday'] as const satisfies readonly HolidayKind[];

const holidayFields = {
  date: requiredDate(),
  kind: requiredEnum(HOLIDAY_KINDS),
  name: optionalText(200),
};

/** Adding a date. */
export const HolidayForm = z.object(holidayFields).strict();

/** Editing one: the version read with the form (optimistic locking). */
export const HolidayEditForm = z.object({ ...holidayFields, version: requiredInt(1, Number.MAX_SAFE_INTEGER) }).strict();

export const CancelHolidayForm = z.object({ version: requiredInt(1, Number.MAX_SAFE_INTEGER), reason: requiredText(500) }).strict();

/** A make-up working day is a Saturday or Sunday: weekdays already are working days (a typo otherwise). */
export function isWeekend(date: string): boolean {
  const wd = weekdayOf(toDayNumber(date));
  return wd === 0 || wd === 6;
}

/** The admin's confirmation of a year's fixed public holidays: the dates ticked, and Quốc khánh's adjacent day. */
export const FixedHolidaysForm = z
  .object({
    year: requiredInt(1900, 9999),
    fixed: multiValue(z.enum(FIXED_DAYS, { invalid_type_error: 'validation.invalid_choice' }), FIXED_DAYS.length),
    adjacent: optionalEnum(ADJACENT_DAYS),
  })
  .strict();

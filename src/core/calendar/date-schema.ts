import { z } from 'zod';
import { isIsoDate } from './dates';

/**
 * The one rule for every calendar date a person types or puts in a query string (forms, filters, periods):
 * a real date written YYYY-MM-DD, from 1900-01-01 to 2100-12-31. Within what the database accepts (the
 * nonconformity code years start at 1900, the audit programme and report years end at 2100) and what the
 * calendar code reads (imports take the same years, 1900–2100), so a date that passes here is never refused later
 * with a 500. Messages are i18n keys ('validation.…'), shown next to the field.
 */
export const FIRST_DATE = '1900-01-01';
export const LAST_DATE = '2100-12-31';

export type DateProblem = 'validation.required' | 'validation.invalid_date' | 'validation.date_out_of_range';

/** Why a typed value is not an acceptable date (blank counts as missing), or undefined when it is one. */
export function dateProblem(value: unknown): DateProblem | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return 'validation.required';
  if (!isIsoDate(value)) return 'validation.invalid_date';
  if (value < FIRST_DATE || value > LAST_DATE) return 'validation.date_out_of_range';
  return undefined;
}

/** A real YYYY-MM-DD date within FIRST_DATE…LAST_DATE. */
export function isFormDate(value: unknown): value is string {
  return dateProblem(value) === undefined;
}

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const dateString = () =>
  z
    .string({ required_error: 'validation.required', invalid_type_error: 'validation.invalid_date' })
    .refine((s) => isIsoDate(s), 'validation.invalid_date')
    .refine((s) => !isIsoDate(s) || (s >= FIRST_DATE && s <= LAST_DATE), 'validation.date_out_of_range');

/** `<input type="date">`, required: YYYY-MM-DD that exists, within the range. */
export const requiredDate = () => z.preprocess(blankToUndefined, dateString());

/** `<input type="date">`, optional: empty → undefined; otherwise as requiredDate. */
export const optionalDate = () => z.preprocess(blankToUndefined, dateString().optional());

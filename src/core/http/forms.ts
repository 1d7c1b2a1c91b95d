import { z, type ZodTypeAny } from 'zod';
import { ValidationError, type FieldError } from './errors';

/**
 * Helpers that turn HTML form input into typed values, and parseForm, which validates a body
 * against one `.strict()` schema and throws a ValidationError naming the view to re-render.
 * Messages are i18n keys; the view translates them.
 */

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** Required single-line text, trimmed, at most `max` characters. */
export const requiredText = (max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : v),
    z.string({ required_error: 'validation.required' }).min(1, 'validation.required').max(max, `validation.too_long|${max}`),
  );

/** Optional text: empty → undefined. */
export const optionalText = (max: number) =>
  z.preprocess((v) => blankToUndefined(typeof v === 'string' ? v.trim() : v), z.string().max(max, `validation.too_long|${max}`).optional());

/** Multi-line text keeps its inner line breaks; CRLF becomes LF. */
export const requiredLongText = (max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.replace(/\r\n/g, '\n').trim() : v),
    z.string({ required_error: 'validation.required' }).min(1, 'validation.required').max(max, `validation.too_long|${max}`),
  );
export const optionalLongText = (max: number) =>
  z.preprocess(
    (v) => blankToUndefined(typeof v === 'string' ? v.replace(/\r\n/g, '\n').trim() : v),
    z.string().max(max, `validation.too_long|${max}`).optional(),
  );

/** An HTML checkbox: present → true, absent → false. */
export const checkbox = () => z.preprocess((v) => v === 'on' || v === '1' || v === 'true' || v === true, z.boolean()).default(false);

/** `<input type="date">`: the one date rule of the app (core/calendar/date-schema.ts), re-exported for the forms. */
export { requiredDate, optionalDate } from '../calendar/date-schema';

/** A whole number typed in a form. */
export const requiredInt = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : blankToUndefined(v) === undefined ? undefined : v),
    z
      .number({ required_error: 'validation.required', invalid_type_error: 'validation.integer' })
      .int('validation.integer')
      .min(min, `validation.min|${min}`)
      .max(max, `validation.max|${max}`),
  );
export const optionalInt = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : blankToUndefined(v)),
    z
      .number({ invalid_type_error: 'validation.integer' })
      .int('validation.integer')
      .min(min, `validation.min|${min}`)
      .max(max, `validation.max|${max}`)
      .optional(),
  );

/** An id chosen from a select: positive integer or empty. */
export const optionalId = () => optionalInt(1, Number.MAX_SAFE_INTEGER);
export const requiredId = () => requiredInt(1, Number.MAX_SAFE_INTEGER);

/** One of a fixed set of values. */
export const requiredEnum = <T extends string>(values: readonly [T, ...T[]]) =>
  z.preprocess(blankToUndefined, z.enum(values, { required_error: 'validation.required', invalid_type_error: 'validation.invalid_choice' }));
export const optionalEnum = <T extends string>(values: readonly [T, ...T[]]) =>
  z.preprocess(blankToUndefined, z.enum(values, { invalid_type_error: 'validation.invalid_choice' }).optional());

/** Several values of one field (checkboxes, multi-select). Always an array. */
export const multiValue = <T extends ZodTypeAny>(item: T, max = 500) =>
  z.preprocess(
    (v): unknown[] => (v === undefined || v === '' ? [] : Array.isArray(v) ? (v as unknown[]) : [v]),
    z.array(item).max(max, `validation.too_many|${max}`),
  );

/** Fields the CSRF and method layers use; never part of a record. */
const TRANSPORT_FIELDS = new Set(['_csrf']);

function toFieldError(issue: z.ZodIssue): FieldError {
  if (issue.code === 'unrecognized_keys') return { key: 'validation.unknown_field', params: { fields: issue.keys.join(', ') } };
  if (issue.code === 'invalid_type' && issue.received === 'array') return { key: 'validation.repeated_field' };
  if (issue.code === 'invalid_type' && issue.received === 'undefined') return { key: 'validation.required' };
  if (issue.code === 'invalid_enum_value') return { key: 'validation.invalid_choice' };
  const [key, param] = issue.message.split('|');
  if (key?.startsWith('validation.')) return param === undefined ? { key } : { key, params: { n: param } };
  return { key: 'validation.invalid' };
}

export interface FormView {
  view: string;
  locals?: Record<string, unknown>;
}

export function collectErrors(error: z.ZodError): Record<string, FieldError> {
  const fieldErrors: Record<string, FieldError> = {};
  for (const issue of error.issues) {
    const field = issue.code === 'unrecognized_keys' ? '_form' : String(issue.path[0] ?? '_form');
    fieldErrors[field] ??= toFieldError(issue);
  }
  return fieldErrors;
}

/** Validates `body` against `schema`; on failure throws a ValidationError that re-renders `form.view` with 422. */
export function parseForm<S extends ZodTypeAny>(schema: S, body: unknown, form: FormView): z.output<S> {
  const input: Record<string, unknown> = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) if (!TRANSPORT_FIELDS.has(k)) input[k] = v;
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data as z.output<S>;
  throw new ValidationError(collectErrors(result.error), input, form.view, form.locals);
}

/** Throws a ValidationError for one field, for rules checked after parsing (a code already taken, …). */
export function failField(field: string, key: string, values: Record<string, unknown>, form: FormView, params?: FieldError['params']): never {
  throw new ValidationError({ [field]: params ? { key, params } : { key } }, values, form.view, form.locals);
}

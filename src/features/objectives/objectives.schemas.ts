import { z } from 'zod';
import { optionalId, optionalLongText, optionalText, requiredEnum, requiredId, requiredInt, requiredLongText, requiredText } from '../../core/http/forms';
import { ALL_PERIOD_KEYS } from './objectives.model';
import { COMPARISONS, FREQUENCIES, INDICATORS } from './objectives.tables';

/** The forms of the quality objectives, one `.strict()` schema each (messages are i18n keys). */
const version = () => requiredInt(1, Number.MAX_SAFE_INTEGER);
const password = () => z.string({ required_error: 'validation.required' }).min(1, 'validation.required').max(128, 'validation.too_long|128');

/** A decimal number as typed: "95", "95.5" or "95,5" (the Vietnamese decimal comma), at most two decimals. */
export const decimal = () =>
  z.preprocess(
    (v) => {
      if (typeof v !== 'string') return v;
      const text = v.trim().replace(',', '.');
      if (text === '') return undefined;
      return /^-?\d{1,12}(\.\d{1,2})?$/.test(text) ? Number(text) : v;
    },
    z
      .number({ required_error: 'validation.required', invalid_type_error: 'validation.decimal' })
      .min(0, 'validation.min|0')
      .max(1_000_000_000, 'validation.max|1000000000'),
  );

const longText = () => requiredLongText(2000);

export const objectiveFields = {
  unit_id: optionalId(),
  objective: requiredLongText(1000),
  indicator: requiredEnum(INDICATORS),
  procedure_id: optionalId(),
  comparison: requiredEnum(COMPARISONS),
  target: decimal(),
  unit: optionalText(30),
  frequency: requiredEnum(FREQUENCIES),
  owner_id: requiredId(),
  plan_what: longText(),
  plan_resources: longText(),
  plan_who: longText(),
  plan_when: longText(),
  plan_evaluation: longText(),
};

export const ObjectiveForm = z.object({ year: requiredInt(2000, 2100), ...objectiveFields }).strict();
export const ObjectiveEditForm = z.object({ ...objectiveFields, version: version() }).strict();
export type ObjectiveFormValues = z.output<typeof ObjectiveEditForm>;

/**
 * The rules across fields, as [field, message key] or undefined: a procedure only for the on-time rate, a unit for a
 * manual reading, a computed indicator measured in per cent (at most 100).
 */
export function crossFieldProblem(f: Pick<ObjectiveFormValues, 'indicator' | 'procedure_id' | 'unit' | 'target'>): [string, string] | undefined {
  if (f.procedure_id !== undefined && f.indicator !== 'on_time_rate') return ['procedure_id', 'objectives.procedure_only_on_time'];
  if (f.indicator === 'manual' && f.unit === undefined) return ['unit', 'objectives.unit_required'];
  if (f.indicator !== 'manual' && f.target > 100) return ['target', 'objectives.target_percent'];
  return undefined;
}

export const CancelForm = z.object({ reason: requiredText(500), version: version() }).strict();
export const SubmitForm = z.object({ version: version() }).strict();
export const ReturnForm = z.object({ reason: requiredText(500), version: version() }).strict();
export const ApproveForm = z.object({ password: password(), version: version() }).strict();

/** The reading form (multipart: the evidence file comes as `file`, optional). */
export const ReadingForm = z
  .object({
    period: requiredEnum(ALL_PERIOD_KEYS as [string, ...string[]]),
    value: decimal(),
    note: optionalLongText(2000),
    supersedes_id: optionalId(),
    reason: optionalText(500),
  })
  .strict();

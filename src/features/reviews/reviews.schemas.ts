import { z } from 'zod';
import { multiValue, optionalLongText, optionalText, requiredDate, requiredEnum, requiredId, requiredLongText, requiredText } from '../../core/http/forms';
import { DECISION_KINDS, INPUTS } from './reviews.model';

/** The forms of a management review: the review (its meeting, people, assessments, conclusions), a decision, the signing. */
const idItem = z.coerce.number({ invalid_type_error: 'validation.invalid_choice' }).int('validation.invalid_choice').positive('validation.invalid_choice');

const ASSESSMENT_FIELDS = Object.fromEntries(INPUTS.map((k) => [`assessment_${k}`, optionalLongText(4000)])) as Record<
  `assessment_${(typeof INPUTS)[number]}`,
  ReturnType<typeof optionalLongText>
>;

export const ReviewForm = z
  .object({
    number_text: optionalText(30),
    period_from: requiredDate(),
    period_to: requiredDate(),
    held_on: requiredDate(),
    place: requiredText(200),
    chair_id: requiredId(),
    secretary_id: requiredId(),
    attendee_ids: multiValue(idItem, 200),
    guests: optionalLongText(2000),
    conclusions: optionalLongText(8000),
    ...ASSESSMENT_FIELDS,
  })
  .strict();
export type ReviewFormOutput = z.output<typeof ReviewForm>;

/** The correction of a draft: the same fields, at the version read. */
export const ReviewEditForm = ReviewForm.extend({ version: z.coerce.number().int().positive() }).strict();

export const DecisionForm = z
  .object({
    kind: requiredEnum(DECISION_KINDS),
    description: requiredLongText(2000),
    owner_id: requiredId(),
    due_date: requiredDate(),
  })
  .strict();

export const SignForm = z
  .object({
    password: z.string({ required_error: 'validation.required' }).min(1, 'validation.required').max(128, 'validation.too_long|128'),
    version: z.coerce.number().int().positive(),
  })
  .strict();

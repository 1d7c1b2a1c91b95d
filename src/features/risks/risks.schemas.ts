import { z } from 'zod';
import {
  optionalEnum,
  optionalId,
  optionalLongText,
  optionalText,
  requiredDate,
  requiredEnum,
  requiredId,
  requiredInt,
  requiredLongText,
} from '../../core/http/forms';
import { EFFECTIVENESS, RISK_KINDS, TREATMENTS } from './risks.model';

/** A risk or opportunity as entered or corrected (the procedure or, when none, the process it concerns). */
export const RiskForm = z
  .object({
    kind: requiredEnum(RISK_KINDS),
    procedure_id: optionalId(),
    process: optionalText(200),
    description: requiredLongText(2000),
    cause: optionalLongText(2000),
    consequence: optionalLongText(2000),
    likelihood: requiredInt(1, 5),
    impact: requiredInt(1, 5),
    treatment: optionalEnum(TREATMENTS),
    treatment_note: optionalLongText(2000),
    owner_id: requiredId(),
    identified_on: requiredDate(),
    review_due: requiredDate(),
  })
  .strict();
export type RiskInput = z.output<typeof RiskForm>;

/** The correction of an entry: the same fields, at the version read. */
export const RiskEditForm = RiskForm.extend({ version: z.coerce.number().int().positive() }).strict();

/** A review: the residual likelihood and impact after treatment, the effectiveness of the actions, the next review. */
export const ReviewForm = z
  .object({
    reviewed_on: requiredDate(),
    likelihood: requiredInt(1, 5),
    impact: requiredInt(1, 5),
    effectiveness: requiredEnum(EFFECTIVENESS),
    note: requiredLongText(2000),
    next_review: requiredDate(),
  })
  .strict();
export type ReviewInput = z.output<typeof ReviewForm>;

export const CloseForm = z.object({ version: z.coerce.number().int().positive(), reason: requiredLongText(1000) }).strict();

/** The matrix: one select per cell, `c11` … `c55` (likelihood, impact), each a level 1–4. */
const CELLS: Record<string, ReturnType<typeof requiredInt>> = Object.fromEntries(
  [1, 2, 3, 4, 5].flatMap((l) => [1, 2, 3, 4, 5].map((i) => [`c${l}${i}`, requiredInt(1, 4)])),
);
export const MatrixForm = z.object(CELLS).strict();

/** Back to the default matrix (the form's second button). */
export const ResetMatrixForm = z.object({ reset: z.literal('1') }).strict();

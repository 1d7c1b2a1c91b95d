import { z } from 'zod';
import { optionalId, optionalText, requiredEnum, requiredId, requiredInt, requiredLongText, requiredText } from '../../core/http/forms';
import { requiredDate } from '../../core/calendar/date-schema';
import { isClause } from '../../core/iso/clauses';
import { CAUSE_CATEGORIES, NC_SEVERITIES, NC_SOURCES, VERIFICATION_RESULTS } from './nonconformities.model';

/** One strict schema per form of the nonconformity pages. */
const version = () => requiredInt(1, Number.MAX_SAFE_INTEGER);
const clause = () => optionalText(20).refine((c) => c === undefined || isClause(c), 'validation.clause');

export const TITLE_MAX = 300;
export const TEXT_MAX = 4000;
export const REASON_MAX = 1000;

/** "Báo cáo vấn đề": anyone signed in. */
export const ReportForm = z
  .object({
    title: requiredText(TITLE_MAX),
    description: requiredLongText(TEXT_MAX),
    procedure_id: optionalId(),
    detected_on: requiredDate(),
  })
  .strict();

/** A nonconformity raised or edited by a quality officer. */
export const NcForm = z
  .object({
    title: requiredText(TITLE_MAX),
    description: requiredLongText(TEXT_MAX),
    source: requiredEnum(NC_SOURCES),
    severity: requiredEnum(NC_SEVERITIES),
    procedure_id: optionalId(),
    clause: clause(),
    detected_on: requiredDate(),
    responsible_unit_id: optionalId(),
    responsible_user_id: optionalId(),
    version: requiredInt(1, Number.MAX_SAFE_INTEGER).optional(),
  })
  .strict();

export const AcceptForm = z
  .object({
    version: version(),
    severity: requiredEnum(NC_SEVERITIES),
    responsible_unit_id: optionalId(),
    responsible_user_id: optionalId(),
  })
  .strict();

/** Reject, cancel, reopen: always with a reason. */
export const ReasonForm = z.object({ version: version(), reason: requiredLongText(REASON_MAX) }).strict();

/** A workflow step that needs nothing but the version the page was built from. */
export const StepForm = z.object({ version: version() }).strict();

export const ScheduleForm = z.object({ version: version(), verify_due_on: requiredDate() }).strict();

const WHY_MAX = 1000;
export const AnalysisForm = z
  .object({
    version: version(),
    why_1: optionalText(WHY_MAX),
    answer_1: optionalText(WHY_MAX),
    why_2: optionalText(WHY_MAX),
    answer_2: optionalText(WHY_MAX),
    why_3: optionalText(WHY_MAX),
    answer_3: optionalText(WHY_MAX),
    why_4: optionalText(WHY_MAX),
    answer_4: optionalText(WHY_MAX),
    why_5: optionalText(WHY_MAX),
    answer_5: optionalText(WHY_MAX),
    cause_category: requiredEnum(CAUSE_CATEGORIES),
    root_cause: requiredLongText(TEXT_MAX),
  })
  .strict()
  .superRefine((v, ctx) => {
    for (const i of [1, 2, 3, 4, 5] as const) {
      const why = v[`why_${i}`];
      const answer = v[`answer_${i}`];
      if (why && !answer) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [`answer_${i}`], message: 'validation.required' });
      if (!why && answer) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [`why_${i}`], message: 'validation.required' });
    }
  });

export const CorrectionForm = z.object({ description: requiredLongText(TEXT_MAX), done_by: requiredId(), done_on: requiredDate() }).strict();

export const VerifyForm = z.object({ version: version(), result: requiredEnum(VERIFICATION_RESULTS), note: requiredLongText(TEXT_MAX) }).strict();

export type NcFormValues = z.output<typeof NcForm>;
export type AnalysisValues = z.output<typeof AnalysisForm>;

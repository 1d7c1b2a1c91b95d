import { z } from 'zod';
import { optionalId, optionalLongText, requiredInt, requiredLongText, requiredText } from '../../core/http/forms';
import { isClause } from '../../core/iso/clauses';

/** The forms of the audit question library, one strict schema each. */
const clause = () =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : v),
    z.string({ required_error: 'validation.required' }).min(1, 'validation.required').max(10).refine(isClause, 'validation.clause'),
  );

const questionFields = {
  clause: clause(),
  procedure_id: optionalId(),
  text_vi: requiredLongText(1000),
  text_en: optionalLongText(1000),
};

export const QuestionForm = z.object(questionFields).strict();
export const QuestionEditForm = z.object({ ...questionFields, reason: requiredText(500), version: requiredInt(1, Number.MAX_SAFE_INTEGER) }).strict();

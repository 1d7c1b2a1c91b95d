import { z } from 'zod';
import { optionalEnum, optionalLongText, requiredInt } from '../../core/http/forms';
import { ITEM_RESULTS } from './audits.tables';

/**
 * One answer of the one-page checklist: the result, the evidence noted and the finding's statement, with the item's
 * version. The question, clause and procedure are not part of it: they stay as the checklist has them.
 */
export const FillAnswerForm = z
  .object({
    result: optionalEnum(ITEM_RESULTS),
    evidence: optionalLongText(4000),
    statement: optionalLongText(4000),
    version: requiredInt(1, Number.MAX_SAFE_INTEGER),
  })
  .strict();
export type FillAnswer = z.output<typeof FillAnswerForm>;

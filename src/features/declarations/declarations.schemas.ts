import { z } from 'zod';
import { optionalLongText, requiredDate, requiredText } from '../../core/http/forms';

/** The declaration form (multipart: the decision's file comes as `file`, optional). */
export const DeclarationForm = z
  .object({
    decision_no: requiredText(50),
    decided_on: requiredDate(),
    signer_name: requiredText(200),
    signer_title: requiredText(200),
    note: optionalLongText(4000),
  })
  .strict();

export const CancelForm = z.object({ reason: requiredText(500) }).strict();

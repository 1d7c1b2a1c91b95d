import { z } from 'zod';
import { requiredDate, requiredLongText, requiredText } from '../../core/http/forms';

/** The apology slip form of one dossier. */
export const SlipForm = z
  .object({
    slip_no: requiredText(50),
    issued_on: requiredDate(),
    reason: requiredLongText(2000),
    new_due_on: requiredDate(),
    signer_name: requiredText(200),
    signer_title: requiredText(200),
  })
  .strict();

export const CancelForm = z.object({ cancel_reason: requiredText(500) }).strict();

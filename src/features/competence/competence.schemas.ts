import { z } from 'zod';
import { isClause } from '../../core/iso/clauses';
import { optionalDate, optionalInt, optionalText, requiredDate, requiredEnum, requiredId, requiredInt, requiredText } from '../../core/http/forms';
import { TRAINING_KINDS } from './competence.tables';

/** The forms of competence: a training record, its cancellation, a grant of a clause and its revocation. */
const fields = {
  user_id: requiredId(),
  kind: requiredEnum(TRAINING_KINDS),
  title: requiredText(300),
  held_on: requiredDate(),
  issuer: optionalText(300),
  hours: optionalInt(0, 1000),
  certificate_no: optionalText(100),
  expires_on: optionalDate(),
};

export const TrainingForm = z.object(fields).strict();
export const TrainingEditForm = z.object({ ...fields, version: requiredInt(1, Number.MAX_SAFE_INTEGER) }).strict();

export const CancelForm = z.object({ cancel_reason: requiredText(500), version: requiredInt(1, Number.MAX_SAFE_INTEGER) }).strict();

export const GrantForm = z
  .object({
    user_id: requiredId(),
    clause: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined),
      z.string({ required_error: 'validation.required' }).refine(isClause, 'validation.invalid_choice'),
    ),
    granted_on: requiredDate(),
  })
  .strict();

export const RevokeForm = z.object({ revoke_reason: requiredText(500) }).strict();

/** The certificate's upload: the file alone (and the token). */
export const CertificateForm = z.object({}).strict();

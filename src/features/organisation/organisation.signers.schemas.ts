import { z } from 'zod';
import { optionalId, optionalText, requiredEnum, requiredInt, requiredText } from '../../core/http/forms';
import { SIGNING_WAYS } from './organisation.print';

/**
 * An authorised signer: the linked user (optional; prefills the name and position), the name and position as printed,
 * and the way of signing. The position is required except for the head (who prints the head's title).
 */
const signerFields = {
  user_id: optionalId(),
  full_name: optionalText(100),
  position_title: optionalText(200),
  way: requiredEnum(SIGNING_WAYS),
};
export const SignerForm = z.object(signerFields).strict();

/** Correcting a signer: the same fields with the version read. */
export const EditSignerForm = z.object({ ...signerFields, version: requiredInt(1, Number.MAX_SAFE_INTEGER) }).strict();

/** Deactivating a signer: the reason is required (a signer is never deleted). */
export const DeactivateSignerForm = z
  .object({
    deactivate_reason: requiredText(500),
    version: requiredInt(1, Number.MAX_SAFE_INTEGER),
  })
  .strict();

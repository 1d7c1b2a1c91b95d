import { z } from 'zod';
import { requiredInt, requiredText } from '../../core/http/forms';

export const CODE_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._/-]*$/u;
export const codeField = (max: number) => requiredText(max).refine((v) => CODE_PATTERN.test(v), 'validation.code_format');

export const UnitForm = z
  .object({
    code: codeField(20),
    name: requiredText(200),
    version: requiredInt(1, Number.MAX_SAFE_INTEGER).optional(),
  })
  .strict();

export const UnitStatusForm = z
  .object({ version: requiredInt(1, Number.MAX_SAFE_INTEGER), reason: requiredText(500) })
  .strict();

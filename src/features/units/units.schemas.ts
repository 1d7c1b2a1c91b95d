import { z } from 'zod';
import { requiredInt, requiredText } from '../../core/http/forms';

export const CODE_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._/-]*$/u;
export const codeField = (max: number) => requiredText(max).refine((v) => CODE_PATTERN.test(v), 'validation.code_format');

const unitFields = { code: codeField(20), name: requiredText(200) };

/** Creating takes no version (an extra field is refused); editing needs the version the form was loaded with. */
export const UnitForm = z.object(unitFields).strict();
export const UnitEditForm = z.object({ ...unitFields, version: requiredInt(1, Number.MAX_SAFE_INTEGER) }).strict();

export const UnitStatusForm = z.object({ version: requiredInt(1, Number.MAX_SAFE_INTEGER), reason: requiredText(500) }).strict();

import { z } from 'zod';
import { optionalDate, optionalEnum, optionalId, optionalInt, optionalText, requiredEnum, requiredInt, requiredText } from '../../core/http/forms';
import { codeField } from '../units/units.schemas';

export const ONLINE_LEVELS = ['full', 'partial', 'none'] as const;
export const PROCEDURE_KINDS = ['administrative', 'internal'] as const;

const procedureFields = {
  code: codeField(40),
  title: requiredText(500),
  field: optionalText(200),
  national_code: optionalText(40),
  processing_days: optionalInt(0, 365),
  online_level: requiredEnum(ONLINE_LEVELS),
  unit_id: optionalId(),
  on_time_target: optionalInt(0, 100),
  kind: optionalEnum(PROCEDURE_KINDS),
};

/** Creating takes no version (an extra field is refused); editing needs the version the form was loaded with. */
export const ProcedureForm = z.object(procedureFields).strict();
/** terms_from: when the processing days or online level change, the date the change takes effect (default today). */
export const ProcedureEditForm = z.object({ ...procedureFields, terms_from: optionalDate(), version: requiredInt(1, Number.MAX_SAFE_INTEGER) }).strict();

export const RetireForm = z.object({ version: requiredInt(1, Number.MAX_SAFE_INTEGER), reason: requiredText(500) }).strict();

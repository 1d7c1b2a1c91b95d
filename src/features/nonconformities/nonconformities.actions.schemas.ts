import { z } from 'zod';
import { optionalId, requiredEnum, requiredId, requiredInt, requiredLongText } from '../../core/http/forms';
import { requiredDate } from '../../core/calendar/date-schema';
import { ACTION_KINDS, ACTION_TYPES } from './nonconformities.actions.model';

/** One strict schema per action form. */
const version = () => requiredInt(1, Number.MAX_SAFE_INTEGER);
export const DESCRIPTION_MAX = 2000;
export const NOTE_MAX = 2000;

export const NewActionForm = z
  .object({
    type: requiredEnum(ACTION_TYPES),
    kind: requiredEnum(ACTION_KINDS),
    document_id: optionalId(),
    description: requiredLongText(DESCRIPTION_MAX),
    owner_id: requiredId(),
    due_date: requiredDate(),
  })
  .strict();

export const EditActionForm = z
  .object({ version: version(), description: requiredLongText(DESCRIPTION_MAX), owner_id: requiredId(), due_date: requiredDate() })
  .strict();

export const ActionStepForm = z.object({ version: version() }).strict();
export const NoteForm = z.object({ note: requiredLongText(NOTE_MAX) }).strict();
export const CompleteForm = z.object({ version: version(), completion_note: requiredLongText(NOTE_MAX) }).strict();
export const CancelActionForm = z.object({ version: version(), reason: requiredLongText(1000) }).strict();
/** The evidence upload: the file only (the CSRF token travels in the query string). */
export const UploadForm = z.object({}).strict();

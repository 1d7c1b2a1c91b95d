import { z } from 'zod';
import {
  checkbox,
  multiValue,
  optionalId,
  optionalLongText,
  optionalText,
  requiredEnum,
  requiredId,
  requiredInt,
  requiredLongText,
  requiredText,
} from '../../core/http/forms';
import { optionalDate } from '../../core/calendar/date-schema';
import { codeField } from '../units/units.schemas';
import { ACK_SCOPES, DOCUMENT_TYPES } from './documents.tables';

/** One strict schema per form of the documents feature. */
const version = () => requiredInt(1, Number.MAX_SAFE_INTEGER);
export const BODY_MAX = 200_000;
const password = () => z.string({ required_error: 'validation.required' }).min(1, 'validation.required').max(128, 'validation.too_long|128');

export const DocumentForm = z
  .object({
    code: codeField(60),
    title: requiredText(500),
    type: requiredEnum(DOCUMENT_TYPES),
    procedure_id: optionalId(),
    owner_unit_id: optionalId(),
    review_interval_months: requiredInt(1, 60),
    retention: optionalText(100),
    ack_scope: requiredEnum(ACK_SCOPES),
    ack_unit_ids: multiValue(requiredId(), 100),
  })
  .strict();
export type DocumentFormValues = z.output<typeof DocumentForm>;
/** Editing sends back the version it was read at (a create form has none: extra fields are refused). */
export const DocumentEditForm = DocumentForm.extend({ version: version() });

/** A draft's text. `change_summary` is required from revision 2 on (checked in the service and by the database). */
export const RevisionForm = z
  .object({
    body: optionalLongText(BODY_MAX),
    change_summary: optionalLongText(2000),
  })
  .strict();
/** `keep_word`: the summary form of a draft written in Word, which keeps its content and changes only the summary. */
export const RevisionEditForm = RevisionForm.extend({ version: version(), keep_word: checkbox() });

/** A new draft read from a Word file (multipart: the file itself is checked by the route). */
export const WordRevisionForm = z.object({ word_summary: optionalLongText(2000) }).strict();
/** A draft's content replaced by a Word file. */
export const WordReplaceForm = z.object({ version: version() }).strict();

export const VersionForm = z.object({ version: version() }).strict();

/** The forms of the revision page have distinct field names, so an error shows next to the right form. */
export const CancelForm = z.object({ version: version(), cancel_reason: requiredText(500) }).strict();

export const WithdrawForm = z.object({ version: version(), withdraw_reason: requiredText(500) }).strict();

export const ReturnForm = z.object({ version: version(), return_comment: requiredLongText(2000) }).strict();

export const ReviewSignForm = z.object({ version: version(), review_comment: optionalLongText(2000), review_password: password() }).strict();

export const ApproveForm = z.object({ version: version(), effective_from: optionalDate(), approve_password: password() }).strict();

export const PeriodicReviewForm = z.object({ revision_id: requiredId(), periodic_comment: optionalLongText(2000), periodic_password: password() }).strict();

export const AcknowledgeForm = z.object({}).strict();

/** A controlled copy issued to a holder, and its withdrawal (documents.copies.routes.ts). */
export const CopyForm = z.object({ holder: requiredText(200) }).strict();
export const CopyWithdrawForm = z.object({ copy_reason: requiredText(500) }).strict();

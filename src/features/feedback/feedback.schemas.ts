import { z } from 'zod';
import { optionalDate, optionalId, optionalText, requiredDate, requiredEnum, requiredInt, requiredLongText, requiredText } from '../../core/http/forms';
import { FEEDBACK_CHANNELS, FEEDBACK_KINDS } from './feedback.tables';

/** The record's form (new and edit); the deadline left empty is computed from the organisation's answer days. */
export const FeedbackForm = z
  .object({
    channel: requiredEnum(FEEDBACK_CHANNELS),
    kind: requiredEnum(FEEDBACK_KINDS),
    sender_name: optionalText(200),
    sender_contact: optionalText(200),
    content: requiredLongText(4000),
    procedure_id: optionalId(),
    dossier_code: optionalText(100),
    unit_id: optionalId(),
    received_on: requiredDate(),
    answer_due_on: optionalDate(),
    assignee_id: optionalId(),
  })
  .strict();

export const AssignForm = z.object({ assignee_id: optionalId() }).strict();

export const AnswerForm = z.object({ answer: requiredLongText(4000), answered_on: requiredDate() }).strict();

export const CancelForm = z.object({ cancel_reason: requiredText(500) }).strict();

export const SettingsForm = z.object({ feedback_answer_days: requiredInt(1, 90) }).strict();

/** The steps without fields (close, raise as a nonconformity): still no unknown field. */
export const StepForm = z.object({}).strict();

import { z } from 'zod';
import { checkbox, optionalEnum, optionalLongText, optionalText, requiredEnum, requiredInt, requiredLongText, requiredText } from '../../core/http/forms';
import { COMMENT_MAX, DOSSIER_CODE_MAX } from './surveys.model';
import { SURVEY_CRITERIA } from './surveys.tables';

/** The honeypot field of the public form: hidden from people, filled in by bots. */
export const HONEYPOT = 'website';

/** The field of a question's score on the public form. */
export const scoreField = (questionId: number) => `q${questionId}`;

/**
 * The public survey form for the questions of the active set: each score an optional 1–5 (no other field is accepted),
 * the optional dossier code and comment, the honeypot. (At least one score or a comment: checked by the route.)
 */
export function answerForm(questionIds: readonly number[]) {
  const scores = Object.fromEntries(questionIds.map((id) => [scoreField(id), optionalEnum(['1', '2', '3', '4', '5'])]));
  return z
    .object({
      ...scores,
      dossier_code: optionalText(DOSSIER_CODE_MAX),
      comment: optionalLongText(COMMENT_MAX),
      [HONEYPOT]: z.unknown().optional(),
    })
    .strict();
}

export const QuestionForm = z
  .object({
    criterion: requiredEnum(SURVEY_CRITERIA),
    text_vi: requiredLongText(500),
    text_en: requiredLongText(500),
  })
  .strict();

export const MoveForm = z.object({ direction: requiredEnum(['up', 'down'] as const) }).strict();

export const ActivateForm = z.object({ confirm: checkbox() }).strict();

export const SettingsForm = z
  .object({
    survey_low_score: requiredInt(0, 4),
    survey_comment_feedback: requiredEnum(['0', '1'] as const),
  })
  .strict();

export const DiscardForm = z.object({ discard_reason: requiredText(500), back: optionalText(500) }).strict();

/** The forms that send nothing but their CSRF token (create the default set, a new version, remove a question). */
export const EmptyForm = z.object({}).strict();

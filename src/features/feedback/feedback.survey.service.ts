import type { Db } from '../../core/db/database';
import { scopedDb } from '../../core/db/scope';
import { translate } from '../../core/i18n';
import { record } from '../../core/audit-log/audit-log';
import type { SurveyDiscardInput, SurveyFeedbackInput } from '../surveys/surveys.hooks';
import { findFeedbackOfResponse, updateFeedback } from './feedback.queries';
import { createFeedbackIn } from './feedback.service';

/**
 * The content of the record a survey answer opens, in the organisation's language (Vietnamese): the citizen's comment,
 * then each low score as its question and score ("Thái độ của công chức: 1/5").
 */
export function surveyContent(input: Pick<SurveyFeedbackInput, 'comment' | 'lowScores'>): string {
  const lines: string[] = [];
  const comment = input.comment?.trim();
  if (comment) lines.push(translate('vi', 'feedback.survey.comment', { comment }));
  if (input.lowScores.length > 0) {
    lines.push(translate('vi', 'feedback.survey.low_scores'));
    for (const s of [...input.lowScores].sort((a, b) => a.seq - b.seq)) lines.push(`- ${s.textVi}: ${s.score}/5`);
  }
  return lines.join('\n');
}

/**
 * surveyFeedbackHooks' handler (wired in src/features/hooks.ts): an answer with a low score or a comment opens a
 * feedback record for triage, in the transaction that stores the answer — channel 'survey', kind feedback, the
 * answer's procedure, unit and dossier code, received the day it was answered, unassigned, tied to the answer (one
 * record per answer), with its audit-log entry. The public page has no signed-in user: the actor is none.
 */
export async function openFeedbackFromSurvey(trx: Db, input: SurveyFeedbackInput): Promise<void> {
  if (!input.comment?.trim() && input.lowScores.length === 0) return;
  const db = scopedDb(trx, input.organisationId);
  await createFeedbackIn(
    db,
    {
      channel: 'survey',
      kind: 'feedback',
      senderName: null,
      senderContact: null,
      content: surveyContent(input),
      procedureId: input.procedureId,
      dossierCode: input.dossierCode,
      unitId: input.unitId,
      receivedOn: input.answeredOn,
      answerDueOn: null,
    },
    { surveyResponseId: input.responseId },
    null,
    input.at,
  );
}

/**
 * surveyDiscardHooks' handler (wired in src/features/hooks.ts): an answer discarded as spam cancels the record it
 * opened, in the same transaction, with the discarding's reason — while the record is open and not raised as an NC.
 * A record already answered, closed or raised stays as it is: someone has worked on it.
 */
export async function cancelFeedbackOfDiscarded(trx: Db, input: SurveyDiscardInput): Promise<void> {
  const db = scopedDb(trx, input.organisationId);
  const f = await findFeedbackOfResponse(db, input.responseId);
  if (!f || f.status !== 'open' || f.outcome !== null) return;
  const reason = translate('vi', 'feedback.survey.discarded', { reason: input.reason });
  const set = { status: 'cancelled' as const, cancel_reason: reason, cancelled_at: input.at.toISOString(), cancelled_by: input.actorId };
  if (!(await updateFeedback(db, f.id, { ...set, updated_at: input.at.toISOString() }, ['open']))) return;
  await record(db, { userId: input.actorId, action: 'cancel', entity: 'feedback', entityId: f.id, old: { status: 'open' }, new: set, reason }, input.at);
}

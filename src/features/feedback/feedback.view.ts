import type { z } from 'zod';
import type { Db } from '../../core/db/database';
import { failField, type FormView } from '../../core/http/forms';
import { translate, type Lang } from '../../core/i18n';
import type { SessionUser } from '../../core/http/session.queries';
import { listProcedureOptions } from '../procedures/procedures.queries';
import { listUnitOptions } from '../units/units.queries';
import { canAnswer, isQuality, LIVE_STATUSES, statusBadge } from './feedback.model';
import {
  findAnswerDays,
  findFeedbackOfNc,
  findOwnProcedure,
  isAssignable,
  isOwnActiveUnit,
  listAssignees,
  listSurveyScores,
  type FeedbackRow,
} from './feedback.queries';
import type { FeedbackForm } from './feedback.schemas';
import type { FeedbackDetails } from './feedback.service';
import { FEEDBACK_CHANNELS, FEEDBACK_KINDS } from './feedback.tables';

/** The choices of the record's forms. */
export async function formOptions(db: Db, unitId?: number | null) {
  const [procedures, units, people, answerDays] = await Promise.all([
    listProcedureOptions(db),
    listUnitOptions(db, unitId),
    listAssignees(db),
    findAnswerDays(db),
  ]);
  return {
    answerDays,
    procedureOptions: procedures.map((p) => ({ value: p.id, label: `${p.code} — ${p.title}` })),
    unitOptions: units,
    assigneeOptions: people.map((u) => ({ value: u.id, label: u.full_name })),
    channelOptions: FEEDBACK_CHANNELS.map((value) => ({ value, label: `feedback.channel.${value}` })),
    kindOptions: FEEDBACK_KINDS.map((value) => ({ value, label: `feedback.kind.${value}` })),
  };
}

type Form = z.output<typeof FeedbackForm>;

/**
 * The rules a parsed form must still meet, each answered next to its field with 422: not received after today, the
 * deadline not before the receipt, a procedure and a unit of the organisation (a unit active unless already stored),
 * someone of the organisation who may answer.
 */
export async function checkDetails(db: Db, form: Form, today: string, values: Record<string, unknown>, view: FormView, storedUnit?: number | null) {
  if (form.received_on > today) failField('received_on', 'feedback.error.future', values, view);
  if (form.answer_due_on !== undefined && form.answer_due_on < form.received_on) failField('answer_due_on', 'feedback.error.due_before_received', values, view);
  if (form.procedure_id !== undefined && !(await findOwnProcedure(db, form.procedure_id))) failField('procedure_id', 'validation.invalid_choice', values, view);
  if (form.unit_id !== undefined && form.unit_id !== storedUnit && !(await isOwnActiveUnit(db, form.unit_id)))
    failField('unit_id', 'validation.invalid_choice', values, view);
  if (form.assignee_id !== undefined && !(await isAssignable(db, form.assignee_id))) failField('assignee_id', 'validation.invalid_choice', values, view);
}

export function detailsOf(form: Form): FeedbackDetails {
  return {
    channel: form.channel,
    kind: form.kind,
    senderName: form.sender_name ?? null,
    senderContact: form.sender_contact ?? null,
    content: form.content,
    procedureId: form.procedure_id ?? null,
    dossierCode: form.dossier_code ?? null,
    unitId: form.unit_id ?? null,
    receivedOn: form.received_on,
    answerDueOn: form.answer_due_on ?? null,
  };
}

/** What a record's page shows, and which steps the signed-in user gets. */
export async function recordLocals(db: Db, f: FeedbackRow, user: SessionUser, today: string) {
  const quality = isQuality(user);
  const live = LIVE_STATUSES.includes(f.status);
  const can = {
    edit: quality && live,
    assign: quality && live,
    answer: canAnswer(user, f),
    close: quality && f.status === 'answered',
    raise: quality && live && f.outcome === null,
    cancel: quality && live && f.outcome === null,
  };
  return {
    pageTitle: 'feedback.title_one',
    f,
    statusClass: statusBadge(f.status),
    overdue: f.status === 'open' && f.answer_due_on < today,
    scores: f.survey_response_id === null ? [] : await listSurveyScores(db, f.survey_response_id),
    assigneeOptions: can.assign ? (await formOptions(db)).assigneeOptions : [],
    can,
    anyStep: Object.values(can).some(Boolean),
    values: { answer: f.answer ?? '', answered_on: f.answered_on ?? today, assignee_id: f.assignee_id ?? '' },
    errors: {},
  };
}

/** ncOriginHooks' handler (wired in src/features/hooks.ts): the NC page's "Nguồn: phản ánh PA-…" linking back. */
export async function feedbackOriginOfNc(db: Db, ncId: number, lang: Lang): Promise<{ label: string; href: string }[]> {
  const f = await findFeedbackOfNc(db, ncId);
  return f ? [{ label: translate(lang, 'feedback.nc_origin', { code: f.code }), href: `/feedback/${f.id}` }] : [];
}

import type { AppContext } from '../../core/context';
import type { Db } from '../../core/db/database';
import { record } from '../../core/audit-log/audit-log';
import { computeDueDate } from '../../core/calendar';
import { Conflict, NotFound } from '../../core/http/errors';
import { loadWorkCalendar } from '../holidays/holidays.calendar';
import { findAnswerDays, findDossierIdByCode, findFeedback, findOwnProcedure, insertFeedback, takeNextSeq, updateFeedback } from './feedback.queries';
import type { FeedbackChannel, FeedbackKind, FeedbackStatus } from './feedback.tables';

/**
 * The feedback register's changes, each in one transaction with its audit-log entry: record, correct (before closing),
 * assign, answer, close, cancel with a reason. Raising one as a nonconformity: feedback.nc.service.ts.
 */
export interface FeedbackDetails {
  channel: FeedbackChannel;
  kind: FeedbackKind;
  senderName: string | null;
  senderContact: string | null;
  content: string;
  procedureId: number | null;
  dossierCode: string | null;
  /** null: the procedure's unit. */
  unitId: number | null;
  receivedOn: string;
  /** null: the organisation's answer days, in working days after receipt. */
  answerDueOn: string | null;
}

export const codeOf = (year: number, seq: number) => `PA-${year}-${String(seq).padStart(3, '0')}`;

/** The default deadline to answer: the organisation's answer days, as working days after the day received. */
export async function defaultAnswerDue(db: Db, receivedOn: string): Promise<string> {
  return computeDueDate(receivedOn, await findAnswerDays(db), await loadWorkCalendar(db));
}

/** The stored columns of the details: the unit defaults to the procedure's, the dossier is found by its code. */
async function columnsOf(db: Db, d: FeedbackDetails) {
  const procedure = d.procedureId === null ? undefined : await findOwnProcedure(db, d.procedureId);
  return {
    channel: d.channel,
    kind: d.kind,
    sender_name: d.senderName,
    sender_contact: d.senderContact,
    content: d.content,
    procedure_id: d.procedureId,
    dossier_code: d.dossierCode,
    dossier_id: d.dossierCode === null ? null : await findDossierIdByCode(db, d.dossierCode),
    unit_id: d.unitId ?? procedure?.unit_id ?? null,
    received_on: d.receivedOn,
    answer_due_on: d.answerDueOn ?? (await defaultAnswerDue(db, d.receivedOn)),
  };
}

/** Records a piece of feedback inside the caller's transaction (the routes, the survey's hook, the demo). */
export async function createFeedbackIn(
  trx: Db,
  d: FeedbackDetails,
  extra: { assigneeId?: number | null; surveyResponseId?: number | null },
  actorId: number | null,
  at: Date,
): Promise<{ id: number; code: string }> {
  const year = Number(d.receivedOn.slice(0, 4));
  const code = codeOf(year, await takeNextSeq(trx, year));
  const values = { code, ...(await columnsOf(trx, d)), assignee_id: extra.assigneeId ?? null, survey_response_id: extra.surveyResponseId ?? null };
  const stamp = at.toISOString();
  const id = await insertFeedback(trx, { ...values, created_by: actorId, created_at: stamp, updated_at: stamp });
  await record(trx, { userId: actorId, action: 'create', entity: 'feedback', entityId: id, new: values }, at);
  return { id, code };
}

export function createFeedback(ctx: AppContext, d: FeedbackDetails, assigneeId: number | null, actorId: number): Promise<{ id: number; code: string }> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute((trx) => createFeedbackIn(trx, d, { assigneeId }, actorId, at));
}

const LIVE: readonly FeedbackStatus[] = ['open', 'answered'];

async function change(
  ctx: AppContext,
  id: number,
  from: readonly FeedbackStatus[],
  actorId: number,
  work: (
    trx: Db,
    before: NonNullable<Awaited<ReturnType<typeof findFeedback>>>,
    at: Date,
  ) => Promise<{ action: string; set: Record<string, unknown>; reason?: string }>,
): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await findFeedback(trx, id);
    if (!before) throw new NotFound();
    if (!from.includes(before.status)) throw new Conflict('feedback.error.not_now');
    const { action, set, reason } = await work(trx, before, at);
    if (!(await updateFeedback(trx, id, { ...set, updated_at: at.toISOString() }, from))) throw new Conflict('feedback.error.not_now');
    const old = Object.fromEntries(Object.keys(set).map((k) => [k, (before as Record<string, unknown>)[k]]));
    await record(trx, { userId: actorId, action, entity: 'feedback', entityId: id, old, new: set, reason: reason ?? null }, at);
  });
}

/** Corrects the details of a record not yet closed (the code stays). */
export function editFeedback(ctx: AppContext, id: number, d: FeedbackDetails, actorId: number): Promise<void> {
  return change(ctx, id, LIVE, actorId, async (trx) => ({ action: 'update', set: await columnsOf(trx, d) }));
}

export function assignFeedback(ctx: AppContext, id: number, assigneeId: number | null, actorId: number): Promise<void> {
  return change(ctx, id, LIVE, actorId, async () => ({ action: 'assign', set: { assignee_id: assigneeId } }));
}

/** Records the answer given to the sender (or corrects it before closing). */
export function answerFeedback(ctx: AppContext, id: number, answer: string, answeredOn: string, actorId: number): Promise<void> {
  return change(ctx, id, LIVE, actorId, async () => ({
    action: 'answer',
    set: { answer, answered_on: answeredOn, answered_by: actorId, status: 'answered' },
  }));
}

/** Closes an answered record: its outcome is 'closed', or stays 'nonconformity' when it was raised as one. */
export function closeFeedback(ctx: AppContext, id: number, actorId: number): Promise<void> {
  return change(ctx, id, ['answered'], actorId, async (_trx, before, at) => ({
    action: 'close',
    set: { status: 'closed', outcome: before.outcome ?? 'closed', closed_at: at.toISOString(), closed_by: actorId },
  }));
}

/** Cancels a record entered by mistake (a duplicate, not feedback at all), with the reason; never one raised as an NC. */
export function cancelFeedback(ctx: AppContext, id: number, reason: string, actorId: number): Promise<void> {
  return change(ctx, id, LIVE, actorId, async (_trx, before, at) => {
    if (before.outcome !== null) throw new Conflict('feedback.error.raised_not_cancelled');
    return { action: 'cancel', set: { status: 'cancelled', cancel_reason: reason, cancelled_at: at.toISOString(), cancelled_by: actorId }, reason };
  });
}

import type { AppContext } from '../../core/context';
import type { Db } from '../../core/db/database';
import { record } from '../../core/audit-log/audit-log';
import { isIsoDate } from '../../core/calendar';
import { BadRequest, Conflict, NotFound } from '../../core/http/errors';
import type { StoredFile } from '../../core/files';
import type { RevisionEffectiveEvent } from '../documents/documents.workflow';
import { findNonconformity } from './nonconformities.queries';
import { advanceWhenActionsFinished, localToday } from './nonconformities.workflow';
import type { NcStatus } from './nonconformities.model';
import { isOpenAction, type ActionKind, type ActionType } from './nonconformities.actions.model';
import {
  insertDueChange,
  findAction,
  findActiveUser,
  isActiveDocument,
  insertAction,
  insertActionFile,
  insertActionNote,
  listOpenActionsOfNc,
  listOpenReviseActionsForDocument,
  updateAction,
  type ActionRow,
} from './nonconformities.actions.queries';

/**
 * The life of an action: planned → in progress → done, or cancelled with a reason. Finishing the last open
 * action of an NC in progress moves the NC to "awaiting verification" (nonconformities.workflow.ts). An action
 * belongs to a nonconformity, to a risk or opportunity (its treatment, clause 6.1: src/features/risks) or to a
 * decision of a management review (clause 9.3.3: src/features/reviews).
 */
export type ActionSource =
  | { kind: 'nonconformity'; id: number }
  /** A risk of the organisation, open, found by the risks feature before it calls (it checks its own rules). */
  | { kind: 'risk'; id: number; code: string }
  /** A decision of a draft management review of the organisation, just written by the reviews feature (the review's code). */
  | { kind: 'review_decision'; id: number; code: string };

type SourceColumns = { nonconformity_id: number | null; risk_id: number | null; review_decision_id: number | null };

export interface NewAction {
  source: ActionSource;
  type: ActionType;
  kind?: ActionKind;
  documentId?: number | null;
  description: string;
  ownerId: number;
  dueDate: string;
}

/** Where actions may be added: corrections at any stage before verification; the rest once the plan is being made. */
export function canAddAction(ncStatus: NcStatus, type: ActionType): boolean {
  if (type === 'correction') return ['reported', 'open', 'analysed', 'action_plan', 'in_progress'].includes(ncStatus);
  return ncStatus === 'action_plan' || ncStatus === 'in_progress';
}

export class UnknownDocument extends Error {}
export class UnknownOwner extends Error {}

/** The source's columns and its code for the audit entry; an NC is checked here (found, and at a stage that takes the type). */
async function sourceOf(trx: Db, input: NewAction): Promise<{ columns: SourceColumns; code: object }> {
  if (input.source.kind === 'risk')
    return { columns: { nonconformity_id: null, risk_id: input.source.id, review_decision_id: null }, code: { risk_code: input.source.code } };
  if (input.source.kind === 'review_decision')
    return { columns: { nonconformity_id: null, risk_id: null, review_decision_id: input.source.id }, code: { review_code: input.source.code } };
  const nc = await findNonconformity(trx, input.source.id);
  if (!nc) throw new NotFound();
  if (!canAddAction(nc.status, input.type)) throw new Conflict('actions.error.cannot_add', { status: nc.status });
  return { columns: { nonconformity_id: nc.id, risk_id: null, review_decision_id: null }, code: { nc_code: nc.code } };
}

/** Adds an action inside the caller's transaction (audits, dossiers and risks call this too). */
export async function createActionIn(trx: Db, input: NewAction, actorId: number | null, at: Date): Promise<number> {
  const source = await sourceOf(trx, input);
  if (!isIsoDate(input.dueDate)) throw new BadRequest('actions.error.due_date');
  const kind = input.kind ?? 'general';
  const documentId = kind === 'revise_document' ? (input.documentId ?? null) : null;
  if (kind === 'revise_document') {
    // An active document of the organisation (another organisation's id is unknown here).
    if (documentId === null || !(await isActiveDocument(trx, documentId))) throw new UnknownDocument();
  }
  if (!(await findActiveUser(trx, input.ownerId))) throw new UnknownOwner();
  const values = {
    ...source.columns,
    type: input.type,
    kind,
    document_id: documentId,
    description: input.description,
    owner_id: input.ownerId,
    due_date: input.dueDate,
    created_by: actorId,
  };
  const id = await insertAction(trx, values, at.toISOString());
  await record(trx, { userId: actorId, action: 'create', entity: 'nc_action', entityId: id, new: { ...values, ...source.code } }, at);
  return id;
}

/** Moves an NC on when an action of it finished was its last open one (a risk's actions are judged at its review). */
async function afterFinish(trx: Db, a: Pick<ActionRow, 'nonconformity_id'>, actorId: number | null, at: Date): Promise<void> {
  if (a.nonconformity_id !== null) await advanceWhenActionsFinished(trx, a.nonconformity_id, actorId, at);
}

export async function createAction(ctx: AppContext, input: NewAction, actorId: number): Promise<number> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute((trx) => createActionIn(trx, input, actorId, at));
}

async function loadOpen(trx: Db, id: number, version: number | null): Promise<ActionRow> {
  const action = await findAction(trx, id);
  if (!action) throw new NotFound();
  if (version !== null && action.version !== version) throw new Conflict('error.edit_conflict');
  if (!isOpenAction(action.status)) throw new Conflict('actions.error.not_open', { status: action.status });
  return action;
}

async function change(
  trx: Db,
  a: ActionRow,
  changes: Parameters<typeof updateAction>[2],
  audit: { action: string; actorId: number | null; reason?: string | null; old?: unknown },
  at: Date,
) {
  if (!(await updateAction(trx, a.id, changes, a.version, at.toISOString()))) throw new Conflict('error.edit_conflict');
  await record(
    trx,
    {
      userId: audit.actorId,
      action: audit.action,
      entity: 'nc_action',
      entityId: a.id,
      old: audit.old ?? { status: a.status },
      new: changes,
      reason: audit.reason ?? null,
    },
    at,
  );
}

export async function editAction(
  ctx: AppContext,
  id: number,
  version: number,
  d: { description: string; ownerId: number; dueDate: string },
  actorId: number,
): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const a = await loadOpen(trx, id, version);
    if (!(await findActiveUser(trx, d.ownerId))) throw new UnknownOwner();
    const changes = { description: d.description, owner_id: d.ownerId, due_date: d.dueDate };
    await change(trx, a, changes, { action: 'update', actorId, old: { description: a.description, owner_id: a.owner_id, due_date: a.due_date } }, at);
    // The due date it had stays readable: a report of a past period reads the due date then in force.
    if (d.dueDate !== a.due_date)
      await insertDueChange(trx, {
        action_id: a.id,
        due_before: a.due_date,
        due_after: d.dueDate,
        changed_on: await localToday(trx, at),
        changed_at: at.toISOString(),
        changed_by: actorId,
      });
  });
}

export async function startAction(ctx: AppContext, id: number, version: number, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const a = await loadOpen(trx, id, version);
    if (a.status !== 'planned') throw new Conflict('actions.error.not_open', { status: a.status });
    await change(trx, a, { status: 'in_progress', started_on: await localToday(trx, at) }, { action: 'start', actorId }, at);
  });
}

export async function addProgressNote(ctx: AppContext, id: number, note: string, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const a = await loadOpen(trx, id, null);
    const noteId = await insertActionNote(trx, { action_id: a.id, note, author_id: actorId, at: at.toISOString() });
    await record(trx, { userId: actorId, action: 'add_note', entity: 'nc_action', entityId: a.id, new: { id: noteId, note } }, at);
  });
}

/** Marks an action done with its completion note. "Revise document" actions complete only through a new effective revision. */
export async function completeAction(ctx: AppContext, id: number, version: number, note: string, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const a = await loadOpen(trx, id, version);
    if (a.kind === 'revise_document') throw new Conflict('actions.error.revise_document_manual');
    const today = await localToday(trx, at);
    await change(trx, a, { status: 'done', completed_on: today, completed_by: actorId, completion_note: note }, { action: 'complete', actorId }, at);
    await afterFinish(trx, a, actorId, at);
  });
}

export async function cancelAction(ctx: AppContext, id: number, version: number, reason: string, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const a = await loadOpen(trx, id, version);
    const today = await localToday(trx, at);
    await change(trx, a, { status: 'cancelled', cancelled_on: today, cancel_reason: reason }, { action: 'cancel', actorId, reason }, at);
    await afterFinish(trx, a, actorId, at);
  });
}

/** When the NC is cancelled, its open actions are cancelled with the same reason. */
export async function cancelOpenActionsOfNc(trx: Db, ncId: number, reason: string, actorId: number | null, at: Date, today: string): Promise<void> {
  for (const a of await listOpenActionsOfNc(trx, ncId)) {
    await change(trx, a, { status: 'cancelled', cancelled_on: today, cancel_reason: reason }, { action: 'cancel', actorId, reason }, at);
  }
}

/**
 * Added to documents' revisionEffectiveHooks in src/features/hooks.ts: when a revision of a document becomes
 * effective, every open "revise document" action on that document is completed, recording the revision that
 * fixed it; an NC whose last action this was moves on to "awaiting verification". Runs inside the documents
 * feature's transaction.
 */
export async function completeReviseDocumentActions(trx: Db, event: RevisionEffectiveEvent): Promise<void> {
  const actions = await listOpenReviseActionsForDocument(trx, event.documentId);
  const ncs = new Set<number>();
  for (const a of actions) {
    await completeByRevision(trx, a, { id: event.revisionId, no: event.revisionNo }, event.actorId, event.at);
    if (a.nonconformity_id !== null) ncs.add(a.nonconformity_id);
  }
  for (const ncId of ncs) await advanceWhenActionsFinished(trx, ncId, event.actorId, event.at);
}

/** Completes a "revise document" action when a new revision of its document becomes effective. */
export async function completeByRevision(trx: Db, a: ActionRow, revision: { id: number; no: number }, actorId: number | null, at: Date): Promise<void> {
  const today = await localToday(trx, at);
  await change(
    trx,
    a,
    { status: 'done', completed_on: today, completed_by: actorId, fixed_by_revision_id: revision.id, fixed_by_revision_no: revision.no },
    { action: 'complete_by_revision', actorId },
    at,
  );
}

/** Whether an action's source still takes evidence: an NC before it is closed, an open risk, a review's decision (always). */
export function sourceActive(a: Pick<ActionRow, 'nc_status' | 'risk_status' | 'review_decision_id'>): boolean {
  if (a.review_decision_id !== null) return true;
  if (a.risk_status !== null) return a.risk_status === 'open';
  return a.nc_status !== null && ['reported', 'open', 'analysed', 'action_plan', 'in_progress', 'awaiting_verification'].includes(a.nc_status);
}

/** Records an evidence file (already stored by core/files, outside the transaction) on an action. */
export async function attachEvidence(ctx: AppContext, id: number, file: StoredFile, actorId: number): Promise<number> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const a = await findAction(trx, id);
    if (!a) throw new NotFound();
    if (a.status === 'cancelled' || !sourceActive(a)) throw new Conflict('actions.error.no_evidence_now');
    const row = {
      action_id: id,
      sha256: file.sha256,
      file_name: file.originalName,
      mime_type: file.mime,
      size_bytes: file.size,
      uploaded_by: actorId,
      uploaded_at: at.toISOString(),
    };
    const fileId = await insertActionFile(trx, row);
    await record(
      trx,
      {
        userId: actorId,
        action: 'attach_file',
        entity: 'nc_action',
        entityId: id,
        new: { id: fileId, sha256: file.sha256, file_name: file.originalName, size: file.size },
      },
      at,
    );
    return fileId;
  });
}

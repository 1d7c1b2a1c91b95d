import type { AppContext } from '../../core/context';
import type { Db } from '../../core/db/database';
import { record } from '../../core/audit-log/audit-log';
import { todayLocal } from '../../core/calendar';
import type { StoredFile } from '../../core/files';
import { Conflict, Forbidden, HttpError, NotFound } from '../../core/http/errors';
import { QUALITY, allows, type Role } from '../../core/http/roles';
import { findOrganisation } from '../organisation/organisation.queries';
import {
  findDocument,
  findDocumentByCode,
  insertDocument,
  listAckUnitIds,
  replaceAckUnits,
  updateDocument,
  updateDocumentWithdrawn,
  type DocumentRow,
  type DocumentValues,
} from './documents.queries';
import {
  findEffectiveRevision,
  findLastReviewDate,
  findRevision,
  findRevisionInProgress,
  insertReviewDueChange,
  insertRevision,
  nextRevisionNo,
  updateRevisionIf,
  type RevisionRow,
} from './documents.revisions.queries';
import { unknownReference } from './documents.refs.queries';
import { deleteSearchEntry, updateSearchHeading } from './documents.search.queries';
import { activateDocumentIfDue } from './documents.activation';
import { addMonthsIso } from './documents.text';
import { createHash } from 'node:crypto';

/** Documents and drafts: every write in one transaction with its audit entry. Workflow steps are in documents.workflow.ts. */
export class DocumentCodeTaken extends Error {}
/** A form's procedure or unit id that is not one of the organisation's (shown next to that field, 422). */
export class UnknownReference extends Error {
  constructor(readonly field: 'procedure_id' | 'owner_unit_id' | 'ack_unit_ids') {
    super(field);
  }
}

/** Refuses ids of another organisation's (or no) procedure or unit before they are stored. */
async function checkReferences(db: Db, values: DocumentValues, ackUnitIds: number[]): Promise<void> {
  const field = await unknownReference(db, { ...values, ack_unit_ids: values.ack_scope === 'units' ? ackUnitIds : [] });
  if (field) throw new UnknownReference(field);
}
/** A rule of the workflow that the request breaks (shown as a 422 page with the message). */
export class RuleBroken extends HttpError {
  constructor(messageKey: string) {
    super(422, messageKey);
  }
}

export interface Actor {
  id: number;
  role: Role;
}

/** Today's date in the organisation's time zone. */
export async function todayFor(ctx: AppContext): Promise<string> {
  const org = await findOrganisation(ctx.db);
  return todayLocal(ctx.clock.now(), org?.time_zone ?? ctx.config.timeZone);
}

/** Whether this person may change this draft: its author, or a quality officer / admin. */
export function canEditDraft(rev: Pick<RevisionRow, 'author_id'>, actor: Actor): boolean {
  return rev.author_id === actor.id || allows(QUALITY, actor.role);
}

const valuesOf = (d: DocumentRow): DocumentValues => ({
  code: d.code,
  title: d.title,
  type: d.type,
  procedure_id: d.procedure_id,
  owner_unit_id: d.owner_unit_id,
  review_interval_months: d.review_interval_months,
  retention: d.retention,
  ack_scope: d.ack_scope,
});

const digest = (text: string) => ({ sha256: createHash('sha256').update(text).digest('hex'), length: text.length });

export async function loadDocument(db: Db, id: number): Promise<DocumentRow> {
  const doc = await findDocument(db, id);
  if (!doc) throw new NotFound();
  return doc;
}

export async function loadRevision(db: Db, documentId: number, revisionId: number): Promise<RevisionRow> {
  const rev = await findRevision(db, documentId, revisionId);
  if (!rev) throw new NotFound();
  return rev;
}

export async function createDocument(ctx: AppContext, values: DocumentValues, ackUnitIds: number[], actorId: number | null): Promise<number> {
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    if (await findDocumentByCode(trx, values.code)) throw new DocumentCodeTaken();
    await checkReferences(trx, values, ackUnitIds);
    const id = await insertDocument(trx, values, at.toISOString());
    const units = values.ack_scope === 'units' ? ackUnitIds : [];
    await replaceAckUnits(trx, id, units);
    await record(trx, { userId: actorId, action: 'create', entity: 'document', entityId: id, new: { ...values, ack_unit_ids: units } }, at);
    return id;
  });
}

export async function editDocument(ctx: AppContext, id: number, values: DocumentValues, ackUnitIds: number[], version: number, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  const today = await todayFor(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    const before = await loadDocument(trx, id);
    if (before.status !== 'active') throw new Conflict('documents.error.withdrawn');
    const other = await findDocumentByCode(trx, values.code);
    if (other && other.id !== id) throw new DocumentCodeTaken();
    await checkReferences(trx, values, ackUnitIds);
    const unitsBefore = await listAckUnitIds(trx, id);
    if (!(await updateDocument(trx, id, values, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    const units = values.ack_scope === 'units' ? ackUnitIds : [];
    await replaceAckUnits(trx, id, units);
    await updateSearchHeading(trx, id, values.code, values.title);
    await activateDocumentIfDue(trx, id, today, at);
    const effective = await findEffectiveRevision(trx, id);
    if (effective?.effective_from && values.review_interval_months !== before.review_interval_months) {
      const base = (await findLastReviewDate(trx, effective.id)) ?? effective.effective_from;
      const due = addMonthsIso(base, values.review_interval_months);
      await updateRevisionIf(trx, effective.id, { from: 'effective' }, { next_review_due: due }, at.toISOString());
      // The date it had stays readable for the reports of past periods (reports.summary.queries.ts).
      const change = { document_id: id, revision_id: effective.id, due_before: effective.next_review_due, due_after: due };
      await insertReviewDueChange(trx, { ...change, changed_on: today, changed_at: at.toISOString(), changed_by: actorId });
    }
    await record(
      trx,
      {
        userId: actorId,
        action: 'update',
        entity: 'document',
        entityId: id,
        old: { ...valuesOf(before), ack_unit_ids: unitsBefore },
        new: { ...values, ack_unit_ids: units },
      },
      at,
    );
  });
}

/** Hết hiệu lực: the whole document is withdrawn; its effective revision is withdrawn, a revision in progress cancelled. */
export async function withdrawDocument(ctx: AppContext, id: number, version: number, reason: string, actorId: number): Promise<void> {
  const at = ctx.clock.now();
  const today = await todayFor(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    const doc = await loadDocument(trx, id);
    if (doc.status !== 'active') throw new Conflict('documents.error.withdrawn');
    // The revision in force is the one withdrawn: its transition is recorded first when its date has come.
    await activateDocumentIfDue(trx, id, today, at);
    if (!(await updateDocumentWithdrawn(trx, id, reason, today, version, at.toISOString()))) throw new Conflict('error.edit_conflict');
    const effective = await findEffectiveRevision(trx, id);
    if (effective) {
      await updateRevisionIf(trx, effective.id, { from: 'effective' }, { status: 'withdrawn', superseded_on: today, closed_reason: reason }, at.toISOString());
      await record(
        trx,
        {
          userId: actorId,
          action: 'withdraw',
          entity: 'document_revision',
          entityId: effective.id,
          old: { status: 'effective' },
          new: { status: 'withdrawn', superseded_on: today },
          reason,
        },
        at,
      );
    }
    const progress = await findRevisionInProgress(trx, id);
    if (progress) {
      await updateRevisionIf(trx, progress.id, { from: ['draft', 'in_review', 'approved'] }, { status: 'cancelled', closed_reason: reason }, at.toISOString());
      await record(
        trx,
        {
          userId: actorId,
          action: 'cancel',
          entity: 'document_revision',
          entityId: progress.id,
          old: { status: progress.status },
          new: { status: 'cancelled' },
          reason,
        },
        at,
      );
    }
    await deleteSearchEntry(trx, id);
    await record(
      trx,
      {
        userId: actorId,
        action: 'withdraw',
        entity: 'document',
        entityId: id,
        old: { status: 'active' },
        new: { status: 'withdrawn', withdrawn_on: today },
        reason,
      },
      at,
    );
  });
}

/**
 * A draft's content: its body (Markdown typed in the form, or the sanitised HTML read from a Word file) and, for a
 * Word revision, the original file (stored before the call, kept by the same transaction: keepUpload).
 */
export interface DraftContent {
  body: string;
  change_summary: string | null;
  word?: { sha256: string; name: string } | null;
}

const sourceColumns = (word: DraftContent['word']) =>
  word
    ? { source: 'docx' as const, source_sha256: word.sha256, source_name: word.name }
    : { source: 'markdown' as const, source_sha256: null, source_name: null };

/** A new draft, starting from the effective revision's text and file. At most one revision in progress. */
export async function createRevision(ctx: AppContext, documentId: number, input: DraftContent, actor: Actor): Promise<number> {
  const at = ctx.clock.now();
  const today = await todayFor(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const doc = await loadDocument(trx, documentId);
    if (doc.status !== 'active') throw new Conflict('documents.error.withdrawn');
    // An approved revision whose date has come is in force, no longer in progress: recorded first, a new draft may start.
    await activateDocumentIfDue(trx, documentId, today, at);
    if (await findRevisionInProgress(trx, documentId)) throw new Conflict('documents.error.in_progress_exists');
    const revisionNo = await nextRevisionNo(trx, documentId);
    if (revisionNo > 1 && !input.change_summary) throw new RuleBroken('documents.error.summary_required');
    const effective = await findEffectiveRevision(trx, documentId);
    const id = await insertRevision(
      trx,
      {
        document_id: documentId,
        revision_no: revisionNo,
        body: input.body,
        change_summary: input.change_summary,
        author_id: actor.id,
        file_sha256: effective?.file_sha256 ?? null,
        file_name: effective?.file_name ?? null,
        ...sourceColumns(input.word),
      },
      at.toISOString(),
    );
    await record(
      trx,
      {
        userId: actor.id,
        action: 'create',
        entity: 'document_revision',
        entityId: id,
        new: { document_id: documentId, revision_no: revisionNo, change_summary: input.change_summary, body: digest(input.body), ...sourceColumns(input.word) },
      },
      at,
    );
    return id;
  });
}

async function loadDraftForEdit(trx: Db, documentId: number, revisionId: number, actor: Actor): Promise<RevisionRow> {
  const rev = await loadRevision(trx, documentId, revisionId);
  if (rev.status !== 'draft') throw new Conflict('documents.error.not_draft');
  if (!canEditDraft(rev, actor)) throw new Forbidden('documents.error.not_your_draft');
  return rev;
}

export async function editDraft(ctx: AppContext, documentId: number, revisionId: number, input: DraftContent, version: number, actor: Actor): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const rev = await loadDraftForEdit(trx, documentId, revisionId, actor);
    if (rev.revision_no > 1 && !input.change_summary) throw new RuleBroken('documents.error.summary_required');
    const changes = { body: input.body, change_summary: input.change_summary, ...sourceColumns(input.word) };
    if (!(await updateRevisionIf(trx, rev.id, { from: 'draft', version }, changes, at.toISOString()))) {
      throw new Conflict('error.edit_conflict');
    }
    await record(
      trx,
      {
        userId: actor.id,
        action: 'update',
        entity: 'document_revision',
        entityId: rev.id,
        old: { change_summary: rev.change_summary, body: digest(rev.body), source: rev.source, source_sha256: rev.source_sha256, source_name: rev.source_name },
        new: { change_summary: input.change_summary, body: digest(input.body), ...sourceColumns(input.word) },
      },
      at,
    );
  });
}

/** Attaches (or, with `file` null, removes) the draft's file. Store the file BEFORE calling this. */
export async function setDraftFile(
  ctx: AppContext,
  documentId: number,
  revisionId: number,
  file: StoredFile | null,
  version: number,
  actor: Actor,
): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const rev = await loadDraftForEdit(trx, documentId, revisionId, actor);
    const changes = { file_sha256: file?.sha256 ?? null, file_name: file?.originalName ?? null };
    if (!(await updateRevisionIf(trx, rev.id, { from: 'draft', version }, changes, at.toISOString()))) throw new Conflict('error.edit_conflict');
    await record(
      trx,
      {
        userId: actor.id,
        action: file ? 'attach_file' : 'remove_file',
        entity: 'document_revision',
        entityId: rev.id,
        old: { file_sha256: rev.file_sha256, file_name: rev.file_name },
        new: changes,
      },
      at,
    );
  });
}

/** Dự thảo → Đang xem xét. A revision needs a body or a file. */
export async function submitRevision(ctx: AppContext, documentId: number, revisionId: number, version: number, actor: Actor): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const rev = await loadDraftForEdit(trx, documentId, revisionId, actor);
    if (rev.body.trim() === '' && !rev.file_sha256) throw new RuleBroken('documents.error.empty_revision');
    const ok = await updateRevisionIf(
      trx,
      rev.id,
      { from: 'draft', version },
      { status: 'in_review', submitted_at: at.toISOString(), review_comment: null },
      at.toISOString(),
    );
    if (!ok) throw new Conflict('error.edit_conflict');
    await record(
      trx,
      { userId: actor.id, action: 'submit', entity: 'document_revision', entityId: rev.id, old: { status: 'draft' }, new: { status: 'in_review' } },
      at,
    );
  });
}

/** A revision in progress (draft, in review or approved but not yet effective) is abandoned, with a reason. */
export async function cancelRevision(ctx: AppContext, documentId: number, revisionId: number, version: number, reason: string, actor: Actor): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const rev = await loadRevision(trx, documentId, revisionId);
    if (!['draft', 'in_review', 'approved'].includes(rev.status)) throw new Conflict('documents.error.wrong_status');
    const ok = await updateRevisionIf(trx, rev.id, { from: rev.status, version }, { status: 'cancelled', closed_reason: reason }, at.toISOString());
    if (!ok) throw new Conflict('error.edit_conflict');
    await record(
      trx,
      { userId: actor.id, action: 'cancel', entity: 'document_revision', entityId: rev.id, old: { status: rev.status }, new: { status: 'cancelled' }, reason },
      at,
    );
  });
}

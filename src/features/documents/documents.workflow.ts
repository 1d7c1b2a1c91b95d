import type { AppContext } from '../../core/context';
import { record } from '../../core/audit-log/audit-log';
import { Conflict, Forbidden } from '../../core/http/errors';
import { contentHash, sign, type Signer } from '../../core/security/signatures';
import { findRevisionSigners, type RevisionSigners } from '../organisation/organisation.queries';
import { findEffectiveRevision, listRevisions, updateRevisionIf, type RevisionRow } from './documents.revisions.queries';
import { activateDocumentIfDue, makeEffective, REVISION_ENTITY } from './documents.activation';
import { insertAcknowledgement, insertReview } from './documents.acks.queries';
import { addMonthsIso } from './documents.text';
import { loadDocument, loadRevision, RuleBroken, todayFor, type Actor } from './documents.service';
import { revisionInForce } from './documents.inforce.queries';

/**
 * The signed steps of the workflow (review, approve), taking effect, periodic review and acknowledgement.
 * Passwords are checked with `checkSigner` BEFORE these run (scrypt is slow); the signature is written
 * here, in the transaction of the change, so a refused step leaves no signature behind.
 */
export {
  REVISION_ENTITY,
  activateDueRevisions,
  activateDocumentIfDue,
  revisionEffectiveHooks,
  runRevisionEffectiveHooks,
  type RevisionEffectiveEvent,
  type RevisionEffectiveHook,
} from './documents.activation';

/** What a signature on a revision covers: its body and its file, and the Word file it was read from when it has one. */
export const revisionHash = (rev: Pick<RevisionRow, 'body' | 'file_sha256' | 'source_sha256'>) =>
  rev.source_sha256 ? contentHash(rev.body, rev.file_sha256, rev.source_sha256) : contentHash(rev.body, rev.file_sha256);

/**
 * Separation of duties: who may not sign a step of a revision. The author never reviews nor approves their own
 * revision; under the organisation's rule of 3 (the default) the reviewer does not approve it either, under the rule
 * of 2 (a very small office) they may. Returns the i18n key of the refusal, or undefined when the person may sign.
 */
export function dutiesProblem(
  rev: Pick<RevisionRow, 'author_id' | 'reviewer_id'>,
  userId: number,
  step: 'review' | 'approve',
  rule: RevisionSigners,
): string | undefined {
  if (rev.author_id === userId) return step === 'review' ? 'documents.error.own_review' : 'documents.error.own_approval';
  if (step === 'approve' && rule === 3 && rev.reviewer_id === userId) return 'documents.error.reviewer_approval';
  return undefined;
}

/** Xem xét: the reviewer — anyone managing documents but the author — signs; the revision stays in review until a leader approves it. */
export async function reviewRevision(
  ctx: AppContext,
  documentId: number,
  revisionId: number,
  input: { version: number; comment: string | null },
  signer: Signer,
): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const rev = await loadRevision(trx, documentId, revisionId);
    const refused = dutiesProblem(rev, signer.userId, 'review', await findRevisionSigners(trx));
    if (refused) throw new Forbidden(refused);
    if (rev.status !== 'in_review' || rev.reviewed_at) throw new Conflict('documents.error.wrong_status');
    const ok = await updateRevisionIf(
      trx,
      rev.id,
      { from: 'in_review', version: input.version, extra: 'not_reviewed' },
      { reviewer_id: signer.userId, reviewed_at: at.toISOString(), review_comment: input.comment },
      at.toISOString(),
    );
    if (!ok) throw new Conflict('error.edit_conflict');
    await sign(trx, signer, { entity: REVISION_ENTITY, entityId: rev.id, meaning: 'reviewed', contentSha256: revisionHash(rev) }, at);
    await record(
      trx,
      { userId: signer.userId, action: 'review', entity: REVISION_ENTITY, entityId: rev.id, new: { reviewed: true, comment: input.comment } },
      at,
    );
  });
}

/** The reviewer (or approver) sends the revision back to draft with a comment; its review is undone. */
export async function returnToDraft(
  ctx: AppContext,
  documentId: number,
  revisionId: number,
  input: { version: number; comment: string },
  actor: Actor,
): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const rev = await loadRevision(trx, documentId, revisionId);
    if (rev.status !== 'in_review') throw new Conflict('documents.error.wrong_status');
    const ok = await updateRevisionIf(
      trx,
      rev.id,
      { from: 'in_review', version: input.version },
      { status: 'draft', review_comment: input.comment, reviewer_id: null, reviewed_at: null, submitted_at: null },
      at.toISOString(),
    );
    if (!ok) throw new Conflict('error.edit_conflict');
    await record(
      trx,
      {
        userId: actor.id,
        action: 'return',
        entity: REVISION_ENTITY,
        entityId: rev.id,
        old: { status: 'in_review' },
        new: { status: 'draft' },
        reason: input.comment,
      },
      at,
    );
  });
}

/**
 * Phê duyệt: a leader other than the author (and, under the rule of 3, other than the reviewer) signs; the rule
 * in force is recorded on the revision. It takes effect at once when its effective date is today, otherwise on
 * that date (activateDueRevisions).
 */
export async function approveRevision(
  ctx: AppContext,
  documentId: number,
  revisionId: number,
  input: { version: number; effectiveFrom: string | undefined },
  signer: Signer,
): Promise<'effective' | 'approved'> {
  const at = ctx.clock.now();
  const today = await todayFor(ctx);
  const effectiveFrom = input.effectiveFrom ?? today;
  if (effectiveFrom < today) throw new RuleBroken('documents.error.effective_in_past');
  return ctx.db.transaction().execute(async (trx) => {
    const doc = await loadDocument(trx, documentId);
    const rev = await loadRevision(trx, documentId, revisionId);
    const rule = await findRevisionSigners(trx);
    const refused = dutiesProblem(rev, signer.userId, 'approve', rule);
    if (refused) throw new Forbidden(refused);
    if (doc.status !== 'active' || rev.status !== 'in_review') throw new Conflict('documents.error.wrong_status');
    if (!rev.reviewed_at) throw new Conflict('documents.error.not_reviewed');
    const ok = await updateRevisionIf(
      trx,
      rev.id,
      { from: 'in_review', version: input.version, extra: 'reviewed' },
      { status: 'approved', signers_rule: rule, approver_id: signer.userId, approved_at: at.toISOString(), effective_from: effectiveFrom },
      at.toISOString(),
    );
    if (!ok) throw new Conflict('error.edit_conflict');
    await sign(trx, signer, { entity: REVISION_ENTITY, entityId: rev.id, meaning: 'approved', contentSha256: revisionHash(rev) }, at);
    await record(
      trx,
      {
        userId: signer.userId,
        action: 'approve',
        entity: REVISION_ENTITY,
        entityId: rev.id,
        old: { status: 'in_review' },
        new: { status: 'approved', effective_from: effectiveFrom, signers_rule: rule },
      },
      at,
    );
    if (effectiveFrom > today) return 'approved';
    await makeEffective(trx, doc, { ...rev, effective_from: effectiveFrom }, signer.userId, at);
    return 'effective';
  });
}

/** Xem xét định kỳ — "reviewed, no change needed": signed, and the next due date moves on by the interval. */
export async function recordPeriodicReview(
  ctx: AppContext,
  documentId: number,
  input: { revisionId: number; comment: string | null },
  signer: Signer,
): Promise<string> {
  const at = ctx.clock.now();
  const today = await todayFor(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const doc = await loadDocument(trx, documentId);
    // The revision in force: its transition is recorded first when its date has come and the timer has not run.
    await activateDocumentIfDue(trx, documentId, today, at);
    const rev = await findEffectiveRevision(trx, documentId);
    if (doc.status !== 'active' || !rev) throw new Conflict('documents.error.wrong_status');
    if (rev.id !== input.revisionId) throw new Conflict('error.edit_conflict');
    const next = addMonthsIso(today, doc.review_interval_months);
    const signatureId = await sign(
      trx,
      signer,
      { entity: REVISION_ENTITY, entityId: rev.id, meaning: 'periodic_review', contentSha256: revisionHash(rev) },
      at,
    );
    const reviewId = await insertReview(
      trx,
      {
        document_id: doc.id,
        revision_id: rev.id,
        reviewed_on: today,
        comment: input.comment,
        reviewer_id: signer.userId,
        previous_due: rev.next_review_due,
        next_review_due: next,
        signature_id: signatureId,
      },
      at.toISOString(),
    );
    await updateRevisionIf(trx, rev.id, { from: 'effective' }, { next_review_due: next }, at.toISOString());
    await record(
      trx,
      {
        userId: signer.userId,
        action: 'periodic_review',
        entity: 'document',
        entityId: doc.id,
        old: { next_review_due: rev.next_review_due },
        new: { review: reviewId, outcome: 'no_change', next_review_due: next, comment: input.comment },
      },
      at,
    );
    return next;
  });
}

/**
 * Đã đọc và xác nhận: the person confirms reading the revision in force today (by its date, whether or not its
 * transition is recorded yet; the acknowledgement is of that revision). Repeating it changes nothing.
 */
export async function acknowledgeRevision(ctx: AppContext, documentId: number, revisionId: number, userId: number): Promise<boolean> {
  const at = ctx.clock.now();
  const today = await todayFor(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const doc = await loadDocument(trx, documentId);
    const rev = await loadRevision(trx, documentId, revisionId);
    const current = revisionInForce(await listRevisions(trx, documentId), today);
    if (doc.status !== 'active' || current?.id !== rev.id) throw new Conflict('documents.error.not_effective');
    const inserted = await insertAcknowledgement(trx, { revision_id: rev.id, document_id: doc.id, user_id: userId, acknowledged_at: at.toISOString() });
    if (inserted)
      await record(
        trx,
        { userId, action: 'acknowledge', entity: REVISION_ENTITY, entityId: rev.id, new: { document_id: doc.id, revision_no: rev.revision_no } },
        at,
      );
    return inserted;
  });
}

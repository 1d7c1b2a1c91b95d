import type { AppContext } from '../../core/context';
import { record } from '../../core/audit-log/audit-log';
import { Conflict, NotFound } from '../../core/http/errors';
import { findCopyById, insertCopy, nextCopyNo, updateCopyWithdrawn } from './documents.copies.queries';
import { findEffectiveRevision } from './documents.revisions.queries';
import { activateDocumentIfDue } from './documents.activation';
import { loadDocument, todayFor, type Actor } from './documents.service';

/**
 * Controlled copies (bản kiểm soát, ISO 9001:2015 7.5.3): a quality officer issues a numbered paper copy of the
 * revision in force to a holder, and withdraws it with a reason when it is replaced or lost. Each change commits with
 * its audit-log entry. Two issued at the same moment cannot take the same number: the unique number makes the later
 * one try again.
 */
const COPY_ENTITY = 'document_controlled_copy';

const isUniqueViolation = (err: unknown) => {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT_UNIQUE'));
};

/** Issues the next copy of the document's effective revision to `holder`; returns its number. */
export async function issueCopy(ctx: AppContext, documentId: number, holder: string, actor: Actor): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await issueOnce(ctx, documentId, holder, actor);
    } catch (err) {
      if (attempt >= 3 || !isUniqueViolation(err)) throw err;
    }
  }
}

async function issueOnce(ctx: AppContext, documentId: number, holder: string, actor: Actor): Promise<number> {
  const at = ctx.clock.now();
  const today = await todayFor(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const doc = await loadDocument(trx, documentId);
    if (doc.status !== 'active') throw new Conflict('documents.error.withdrawn');
    // A copy is of the revision in force: its transition is recorded first when its date has come.
    await activateDocumentIfDue(trx, documentId, today, at);
    const rev = await findEffectiveRevision(trx, documentId);
    if (!rev) throw new Conflict('documents.copies.error.no_effective');
    const copyNo = await nextCopyNo(trx, documentId);
    const id = await insertCopy(trx, {
      document_id: documentId,
      revision_id: rev.id,
      copy_no: copyNo,
      holder,
      issued_by: actor.id,
      issued_at: at.toISOString(),
    });
    await record(
      trx,
      {
        userId: actor.id,
        action: 'issue',
        entity: COPY_ENTITY,
        entityId: id,
        new: { document_id: documentId, revision_no: rev.revision_no, copy_no: copyNo, holder },
      },
      at,
    );
    return copyNo;
  });
}

/** Withdraws a copy with a reason (409 when it was withdrawn already). */
export async function withdrawCopy(ctx: AppContext, documentId: number, copyId: number, reason: string, actor: Actor): Promise<void> {
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const copy = await findCopyById(trx, documentId, copyId);
    if (!copy) throw new NotFound();
    const ok = await updateCopyWithdrawn(trx, copy.id, { withdrawn_at: at.toISOString(), withdrawn_by: actor.id, withdrawn_reason: reason });
    if (!ok) throw new Conflict('documents.copies.error.already_withdrawn');
    await record(
      trx,
      {
        userId: actor.id,
        action: 'withdraw',
        entity: COPY_ENTITY,
        entityId: copy.id,
        old: { withdrawn: false },
        new: { withdrawn: true, copy_no: copy.copy_no },
        reason,
      },
      at,
    );
  });
}

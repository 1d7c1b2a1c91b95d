import type { Db } from '../../core/db/database';
import type { RevisionEffectiveEvent } from '../documents/documents.workflow';
import { advanceWhenActionsFinished } from '../nonconformities/nonconformities.workflow';
import { listOpenReviseActionsForDocument } from './actions.queries';
import { completeByRevision } from './actions.service';

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
    ncs.add(a.nonconformity_id);
  }
  for (const ncId of ncs) await advanceWhenActionsFinished(trx, ncId, event.actorId, event.at);
}

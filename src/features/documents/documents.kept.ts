import type { AppContext } from '../../core/context';
import { cachedUntilChange } from '../../core/db/change-cache';
import { listSignatures, type SignatureRow } from '../../core/security/signatures.queries';
import { findAcknowledgement, findLastAcknowledged, isConcerned } from './documents.acks.queries';
import { findDocument, type DocumentRow } from './documents.queries';
import { listRevisions, type RevisionRow } from './documents.revisions.queries';
import { REVISION_ENTITY } from './documents.workflow';

/**
 * What a document page reads on every view, kept until the data changes (cachedUntilChange): a document, its
 * revisions, their signatures and each person's acknowledgements change only with an audit entry, and whether a
 * person is concerned follows audited edits too (the document's scope, the person's unit or status). Revisions carry
 * their text, so their bin is the smallest. Values are shared: callers copy before they change anything.
 */
const DOCUMENT_BIN = { name: 'document-pages', maxEntries: 128 };
const REVISIONS_BIN = { name: 'document-revisions', maxEntries: 48 };
const ACK_BIN = { name: 'document-acks', maxEntries: 256 };

export function keptDocument(ctx: AppContext, id: number): Promise<DocumentRow | undefined> {
  return cachedUntilChange(ctx, String(id), () => findDocument(ctx.db, id), DOCUMENT_BIN);
}

/** Every revision of the document, newest first. */
export function keptRevisions(ctx: AppContext, documentId: number): Promise<RevisionRow[]> {
  return cachedUntilChange(ctx, String(documentId), () => listRevisions(ctx.db, documentId), REVISIONS_BIN);
}

export function keptSignatures(ctx: AppContext, revisionId: number): Promise<SignatureRow[]> {
  return cachedUntilChange(ctx, `signatures|${revisionId}`, () => listSignatures(ctx.db, REVISION_ENTITY, revisionId), DOCUMENT_BIN);
}

export interface AckState {
  acknowledged: { acknowledged_at: string } | undefined;
  concerned: boolean;
  last: { revision_id: number; revision_no: number; acknowledged_at: string } | undefined;
}

/** One person's acknowledgement of a revision, whether the document concerns them, and the last one they made. */
export function keptAckState(ctx: AppContext, documentId: number, revisionId: number, userId: number): Promise<AckState> {
  return cachedUntilChange(
    ctx,
    `${documentId}|${revisionId}|${userId}`,
    async () => {
      const acknowledged = await findAcknowledgement(ctx.db, revisionId, userId);
      return {
        acknowledged,
        concerned: await isConcerned(ctx.db, documentId, userId),
        last: acknowledged ? undefined : await findLastAcknowledged(ctx.db, documentId, userId),
      };
    },
    ACK_BIN,
  );
}
